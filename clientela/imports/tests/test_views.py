import pytest
from django.urls import reverse

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import UserFactory
from clientela.imports.models import ImportRun

from .factories import ImportRunFactory
from .files import ACCOUNT_HEADER, account_row, csv_bytes, upload

pytestmark = pytest.mark.django_db


def _upload(client, data, name="clientes.csv", kind="account_import", mode="upsert"):
    return client.post(reverse(kind), {"file": upload(name, data), "mode": mode})


def test_upload_checks_the_file_and_shows_the_preview(
    client, importer_admin, corporate, django_capture_on_commit_callbacks
):
    client.force_login(importer_admin)
    data = csv_bytes([ACCOUNT_HEADER, account_row(1), account_row(2, email="malo")])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, data)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == run.get_absolute_url()
    assert (run.status, run.created, run.refused) == ("checked", 1, 1)
    page = client.get(run.get_absolute_url()).content.decode()
    assert 'data-count="created">1<' in page and 'data-count="refused">1<' in page
    assert "Línea" in page and "Correo electrónico" in page
    assert "import-commit" not in page  # nothing is imported while a row is refused
    assert not Account.objects.exists()


def test_commit_imports_and_the_page_says_done(
    client, importer_admin, corporate, django_capture_on_commit_callbacks
):
    client.force_login(importer_admin)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, csv_bytes([ACCOUNT_HEADER, account_row(1)]))
    run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("import_commit", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.created, run.rows_written) == ("done", 1, 1)
    assert Account.objects.count() == 1
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Importada" in page or "Importado" in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("vacío.csv", b"", "vacío"),
        ("datos.csv", csv_bytes([["Peña", "8-1-1"], ["Pérez", "8-1-2"]]), "encabezado"),
        ("libro.xlsx", b"%PDF-1.4 not a spreadsheet", "no es una hoja de cálculo"),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_beside_the_field(
    client, importer_admin, name, data, message
):
    client.force_login(importer_admin)
    response = _upload(client, data, name=name)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, importer_admin, settings):
    settings.IMPORT_MAX_BYTES = 10
    client.force_login(importer_admin)
    response = _upload(client, csv_bytes([ACCOUNT_HEADER, account_row(1)]))
    assert response.status_code == 422
    assert "MB" in response.content.decode()


def test_the_mapping_can_be_changed_and_a_column_ignored(
    client, importer_admin, corporate, django_capture_on_commit_callbacks
):
    client.force_login(importer_admin)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, csv_bytes([[*ACCOUNT_HEADER, "Notas"], [*account_row(1), "x"]]))
    run = ImportRun.objects.get()
    posted = {f"column_{i}": field for i, field in run.mapping.items()}
    posted["column_6"] = ""  # ignore "Persona de contacto": legal entities need it
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import_mapping", args=[run.pk]), {**posted, "mode": "create"})
    run.refresh_from_db()
    assert run.mapping["6"] == "" and run.mode == "create"
    assert (run.status, run.refused) == ("checked", 1)


def test_two_columns_feeding_one_field_are_refused(
    client, importer_admin, corporate, django_capture_on_commit_callbacks
):
    client.force_login(importer_admin)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, csv_bytes([ACCOUNT_HEADER, account_row(1)]))
    run = ImportRun.objects.get()
    response = client.post(
        reverse("import_mapping", args=[run.pk]),
        {"column_0": "name", "column_1": "name"},
        follow=True,
    )
    assert "Dos columnas llenan el mismo campo" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("viewer", 403), ("support", 403), ("sales", 200), ("manager", 200), ("admin", 200)],
)
def test_only_roles_that_may_add_accounts_see_the_import_page(client, role, status):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("account_import")).status_code == status


@pytest.mark.parametrize(("role", "shown"), [("viewer", False), ("sales", True)])
def test_the_account_list_offers_import_to_roles_that_may_add(client, role, shown):
    client.force_login(UserFactory(role=role))
    page = client.get(reverse("account_list")).content.decode()
    assert (reverse("account_import") in page) is shown


@pytest.mark.parametrize(("role", "shown"), [("viewer", False), ("sales", True), ("manager", True)])
def test_the_lists_offer_export_to_roles_with_the_export_permission(client, role, shown):
    client.force_login(UserFactory(role=role))
    for name, url in [
        ("account_list", "account_export"),
        ("contact_list", "contact_export"),
        ("opportunity_list", "opportunity_export"),
        ("case_list", "case_export"),
    ]:
        page = client.get(reverse(name), {"q": "peña"}).content.decode()
        assert (reverse(url) in page) is shown, name
        if shown:
            assert "q=pe%C3%B1a" in page


def test_an_administrator_lists_every_import_others_only_theirs(
    client, django_assert_max_num_queries
):
    admin = UserFactory(role="admin")
    seller = UserFactory(role="sales")
    mine = ImportRunFactory(created_by=seller)
    other = ImportRunFactory()
    client.force_login(admin)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("import_list")).content.decode()
    assert mine.file_name in page and f">{other.pk}<" in page
    client.force_login(seller)
    page = client.get(reverse("import_list")).content.decode()
    assert f">{mine.pk}<" in page and f">{other.pk}<" not in page


def test_someone_elses_import_answers_404(client):
    run = ImportRunFactory()
    client.force_login(UserFactory(role="sales"))
    assert client.get(reverse("import_detail", args=[run.pk])).status_code == 404


def test_the_refused_rows_file_has_the_rows_as_they_were_and_an_error_column(
    client, importer_admin, corporate, django_capture_on_commit_callbacks
):
    client.force_login(importer_admin)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, csv_bytes([ACCOUNT_HEADER, account_row(1), account_row(2, email="malo")]))
    run = ImportRun.objects.get()
    response = client.get(reverse("import_refused", args=[run.pk, "csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].endswith("Error")
    assert len(lines) == 2 and "malo" in lines[1] and "Correo" in lines[1]
    response = client.get(reverse("import_refused", args=[run.pk, "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_progress_partial_polls_while_running_and_stops_when_done(client, importer_admin):
    run = ImportRunFactory(
        created_by=importer_admin, status="writing", dry_run=False, total_rows=100, rows_checked=40
    )
    client.force_login(importer_admin)
    page = client.get(reverse("import_progress", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="40"' in page
    run.status = "done"
    run.save()
    response = client.get(reverse("import_progress", args=[run.pk]))
    assert "every 1s" not in response.content.decode()
    assert response["HX-Refresh"] == "true"


def test_a_run_whose_worker_stopped_beating_says_so(client, importer_admin):
    from datetime import timedelta

    from django.utils import timezone

    old = timezone.now() - timedelta(minutes=10)
    run = ImportRunFactory(
        created_by=importer_admin, status="writing", dry_run=False, heartbeat_at=old
    )
    client.force_login(importer_admin)
    page = client.get(reverse("import_detail", args=[run.pk])).content.decode()
    assert "every 1s" not in page
    assert "se detuvo" in page


def test_imported_history_says_which_import(client, importer_admin, corporate):
    from .helpers import run_import

    run = run_import(importer_admin, csv_bytes([ACCOUNT_HEADER, account_row(1)]))
    account = Account.objects.get()
    client.force_login(importer_admin)
    page = client.get(account.get_absolute_url()).content.decode()
    assert reverse("import_detail", args=[run.pk]) in page
    assert f"Importación n.º {run.pk}" in page or f"#{run.pk}" in page


def test_the_settings_page_links_administrators_to_the_imports(client):
    client.force_login(UserFactory(role="admin"))
    assert reverse("import_list") in client.get(reverse("settings")).content.decode()
