import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.audit.models import HistoryEntry
from clientela.opportunities.models import Opportunity
from clientela.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def seller():
    return UserFactory(role="sales")


@pytest.fixture
def seller_client(client, seller):
    client.force_login(seller)
    return client


@pytest.fixture
def own_account(seller):
    return AccountFactory(salesperson=seller, name="Ferretería Chiriquí")


def form_data(account, **overrides):
    data = {
        "account": account.code,
        "name": "Suministro de equipos",
        "stage": "prospecting",
        "amount": "1234.5",
        "currency": "USD",
        "probability": "",
        "expected_close_date": "2026-09-30",
        "owner": "",
        "lost_reason": "",
        "description": "",
    }
    data.update(overrides)
    return data


def column_html(html, stage):
    start = html.index(f'data-stage="{stage}" aria-labelledby')
    end = html.find("</section>", start)
    return html[start:end]


# ── Pages reachable, anonymous refused ─────────────────────────────────────────────────


@pytest.mark.parametrize(
    "url", ["/opportunities/", "/opportunities/board/", "/opportunities/new/", "/opportunities/1/"]
)
def test_anonymous_user_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_menu_links_to_the_list_and_the_board(logged_client):
    html = logged_client.get("/").content.decode()
    assert 'href="/opportunities/"' in html and 'href="/opportunities/board/"' in html


# ── List ────────────────────────────────────────────────────────────────────────────────


def test_list_shows_money_in_the_regional_format_and_probability_as_percent(logged_client):
    OpportunityFactory(name="Licencias", amount=Decimal("1234.56"), stage="negotiation")
    html = logged_client.get("/opportunities/").content.decode()
    assert "USD 1,234.56" in html
    assert "75&nbsp;%" in html
    assert "Negociación" in html
    assert "1234.56" not in html.replace("USD 1,234.56", "")


def test_list_totals_are_per_currency(logged_client):
    OpportunityFactory(amount=Decimal("1000.00"))
    OpportunityFactory(amount=Decimal("2500.50"))
    OpportunityFactory(amount=Decimal("300.00"), currency="MXN")
    html = logged_client.get("/opportunities/").content.decode()
    assert "USD 3,500.50" in html and "MXN 300.00" in html
    assert "3 oportunidades" in html


def test_list_filters_live_in_the_url_and_htmx_gets_the_results_only(logged_client):
    OpportunityFactory(name="Renovación de contrato")
    OpportunityFactory(name="Otra")
    response = logged_client.get("/opportunities/?q=renovacion", **HTMX)
    html = response.content.decode()
    assert "<html" not in html and 'id="results"' in html
    assert "Renovación de contrato" in html and "Otra" not in html
    assert response["Vary"].count("HX-Request") == 1


def test_invalid_filter_values_are_ignored_not_fatal(logged_client):
    OpportunityFactory(name="Una")
    response = logged_client.get("/opportunities/?close_from=ayer&stage=nada&sort=x")
    assert response.status_code == 200
    assert "Una" in response.content.decode()


def test_list_query_count_does_not_grow_with_rows(logged_client, django_assert_max_num_queries):
    OpportunityFactory()
    # A second currency reads today's exchange rates once (the total in the company currency).
    OpportunityFactory(currency="MXN")
    with django_assert_max_num_queries(9) as few:
        logged_client.get("/opportunities/?sort=stage")
    for n in range(30):
        OpportunityFactory(account=AccountFactory(), currency="MXN" if n % 2 else "USD")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = logged_client.get("/opportunities/?sort=stage")
    assert response.content.decode().count('href="/opportunities/') >= 32


def test_list_pages_by_fifty(logged_client):
    account = AccountFactory()
    Opportunity.objects.bulk_create(
        [
            Opportunity(account=account, name=f"Op {n}", owner=account.salesperson, probability=10)
            for n in range(55)
        ]
    )
    html = logged_client.get("/opportunities/").content.decode()
    assert "Página 1 de 2" in html
    assert html.count('<td><a href="/opportunities/') == 50


