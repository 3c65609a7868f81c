"""Every Latin American customer entered right, through the form and the API (issue 15): the tax
id read for the country and the person kind and named as that country names it, phones typed as
people there write them. The ids are real or built with the document's own algorithm (sources in
test_taxid_countries.py); the phones are libphonenumber's example numbers of each country, typed
in its national format."""

import json

import pytest
from django.utils import translation

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, CustomerTypeFactory, UserFactory
from clientela.api.services import api_token_create
from clientela.audit.selectors import history_page

pytestmark = pytest.mark.django_db

N, L = "natural", "legal"

# (country, person kind, tax id as typed, as stored, the label in Spanish,
#  a landline as typed there, its E.164, a mobile as typed there, its E.164)
CUSTOMERS = [
    ("PA", L, "155596713-2-2015", "155596713-2-2015", "RUC",
     "200-1234", "+5072001234", "6123-4567", "+50761234567"),
    ("PA", N, "8-442-445", "8-442-445", "Cédula",
     "200-1234", "+5072001234", "6123-4567", "+50761234567"),
    ("CO", N, "1020304050", "1.020.304.050", "Cédula / NIT",
     "(601) 2345678", "+576012345678", "321 1234567", "+573211234567"),
    ("CO", L, "899999068-1", "899.999.068-1", "NIT",
     "(601) 2345678", "+576012345678", "321 1234567", "+573211234567"),
    ("MX", N, "GODE 561231 GR8", "GODE561231GR8", "RFC",
     "200 123 4567", "+522001234567", "222 123 4567", "+522221234567"),
    ("MX", L, "CFE370814QI0", "CFE370814QI0", "RFC",
     "200 123 4567", "+522001234567", "222 123 4567", "+522221234567"),
    ("CR", N, "3-0455-0175", "03-0455-0175", "Cédula / DIMEX",
     "2212 3456", "+50622123456", "8312 3456", "+50683123456"),
    ("CR", L, "3-101-999999", "3-101-999999", "Cédula jurídica",
     "2212 3456", "+50622123456", "8312 3456", "+50683123456"),
    ("GT", N, "1587564440904", "1587 56444 0904", "DPI / NIT",
     "2245 6789", "+50222456789", "5123 4567", "+50251234567"),
    ("GT", L, "576937-k", "576937-K", "NIT",
     "2245 6789", "+50222456789", "5123 4567", "+50251234567"),
    ("SV", N, "00016297-5", "00016297-5", "DUI / NIT",
     "2123 4567", "+50321234567", "7012 3456", "+50370123456"),
    ("SV", L, "0614-050707-104-8", "0614-050707-104-8", "NIT",
     "2123 4567", "+50321234567", "7012 3456", "+50370123456"),
    ("HN", N, "0801199012345", "0801-1990-12345", "DNI / RTN",
     "2212-3456", "+50422123456", "9123-4567", "+50491234567"),
    ("HN", L, "08019995123456", "08019995123456", "RTN",
     "2212-3456", "+50422123456", "9123-4567", "+50491234567"),
    ("NI", N, "001-010180-0001S", "001-010180-0001S", "Cédula / RUC",
     "2123 4567", "+50521234567", "8123 4567", "+50581234567"),
    ("NI", L, "J0310000000001", "J0310000000001", "RUC",
     "2123 4567", "+50521234567", "8123 4567", "+50581234567"),
    ("DO", N, "00113918205", "001-1391820-5", "Cédula",
     "(809) 234-5678", "+18092345678", "(829) 234-5678", "+18292345678"),
    ("DO", L, "131246796", "1-31-24679-6", "RNC",
     "(809) 234-5678", "+18092345678", "(829) 234-5678", "+18292345678"),
    ("EC", N, "171430710-3", "1714307103", "Cédula / RUC",
     "(02) 212-3456", "+59322123456", "099 123 4567", "+593991234567"),
    ("EC", L, "1792060346-001", "1792060346001", "RUC",
     "(02) 212-3456", "+59322123456", "099 123 4567", "+593991234567"),
    ("PE", N, "10117410", "10117410", "DNI / RUC",
     "(01) 1234567", "+5111234567", "912 345 678", "+51912345678"),
    ("PE", L, "20100047218", "20100047218", "RUC",
     "(01) 1234567", "+5111234567", "912 345 678", "+51912345678"),
    ("CL", N, "12531909-2", "12.531.909-2", "RUT",
     "(2) 2123 4567", "+56221234567", "9 6123 4567", "+56961234567"),
    ("CL", L, "61.704.000-k", "61.704.000-K", "RUT",
     "(2) 2123 4567", "+56221234567", "9 6123 4567", "+56961234567"),
    ("AR", N, "20.123.456", "20.123.456", "CUIT / DNI",
     "011 2345-6789", "+541123456789", "011 15-2345-6789", "+5491123456789"),
    ("AR", L, "30-54668997-9", "30-54668997-9", "CUIT",
     "011 2345-6789", "+541123456789", "011 15-2345-6789", "+5491123456789"),
    ("UY", N, "1.234.567-2", "1.234.567-2", "CI / RUT",
     "2123 1234", "+59821231234", "094 231 234", "+59894231234"),
    ("UY", L, "21-100342-001-7", "21-100342-001-7", "RUT",
     "2123 1234", "+59821231234", "094 231 234", "+59894231234"),
    ("PY", N, "1.234.567", "1234567", "CI / RUC",
     "(021) 234 5678", "+595212345678", "0961 456789", "+595961456789"),
    ("PY", L, "80028061-0", "80028061-0", "RUC",
     "(021) 234 5678", "+595212345678", "0961 456789", "+595961456789"),
    ("BO", N, "4567890 lp", "4567890 LP", "CI / NIT",
     "2 2123456", "+59122123456", "71234567", "+59171234567"),
    ("BO", L, "1020269020", "1020269020", "NIT",
     "2 2123456", "+59122123456", "71234567", "+59171234567"),
    ("VE", N, "V-12.345.678", "V-12345678", "Cédula / RIF",
     "0212-1234567", "+582121234567", "0412-1234567", "+584121234567"),
    ("VE", L, "J000123454", "J-00012345-4", "RIF",
     "0212-1234567", "+582121234567", "0412-1234567", "+584121234567"),
]  # fmt: skip
IDS = [f"{row[0]}-{row[1]}" for row in CUSTOMERS]
COLUMNS = "country, kind, typed, printed, label, phone, phone_e164, mobile, mobile_e164"


