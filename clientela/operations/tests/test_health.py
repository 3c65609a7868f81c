import json
import logging

import pytest
from django.test import Client
from django.utils import timezone

from clientela.operations import health, request_id
from clientela.operations.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_alive(db):
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w", hostname="h", pid=1, started_at=now, seen_at=now)


def test_healthz_answers_without_login_or_a_known_host():
    response = Client(HTTP_HOST="10.0.3.7").get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ok_when_every_check_passes(worker_alive):
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "storage": "ok", "worker": "ok"},
    }


def test_readyz_fails_without_a_recent_worker_heartbeat(settings):
    settings.CLIENTELA_WORKER_STALE_SECONDS = 60
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="old",
        hostname="h",
        pid=1,
        started_at=now,
        seen_at=now - timezone.timedelta(minutes=5),
    )
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "failing"


def test_readyz_names_a_failing_check_and_leaks_nothing(worker_alive, monkeypatch):
    def broken() -> bool:
        raise OSError("secret-bucket.internal.example refused the connection")

    monkeypatch.setitem(health.CHECKS, "storage", broken)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "failing"
    assert b"secret-bucket" not in response.content


def test_readyz_fails_with_unapplied_migrations(worker_alive, monkeypatch):
    monkeypatch.setattr(health, "_migrations_ok_until", 0.0)
    monkeypatch.setattr(
        "django.db.migrations.executor.MigrationExecutor.migration_plan",
        lambda self, targets: [("pending", False)],
    )
    assert Client().get("/readyz").json()["checks"]["migrations"] == "failing"


def test_readyz_leaves_no_file_in_storage(worker_alive):
    from clientela.core.tests.object_store import stored_names

    Client().get("/readyz")
    assert stored_names() == []


def test_other_paths_still_need_a_login():
    assert Client().get("/accounts/").status_code == 302


def test_a_post_to_healthz_is_not_a_probe():
    assert Client().post("/healthz").status_code != 200


# ── Request ids ───────────────────────────────────────────────────────────────────────────


def test_the_proxys_request_id_is_returned(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"


def test_a_request_id_is_made_when_absent_or_unsafe(client):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    unsafe = client.get("/healthz", HTTP_X_REQUEST_ID='x" \n injected')["X-Request-ID"]
    assert "injected" not in unsafe and len(unsafe) == 32


def test_log_lines_of_a_request_carry_its_id(client):
    seen: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record):
            seen.append(record.request_id)

    capture = Capture()
    capture.addFilter(request_id.RequestIdFilter())
    logging.getLogger("django.request").addHandler(capture)
    try:
        client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-me-42")  # logs a 404
    finally:
        logging.getLogger("django.request").removeHandler(capture)
    assert seen == ["trace-me-42"]


def test_json_log_lines_hold_the_request_id():
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    )
    record = logging.LogRecord("clientela", logging.INFO, __file__, 1, "hola %s", ("mundo",), None)
    token = request_id.current.set("rid-7")
    try:
        request_id.RequestIdFilter().filter(record)
    finally:
        request_id.current.reset(token)
    line = json.loads(formatter.format(record))
    assert line["message"] == "hola mundo"
    assert line["request_id"] == "rid-7"
    assert line["level"] == "INFO" and line["logger"] == "clientela"