# ── Board ───────────────────────────────────────────────────────────────────────────────


def test_board_shows_columns_with_counts_totals_and_weighted_amounts(logged_client):
    OpportunityFactory(name="Propuesta A", stage="proposal", amount=Decimal("1000.00"))
    OpportunityFactory(name="Propuesta B", stage="proposal", amount=Decimal("3000.00"))
    html = logged_client.get("/opportunities/board/").content.decode()
    proposal = column_html(html, "proposal")
    assert "Propuesta A" in proposal and "Propuesta B" in proposal
    assert '<span class="board-count"' in proposal and ">2</span>" in proposal
    assert "USD 4,000.00" in proposal
    assert "ponderado USD 2,000.00" in proposal
    for label in ["Prospección", "Calificación", "Propuesta", "Negociación", "Ganada", "Perdida"]:
        assert label in html
    assert 'draggable="true"' in html
    assert 'name="stage"' in proposal  # the keyboard / no-JS alternative


def test_board_query_count_does_not_grow_with_rows(logged_client, django_assert_max_num_queries):
    # One card per open stage first: each open column with cards costs one query, and
    # one more when it holds undated cards (these factory cards have no close date).
    for stage in Opportunity.OPEN_STAGES:
        OpportunityFactory(stage=stage, currency="MXN" if stage == "proposal" else "USD")
    # (+1: the exchange rates of the company-currency totals.)
    with django_assert_max_num_queries(14) as few:
        logged_client.get("/opportunities/board/")
    for n in range(40):
        OpportunityFactory(
            stage=Opportunity.OPEN_STAGES[n % 4],
            account=AccountFactory(),
            currency="MXN" if n % 3 else "USD",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = logged_client.get("/opportunities/board/")
    assert response.content.decode().count('class="board-card"') == 44


def test_board_caps_columns_and_links_the_rest_to_the_filtered_list(logged_client, monkeypatch):
    from clientela.opportunities import views

    monkeypatch.setattr(views, "BOARD_CARDS_PER_COLUMN", 2)
    ana = UserFactory(username="ana")
    account = AccountFactory(salesperson=ana)
    for _n in range(5):
        OpportunityFactory(stage="qualification", account=account)
    html = logged_client.get("/opportunities/board/?owner=ana").content.decode()
    qualification = column_html(html, "qualification")
    assert qualification.count('class="board-card"') == 2
    assert "3 más en la lista" in qualification
    assert "/opportunities/?owner=ana&amp;stage=qualification" in qualification


def test_board_for_a_viewer_has_no_drag_or_move_controls(client):
    client.force_login(UserFactory(role="viewer"))
    OpportunityFactory(stage="proposal")
    html = client.get("/opportunities/board/").content.decode()
    assert 'draggable="true"' not in html
    assert 'class="board-card-move"' not in html


def test_salesperson_board_shows_only_their_accounts(seller_client, own_account):
    OpportunityFactory(name="Mía", stage="proposal", account=own_account)
    OpportunityFactory(name="Ajena", stage="proposal", amount=Decimal("777.00"))
    html = seller_client.get("/opportunities/board/").content.decode()
    assert "Mía" in html and "Ajena" not in html and "777.00" not in html


# ── Board moves ─────────────────────────────────────────────────────────────────────────


def test_htmx_move_answers_the_board_with_the_card_in_its_new_column(seller_client, own_account):
    opportunity = OpportunityFactory(name="Licencias", account=own_account)
    response = seller_client.post(
        f"/opportunities/{opportunity.pk}/move/", {"stage": "proposal", "version": "1"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<div id="board"')
    assert "Licencias" in column_html(html, "proposal")
    assert "Licencias" not in column_html(html, "prospecting")
    assert "«Licencias» pasó a Propuesta." in html
    opportunity.refresh_from_db()
    assert opportunity.stage == "proposal" and opportunity.probability == 50


def test_move_keeps_the_boards_filters(seller_client, own_account, seller):
    opportunity = OpportunityFactory(account=own_account)
    OpportunityFactory(name="Filtrada fuera", account=AccountFactory(salesperson=seller))
    response = seller_client.post(
        f"/opportunities/{opportunity.pk}/move/?account={own_account.code}",
        {"stage": "proposal", "version": "1"},
        **HTMX,
    )
    assert "Filtrada fuera" not in response.content.decode()


def test_move_to_lost_without_reason_asks_for_it_and_leaves_the_card(seller_client, own_account):
    opportunity = OpportunityFactory(name="Licencias", account=own_account, stage="proposal")
    response = seller_client.post(
        f"/opportunities/{opportunity.pk}/move/", {"stage": "lost", "version": "1"}, **HTMX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "<dialog" in html and 'name="lost_reason"' in html
    assert "necesita el motivo" in html
    assert 'class="errorlist"' not in html  # a question first, not an error
    assert 'hx-post="/opportunities/' in html  # the dialog answers into the board
    assert "Licencias" in column_html(html, "proposal")
    opportunity.refresh_from_db()
    assert opportunity.stage == "proposal" and opportunity.version == 1


def test_blank_reason_sent_from_the_dialog_is_an_error(seller_client, own_account):
    opportunity = OpportunityFactory(account=own_account, stage="proposal")
    response = seller_client.post(
        f"/opportunities/{opportunity.pk}/move/",
        {"stage": "lost", "version": "1", "lost_reason": "  "},
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_move_lost_reason_error"' in html
    assert "Ingrese el motivo por el que se perdió la oportunidad." in html


def test_move_to_lost_with_the_reason_from_the_dialog_closes_it(seller_client, own_account):
    opportunity = OpportunityFactory(account=own_account, stage="proposal")
    response = seller_client.post(
        f"/opportunities/{opportunity.pk}/move/",
        {"stage": "lost", "version": "1", "lost_reason": "Eligió a la competencia"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "<dialog" not in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.stage == "lost" and opportunity.lost_reason == "Eligió a la competencia"
    assert opportunity.closed_at is not None


def test_plain_move_without_js_redirects_back_to_the_board_with_filters(seller_client, own_account):
    opportunity = OpportunityFactory(account=own_account)
    response = seller_client.post(
        f"/opportunities/{opportunity.pk}/move/?owner=x", {"stage": "won", "version": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/opportunities/board/?owner=x"


def test_plain_move_to_lost_without_reason_shows_a_page_asking_for_it(seller_client, own_account):
    opportunity = OpportunityFactory(account=own_account)
    next_url = f"/opportunities/{opportunity.pk}/"
    response = seller_client.post(
        f"/opportunities/{opportunity.pk}/move/",
        {"stage": "lost", "version": "1", "next": next_url},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'name="lost_reason"' in html and "<dialog" not in html
    assert f'name="next" value="{next_url}"' in html
    response = seller_client.post(
        f"/opportunities/{opportunity.pk}/move/",
        {"stage": "lost", "version": "1", "next": next_url, "lost_reason": "Precio"},
    )
    assert response.status_code == 302 and response["Location"] == next_url


def test_move_refuses_an_offsite_next(seller_client, own_account):
    opportunity = OpportunityFactory(account=own_account)
    response = seller_client.post(
        f"/opportunities/{opportunity.pk}/move/",
        {"stage": "won", "version": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/opportunities/board/"


def test_stale_move_is_refused_with_a_message(seller_client, own_account, seller):
    opportunity = OpportunityFactory(account=own_account, stage="proposal")
    Opportunity.objects.filter(pk=opportunity.pk).update(version=2, updated_by=seller)
    response = seller_client.post(
        f"/opportunities/{opportunity.pk}/move/", {"stage": "won", "version": "1"}, **HTMX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Sus cambios no se guardaron" in html
    opportunity.refresh_from_db()
    assert opportunity.stage == "proposal"


def test_move_with_a_credit_warning_says_so(seller_client, seller):
    account = AccountFactory(
        salesperson=seller,
        payment_terms=Account.PaymentTerms.CREDIT,
        credit_days=30,
        credit_limit=Decimal("1000.00"),
    )
    opportunity = OpportunityFactory(
        account=account,
        amount=Decimal("5000.00"),
        stage="lost",
        lost_reason="x",
        closed_at=timezone.now(),
    )
    response = seller_client.post(
        f"/opportunities/{opportunity.pk}/move/", {"stage": "won", "version": "1"}, **HTMX
    )
    assert "límite de crédito" in response.content.decode()


# ── Create, edit, delete ────────────────────────────────────────────────────────────────


def test_new_page_preselects_the_account_from_the_query(seller_client, own_account, seller):
    html = seller_client.get(f"/opportunities/new/?account={own_account.code}").content.decode()
    tag = re.search(r'<input[^>]+name="account"[^>]*>', html).group(0)
    assert f'value="{own_account.code}"' in tag
    assert 'aria-required="true"' in tag
    assert "<select" not in tag
    owner = re.search(r'<input[^>]+name="owner"[^>]*>', html).group(0)
    assert f'value="{seller.username}"' in owner and "readonly" in owner


def test_new_page_ignores_an_account_the_user_may_not_see(seller_client):
    other = AccountFactory()
    html = seller_client.get(f"/opportunities/new/?account={other.code}").content.decode()
    tag = re.search(r'<input[^>]+name="account"[^>]*>', html).group(0)
    assert "value=" not in tag


def test_create_redirects_to_the_opportunity_page(seller_client, own_account, seller):
    response = seller_client.post("/opportunities/new/", form_data(own_account))
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/opportunities/{opportunity.pk}/"
    assert opportunity.amount == Decimal("1234.50")
    assert opportunity.owner == seller and opportunity.probability == 10
    page = seller_client.get(response["Location"]).content.decode()
    assert "Oportunidad «Suministro de equipos» creada." in page
    assert "USD 1,234.50" in page


def test_failed_create_keeps_input_and_shows_errors_beside_fields(seller_client, own_account):
    response = seller_client.post(
        "/opportunities/new/",
        form_data(own_account, name="Licencias Ñandú", stage="lost", amount="-3"),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="Licencias Ñandú"' in html
    assert 'id="id_lost_reason_error"' in html
    assert 'id="id_amount_error"' in html
    assert not Opportunity.objects.exists()


def test_create_on_a_suspended_account_is_refused_naming_the_status(seller_client, seller):
    account = AccountFactory(salesperson=seller, status=Account.Status.SUSPENDED)
    response = seller_client.post("/opportunities/new/", form_data(account))
    assert response.status_code == 422
    html = response.content.decode()
    assert f"La cuenta {account.code} está suspendida" in html
    assert 'id="id_account_error"' in html
    assert not Opportunity.objects.exists()


def test_form_of_a_restricted_account_shows_the_red_banner(seller_client, seller):
    account = AccountFactory(salesperson=seller, status=Account.Status.RESTRICTED)
    html = seller_client.get(f"/opportunities/new/?account={account.code}").content.decode()
    assert "banner-danger" in html
    opportunity = OpportunityFactory(account=account)
    html = seller_client.get(f"/opportunities/{opportunity.pk}/edit/").content.decode()
    assert "banner-danger" in html
    active = AccountFactory(salesperson=seller)
    html = seller_client.get(f"/opportunities/new/?account={active.code}").content.decode()
    assert "banner-danger" not in html


def test_form_check_shows_the_banner_and_the_credit_warning_as_the_user_types(
    seller_client, seller
):
    account = AccountFactory(
        salesperson=seller,
        status=Account.Status.RESTRICTED,
        payment_terms=Account.PaymentTerms.CREDIT,
        credit_days=30,
        credit_limit=Decimal("1000.00"),
    )
    response = seller_client.get(
        "/opportunities/form-check/",
        {"account": f"{account.code} · {account.name}", "amount": "1500", "currency": "usd"},
        **HTMX,
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "banner-danger" in html
    assert "USD 1,500.00" in html and "USD 1,000.00" in html
    quiet = seller_client.get(
        "/opportunities/form-check/", {"account": account.code, "amount": "10"}, **HTMX
    ).content.decode()
    assert "data-credit-warning" not in quiet


def test_form_check_reveals_nothing_of_accounts_the_user_may_not_see(seller_client):
    other = AccountFactory(status=Account.Status.RESTRICTED)
    html = seller_client.get("/opportunities/form-check/", {"account": other.code}).content.decode()
    assert "banner-danger" not in html


def test_create_past_the_credit_limit_saves_and_warns(seller_client, seller):
    account = AccountFactory(
        salesperson=seller,
        payment_terms=Account.PaymentTerms.CREDIT,
        credit_days=30,
        credit_limit=Decimal("1000.00"),
    )
    response = seller_client.post("/opportunities/new/", form_data(account), follow=True)
    html = response.content.decode()
    assert Opportunity.objects.count() == 1
    assert 'class="message warning"' in html
    assert "USD 1,234.50" in html and "USD 1,000.00" in html


def test_edit_with_a_stale_version_keeps_the_input_and_says_who_saved(
    seller_client, own_account, seller
):
    opportunity = OpportunityFactory(account=own_account)
    Opportunity.objects.filter(pk=opportunity.pk).update(version=2, updated_by=seller)
    data = form_data(own_account, name="Mi cambio", version="1")
    response = seller_client.post(f"/opportunities/{opportunity.pk}/edit/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="Mi cambio"' in html
    assert "Sus cambios no se guardaron" in html
    assert 'name="version" value="2"' in html
    opportunity.refresh_from_db()
    assert opportunity.name != "Mi cambio"
    # The second save is a deliberate overwrite.
    data["version"] = "2"
    response = seller_client.post(f"/opportunities/{opportunity.pk}/edit/", data)
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.name == "Mi cambio"


def test_edit_to_lost_from_the_form_closes_it(seller_client, own_account):
    opportunity = OpportunityFactory(account=own_account)
    data = form_data(own_account, stage="lost", lost_reason="Precio", version="1")
    response = seller_client.post(f"/opportunities/{opportunity.pk}/edit/", data)
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.stage == "lost" and opportunity.closed_at is not None


def test_detail_page_shows_the_facts_and_its_history(seller_client, own_account, seller):
    from clientela.opportunities import services

    opportunity = services.opportunity_create(
        user=seller,
        data={
            "account": own_account,
            "name": "Licencias",
            "amount": Decimal("2500.00"),
            "expected_close_date": date(2026, 3, 9),
        },
    ).record
    services.opportunity_move(
        user=seller, opportunity=opportunity, stage="lost", lost_reason="Precio", version=1
    )
    html = seller_client.get(f"/opportunities/{opportunity.pk}/").content.decode()
    assert "USD 2,500.00" in html and "0&nbsp;%" in html
    assert "09/03/2026" in html
    assert "Precio" in html and "Perdida" in html
    assert html.count('class="history-entry"') == 2


def test_delete_asks_for_confirmation_then_deletes_and_returns_to_the_account(
    seller_client, own_account
):
    opportunity = OpportunityFactory(account=own_account, name="Licencias")
    page = seller_client.get(f"/opportunities/{opportunity.pk}/delete/")
    assert page.status_code == 200 and Opportunity.objects.exists()
    response = seller_client.post(f"/opportunities/{opportunity.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/{own_account.code}/"
    assert not Opportunity.objects.exists()
    assert HistoryEntry.objects.filter(action="delete", account_id=own_account.pk).exists()


# ── Account profile panel ───────────────────────────────────────────────────────────────


def test_profile_panel_shows_open_and_closed_opportunities(seller_client, own_account):
    OpportunityFactory(
        account=own_account,
        name="Abierta uno",
        stage="negotiation",
        amount=Decimal("4321.00"),
        expected_close_date=date(2026, 5, 4),
    )
    OpportunityFactory(
        account=own_account, name="Ganada uno", stage="won", closed_at=timezone.now()
    )
    OpportunityFactory(
        account=own_account,
        name="Perdida uno",
        stage="lost",
        closed_at=timezone.now(),
        lost_reason="Eligió a la competencia",
    )
    html = seller_client.get(f"/accounts/{own_account.code}/").content.decode()
    panel = html[html.index('id="panel-opportunities"') : html.index('id="panel-history"')]
    open_part, closed_part = panel.split('id="opportunities-closed"')
    assert "Abierta uno" in open_part and "USD 4,321.00" in open_part
    assert "04/05/2026" in open_part and "Negociación" in open_part
    assert "Ganada uno" in closed_part and "Perdida uno" in closed_part
    assert "Eligió a la competencia" in closed_part
    assert f'href="/opportunities/new/?account={own_account.code}"' in panel
    assert "Nueva oportunidad" in panel


def test_profile_panel_of_a_suspended_account_offers_no_new_opportunity(seller_client, seller):
    account = AccountFactory(salesperson=seller, status=Account.Status.SUSPENDED)
    html = seller_client.get(f"/accounts/{account.code}/").content.decode()
    panel = html[html.index('id="panel-opportunities"') :]
    assert "/opportunities/new/" not in panel
    assert "Cuenta suspendida: no admite oportunidades nuevas." in panel


def test_profile_panel_has_no_new_button_for_read_only_roles(client):
    account = AccountFactory()
    client.force_login(UserFactory(role="viewer"))
    html = client.get(f"/accounts/{account.code}/").content.decode()
    assert 'id="panel-opportunities"' in html
    assert "/opportunities/new/" not in html


def test_profile_panel_query_count_does_not_grow_with_rows(
    logged_client, django_assert_max_num_queries
):
    from clientela.opportunities.panels import account_panel_context

    account = AccountFactory()
    OpportunityFactory(account=account)
    request = type("R", (), {"user": UserFactory()})()
    with django_assert_max_num_queries(6) as few:
        account_panel_context(request, account)
    for n in range(12):
        OpportunityFactory(account=account, stage=Opportunity.OPEN_STAGES[n % 4])
        OpportunityFactory(account=account, stage="won", closed_at=timezone.now())
    with django_assert_max_num_queries(len(few.captured_queries)):
        context = account_panel_context(request, account)
        html = "".join(o.owner.username + o.name for o in context["summary"].open)
        html += "".join(o.owner.username + o.name for o in context["summary"].closed)
    assert context["summary"].open_count == 13


def test_english_interface(logged_client):
    logged_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    OpportunityFactory(stage="negotiation")
    html = logged_client.get("/opportunities/board/").content.decode()
    assert "Opportunity board" in html and "Negotiation" in html


def test_board_more_cards_redraws_only_that_column_with_more_cards(
    logged_client, monkeypatch, django_assert_max_num_queries
):
    from clientela.opportunities import views

    monkeypatch.setattr(views, "BOARD_CARDS_PER_COLUMN", 2)
    monkeypatch.setattr(views, "BOARD_MORE_STEP", 2)
    for _n in range(5):
        OpportunityFactory(stage="proposal")
    OpportunityFactory(stage="prospecting")
    board = logged_client.get("/opportunities/board/").content.decode()
    assert "more=proposal" in board and "more=prospecting" not in board
    with django_assert_max_num_queries(8):
        response = logged_client.get(
            "/opportunities/board/?more=proposal&cards=4", HTTP_HX_REQUEST="true"
        )
    html = response.content.decode()
    assert html.lstrip().startswith("<section") and "stage-proposal" in html
    assert html.count('class="board-card"') == 4
    assert "cards=6" in html
