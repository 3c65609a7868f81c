import threading

import pytest
from playwright.sync_api import expect

from clientela.accounts.tests.factories import CustomerTypeFactory, UserFactory
from clientela.imports.models import ImportRun
from clientela.imports.services import import_process
from clientela.imports.tests.files import ACCOUNT_HEADER, account_row, csv_bytes
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

# The preview also looks up each new account's look-alikes (clientela.duplicates): on a
# busy 2-core machine the check of 1,500 rows has taken over 30 s.
SLOW = 90_000
ROWS = 1500


def _work_queued_runs(stop: threading.Event, go: threading.Event) -> None:
    """What `manage.py db_worker` does for imports, in a thread of the test; it takes a
    queued run only when `go` is set, so the test sees each run queued first."""
    from django.db import connection

    try:
        while not stop.is_set():
            if go.is_set():
                for run in ImportRun.objects.filter(status=ImportRun.Status.QUEUED):
                    import_process(run_id=run.pk)
            stop.wait(0.2)
    finally:
        connection.close()


def test_uploads_previews_commits_watches_progress_and_finds_the_account(
    page, settings, tmp_path, screenshot_dir
):
    # Tasks wait in the queue (no inline run), so the page shows them queued and running.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.IMPORT_BATCH_SIZE = 100
    UserFactory(username="gerente", password="clave-segura-123", role="manager")
    CustomerTypeFactory(code="CORP", name="Corporativo")
    rows = [account_row(n) for n in range(1, ROWS)] + [
        account_row(ROWS, name="Ferretería Ñandú, S.A.")
    ]
    path = tmp_path / "clientes.csv"
    path.write_bytes(csv_bytes([ACCOUNT_HEADER, *rows]))

    stop, go = threading.Event(), threading.Event()
    worker = threading.Thread(target=_work_queued_runs, args=(stop, go), daemon=True)
    login(page, "gerente", "clave-segura-123")
    page.goto("/accounts/")
    page.get_by_role("link", name="Importar").first.click()
    page.get_by_label("Archivo").set_input_files(str(path))
    page.get_by_role("button", name="Subir y revisar").click()
    page.wait_for_url("**/imports/*/")
    run_page = page.url
    # Queued: the progress bar is there, and it survives a reload.
    expect(page.locator("#progress-checked")).to_be_visible()
    page.reload()
    expect(page.locator("#progress-checked")).to_be_visible()
    worker.start()
    go.set()
    try:
        preview = page.locator("#import-run")
        expect(preview.locator('[data-count="created"]')).to_have_text(f"{ROWS:,}", timeout=SLOW)
        expect(preview.locator('[data-count="refused"]')).to_have_text("0")
        expect(page.get_by_role("combobox", name="Razón social")).to_have_value("name")
        if screenshot_dir:
            page.screenshot(path=str(screenshot_dir / "import-preview.png"), full_page=True)
        go.clear()
        page.locator("#import-commit").click()
        page.wait_for_url(run_page)
        expect(page.locator("#progress-written")).to_be_visible(timeout=SLOW)
        go.set()
        expect(page.locator("[data-status]")).to_have_attribute("data-status", "done", timeout=SLOW)
        expect(preview.locator('[data-count="created"]')).to_have_text(f"{ROWS:,}")
    finally:
        stop.set()
        worker.join(timeout=30)

    page.goto("/accounts/?q=nandu")
    expect(page.locator("#results")).to_contain_text("Ferretería Ñandú, S.A.", timeout=SLOW)
