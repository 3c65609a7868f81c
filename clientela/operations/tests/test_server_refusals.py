"""What gunicorn refuses before Django sees it (issue 14, item 3): a request line over
gunicorn's limit, headers over theirs, an unparseable request — answered in the API's
JSON error format by our gunicorn.conf.py, never gunicorn's HTML page."""

import json
import os
import signal
import socket
import sys

import pytest

from clientela.core.tests.ports import free_port

from .installation import new_installation
from .test_two_servers import wait_until_up

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def server(tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock():
        installation = new_installation(tmp_path_factory.mktemp("refusals"))
    installation.extra_env.update(
        {"CLIENTELA_TESTING": "", "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0"}
    )
    port = free_port()
    process = installation.popen(
        str(os.path.join(os.path.dirname(sys.executable), "gunicorn")),
        "-c",
        "gunicorn.conf.py",
        "config.wsgi",
        log=installation.root / "gunicorn.log",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="2",
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}", process)
        yield port
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        with django_db_blocker.unblock():
            installation.drop()


def raw(port: int, request: bytes) -> tuple[str, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _sep, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _s, v in (line.partition(":") for line in lines)}
    return status, headers, body


def assert_json_error(answer: tuple[str, dict[str, str], bytes], status: int) -> str:
    line, headers, body = answer
    assert line.startswith(f"HTTP/1.1 {status} ")
    assert headers["content-type"] == "application/json"
    assert int(headers["content-length"]) == len(body)
    detail = json.loads(body)["detail"]
    assert detail and "<" not in detail
    return detail


def test_a_url_over_gunicorns_request_line_limit_is_a_json_414(server):
    path = "/api/v1/accounts?q=" + "a" * 9000
    answer = raw(server, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    assert assert_json_error(answer, 414) == "La URL es demasiado larga."


def test_headers_over_gunicorns_limits_are_a_json_431(server):
    headers = "".join(f"X-Relleno-{n}: {n}\r\n" for n in range(150))
    request = f"GET /api/v1/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n"
    detail = assert_json_error(raw(server, request.encode()), 431)
    assert "cabeceras" in detail


def test_an_unparseable_request_is_a_json_400(server):
    answer = raw(server, b"NOT A REQUEST\r\n\r\n")
    assert_json_error(answer, 400)


def test_a_normal_api_request_still_reaches_django(server):
    line, headers, _body = raw(
        server, b"GET /api/v1/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    assert line.startswith("HTTP/1.1 401 ")
    assert headers["content-type"].startswith("application/json")