def form_data(country, kind, tax_id, phone, mobile, **overrides):
    data = {
        "person_kind": kind,
        "name": "Cliente de Prueba" if kind == N else "Empresa de Prueba, S.A.",
        "tax_id": tax_id,
        "tax_dv": "",
        "contact_name": "" if kind == N else "Lucía Peña",
        "email": "cliente@example.com",
        "phone": phone,
        "phone_alt": "",
        "mobile": mobile,
        "country": country,
        "customer_type": str(CustomerTypeFactory().pk),
        "priority": "medium",
        "status": "active",
        "payment_terms": "cash",
        "taxable": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def api(client):
    manager = UserFactory(role="manager")
    CustomerTypeFactory(code="CORP")
    _record, token = api_token_create(user=manager, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def post_json(client, url, body, method="post"):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(COLUMNS, CUSTOMERS, ids=IDS)
def test_the_form_saves_a_customer_of_each_country_with_its_id_and_national_phones(
    logged_client, country, kind, typed, printed, label, phone, phone_e164, mobile, mobile_e164
):
    data = form_data(country, kind, typed, phone, mobile)
    response = logged_client.post("/accounts/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    account = Account.objects.get()
    assert (account.tax_id, account.person_kind, account.country.code) == (printed, kind, country)
    assert (account.phone.as_e164, account.mobile.as_e164) == (phone_e164, mobile_e164)
    # The page names the document as the country does, and shows the phones as dialled
    # from the installation's region (Panama): national at home, international elsewhere.
    with translation.override("es"):
        page = logged_client.get(account.get_absolute_url()).content.decode()
        edit = logged_client.get(f"/accounts/{account.code}/edit/").content.decode()
    assert f"<dt>{label}</dt>" in page
    assert f'<label for="id_tax_id" class="label">{label} ' in edit
    assert 'href="tel:+' in page
    assert f"https://wa.me/{mobile_e164[1:]}" in page
    if country == "PA":
        assert f">{phone}</a>" in page
    else:
        assert f">{phone}</a>" not in page


@pytest.mark.parametrize(COLUMNS, CUSTOMERS, ids=IDS)
def test_the_api_saves_the_same_customer_from_the_same_input(
    api, country, kind, typed, printed, label, phone, phone_e164, mobile, mobile_e164
):
    body = {
        "person_kind": kind,
        "name": "Empresa de Prueba",
        "tax_id": typed,
        "contact_name": "Lucía Peña",
        "email": "cliente@example.com",
        "phone": phone,
        "mobile": mobile,
        "country": country,
        "customer_type": "CORP",
    }
    response = post_json(api, "/api/v1/accounts", body)
    assert response.status_code == 201, response.content
    saved = response.json()
    assert (saved["tax_id"], saved["phone"], saved["mobile"]) == (printed, phone_e164, mobile_e164)
    assert saved["warnings"] == []


@pytest.mark.parametrize(
    ("country", "kind", "typed", "message"),
    [
        ("CO", L, "899999068-2", "El dígito verificador del NIT no corresponde (debería ser 1)."),
        ("CL", L, "61704000-1", "El dígito verificador del RUT no corresponde (debería ser K)."),
        ("MX", L, "CFE370814QI1", "El dígito verificador del RFC no corresponde (debería ser 0)."),
        ("CO", L, "1020304050", "Este número es la cédula de ciudadanía de una persona natural; "
         "ingrese el NIT de la persona jurídica."),
    ],
)  # fmt: skip
def test_a_wrong_id_is_refused_naming_the_document_and_the_part_in_the_form_and_the_api(
    logged_client, api, country, kind, typed, message
):
    with translation.override("es"):
        response = logged_client.post(
            "/accounts/new/", form_data(country, kind, typed, "", ""), HTTP_ACCEPT_LANGUAGE="es"
        )
        assert response.status_code == 422
        assert response.context["form"].errors["tax_id"] == [message]
        body = {
            "person_kind": kind,
            "name": "Empresa de Prueba",
            "tax_id": typed,
            "contact_name": "Lucía Peña",
            "email": "cliente@example.com",
            "phone": "+50761234567",
            "country": country,
            "customer_type": "CORP",
        }
        refused = post_json(api, "/api/v1/accounts", body)
    assert refused.status_code == 422
    assert refused.json()["errors"]["tax_id"] == [message]
    assert not Account.objects.exists()


# DGI's legal-entity NT numbers (test_taxid.py): the natural person's DV differs.
LEGAL_NT, LEGAL_NT_DV, NATURAL_NT_DV = "8-NT-1-13656", "43", "18"


def test_a_panama_legal_entity_nt_left_without_dv_gets_the_legal_entity_dv(logged_client, api):
    data = form_data("PA", L, LEGAL_NT, "200-1234", "")
    assert logged_client.post("/accounts/new/", data).status_code == 302
    assert Account.objects.get().tax_dv == LEGAL_NT_DV
    body = {
        "person_kind": L,
        "name": "Cooperativa de Prueba",
        "tax_id": "1-NT-45-56544",
        "contact_name": "Lucía Peña",
        "email": "coop@example.com",
        "phone": "200-1234",
        "customer_type": "CORP",
    }
    created = post_json(api, "/api/v1/accounts", body)
    assert created.status_code == 201, created.content
    assert (created.json()["tax_dv"], created.json()["warnings"]) == ("03", [])


def test_a_panama_natural_person_dv_typed_for_a_legal_entity_nt_is_refused(logged_client):
    from clientela.accounts.taxid import panama_dv

    data = form_data("PA", L, LEGAL_NT, "200-1234", "", tax_dv=panama_dv(LEGAL_NT))
    with translation.override("es"):
        response = logged_client.post("/accounts/new/", data)
        assert response.status_code == 422
        assert response.context["form"].errors["tax_dv"] == [
            f"El DV del NT debería ser {LEGAL_NT_DV}. Revise ambos números."
        ]


def test_a_duplicate_is_refused_naming_the_countrys_document_with_a_link(logged_client, api):
    first = AccountFactory(
        country="CO", person_kind=L, tax_id="899.999.068-1", tax_dv="", phone="+576012345678"
    )
    with translation.override("es"):
        response = logged_client.post(
            "/accounts/new/", form_data("CO", L, "899999068-1", "(601) 2345678", "")
        )
        expected = f"Ya existe una cuenta con NIT 899.999.068-1: {first.code}."
        assert response.context["form"].errors["tax_id"] == [expected]
        assert f'href="/accounts/{first.code}/"' in response.content.decode()
        body = {
            "person_kind": L,
            "name": "Otra",
            "tax_id": "899999068-1",
            "contact_name": "Ana",
            "email": "a@example.com",
            "phone": "(601) 2345678",
            "country": "CO",
            "customer_type": "CORP",
        }
        refused = post_json(api, "/api/v1/accounts", body)
    assert refused.status_code == 409
    assert refused.json()["errors"]["tax_id"] == [expected]
    assert refused.json()["existing_code"] == first.code


def test_the_list_names_the_tax_id_by_country_when_it_shows_one_country(logged_client):
    with translation.override("es"):
        mixed = logged_client.get("/accounts/").content.decode()
        colombian = logged_client.get("/accounts/", {"country": "CO"}).content.decode()
        mexican = logged_client.get("/accounts/", {"country": "MX"}, HTTP_HX_REQUEST="true")
    assert ">Identificación fiscal</a>" in mixed
    assert ">Cédula / NIT</a>" in colombian
    assert ">RFC</a>" in mexican.content.decode()


def test_the_form_names_the_tax_id_and_hides_the_dv_as_the_country_and_kind_change(
    logged_client,
):
    with translation.override("es"):
        new = logged_client.get("/accounts/new/").content.decode()
        hints = logged_client.get(
            "/accounts/form-hints/",
            {"country": "MX", "person_kind": "legal", "tax_id": "CFE370814QI0", "phone": "55 1"},
        ).content.decode()
    # A new account is Panamanian until told otherwise; the DV is shown.
    assert '<label for="id_tax_id" class="label">Cédula / RUC ' in new
    assert 'id="field-tax_dv" class' in new
    # The hints redraw the fields out of band, with what was typed.
    assert 'id="field-tax_id" hx-swap-oob="outerHTML"' in hints
    assert '<label for="id_tax_id" class="label">RFC ' in hints
    assert 'value="CFE370814QI0"' in hints
    assert 'id="field-tax_dv" hx-swap-oob="outerHTML" hidden' in hints
    assert 'value="55 1"' in hints
    assert "Por ejemplo 222 123 4567" in hints
    assert 'name="tax_id" value="CFE370814QI0" maxlength="30" hx-preserve="true"' in hints
    assert 'hx-get="/accounts/form-hints/"' in new


def test_a_colombian_mobile_is_refused_for_a_panamanian_account_and_read_for_a_colombian_one(
    logged_client, api
):
    with translation.override("es"):
        refused = logged_client.post(
            "/accounts/new/", form_data("PA", L, "155596713-2-2015", "300 123 4567", "")
        )
        assert refused.status_code == 422
        assert refused.context["form"].errors["phone"] == [
            "Ingrese un número de teléfono válido de Panamá (por ejemplo 6123-4567) "
            "o empiece con +."
        ]
    accepted = logged_client.post(
        "/accounts/new/", form_data("CO", L, "899999068-1", "300 123 4567", "")
    )
    assert accepted.status_code == 302
    assert Account.objects.get().phone.as_e164 == "+573001234567"
    body = {
        "person_kind": L,
        "name": "Otra",
        "tax_id": "155596713-2-2015",
        "contact_name": "Ana",
        "email": "a@example.com",
        "phone": "300 123 4567",
        "country": "PA",
        "customer_type": "CORP",
    }
    assert post_json(api, "/api/v1/accounts", body).json()["errors"].keys() == {"phone"}


def test_an_extension_is_kept_from_the_form_to_the_api_and_the_history(logged_client, api):
    data = form_data("PA", L, "155596713-2-2015", "263-4567 ext 12", "6123-4567 x 3")
    assert logged_client.post("/accounts/new/", data).status_code == 302
    account = Account.objects.get()
    assert (account.phone.extension, account.mobile.extension) == ("12", "3")
    code = account.code
    read = api.get(f"/api/v1/accounts/{code}").json()
    assert (read["phone"], read["mobile"]) == ("+5072634567;ext=12", "+50761234567;ext=3")
    # Only the extension changes: that is a change, recorded and shown formatted.
    patched = post_json(
        api, f"/api/v1/accounts/{code}", {"phone": "263-4567 ext 13", "version": 1}, "patch"
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["phone"] == "+5072634567;ext=13"
    account.refresh_from_db()
    with translation.override("es"):
        (line,) = history_page(account, 1).lines[0].lines
    assert (line.old, line.new) == ("263-4567 ext. 12", "263-4567 ext. 13")
    # The edit form shows the stored number as its country writes it, extension included.
    edit = logged_client.get(f"/accounts/{code}/edit/").content.decode()
    assert 'value="263-4567 ext. 13"' in edit
    # Saving the form unchanged changes nothing.
    unchanged = form_data(
        "PA", L, "155596713-2-2015", "263-4567 ext. 13", "6123-4567 ext. 3", version=2
    )
    assert logged_client.post(f"/accounts/{code}/edit/", unchanged).status_code == 302
    account.refresh_from_db()
    assert account.version == 2


def test_the_history_shows_phones_as_dialled_not_raw_e164(logged_client):
    data = form_data("CO", L, "899999068-1", "(601) 2345678", "")
    logged_client.post("/accounts/new/", data)
    account = Account.objects.get()
    edited = {**data, "phone": "300 123 4567", "version": 1}
    assert logged_client.post(f"/accounts/{account.code}/edit/", edited).status_code == 302
    with translation.override("es"):
        html = logged_client.get(account.get_absolute_url()).content.decode()
    history = html[html.index('id="panel-history"') :]
    assert "<td>+57 601 2345678</td><td>+57 300 1234567</td>" in history
    assert "+576012345678" not in history
