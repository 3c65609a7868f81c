"""Two gunicorn servers on loopback, one PostgreSQL database, one storage: driven in
parallel through both, nothing is lost or duplicated, versions hold, history is complete,
and a session made on one server works on the other.

(Imports are not driven here: the importer is not on main yet.)"""

import hashlib
import os
import re
import signal
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import cycle

import pytest
import requests

from clientela.accounts.tests.factories import panama_ruc
from clientela.core.tests.ports import free_port
from clientela.documents.tests.factories import pdf_bytes

from .installation import new_installation, on_postgresql

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not on_postgresql(), reason="app servers share PostgreSQL"),
]

PASSWORD = "Una-clave-larga-2026!"
CREATED = 40
WRITERS = 8


@pytest.fixture(scope="module")
def site(tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock():
        installation = new_installation(tmp_path_factory.mktemp("two-servers"))
    # Production mode: DEBUG and the test settings off, hashed static files, PBKDF2.
    production = {"CLIENTELA_TESTING": "", "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0"}
    installation.extra_env.update(production)
    installation.manage("collectstatic", "--noinput", "-v0")
    installation.manage("create_user", "gerente", "--role", "manager", CLIENTELA_PASSWORD=PASSWORD)
    token = installation.manage("create_api_token", "gerente").stdout.strip().splitlines()[-1]
    servers = []
    try:
        for name in ("a", "b"):
            port = free_port()
            process = installation.popen(
                str(os.path.join(os.path.dirname(sys.executable), "gunicorn")),
                "-c",
                "gunicorn.conf.py",
                "config.wsgi",
                log=installation.root / f"gunicorn-{name}.log",
                GUNICORN_BIND=f"127.0.0.1:{port}",
                GUNICORN_WORKERS="2",
                GUNICORN_THREADS="4",
            )
            servers.append((f"http://127.0.0.1:{port}", process))
        for url, process in servers:
            wait_until_up(url, process)
        yield installation, [url for url, _process in servers], token
    finally:
        for _url, process in servers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
        with django_db_blocker.unblock():
            installation.drop()


def wait_until_up(url, process, timeout=180):
    # Generous: on a busy CI machine gunicorn's workers take a while to import Django.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn stopped"
        try:
            if requests.get(f"{url}/healthz", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not start")


class TimeoutSession(requests.Session):
    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", 60)
        return super().request(*args, **kwargs)


def api(token):
    session = TimeoutSession()
    session.headers["Authorization"] = f"Bearer {token}"
    return session


def account_body(n):
    return {
        "person_kind": "legal",
        "name": f"Empresa Paralela {n}, S.A.",
        "tax_id": panama_ruc(7000 + n),
        "contact_name": "Lucía Peña",
        "email": f"empresa{n}@example.com",
        "phone": "223-4567",
        "customer_type": "CORP",
    }


def in_parallel(calls):
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        return list(pool.map(lambda call: call(), calls))


def test_creates_through_both_servers_are_all_kept_with_unique_codes(site):
    installation, urls, token = site
    session = api(token)
    calls = [
        (lambda url=url, n=n: session.post(f"{url}/api/v1/accounts", json=account_body(n)))
        for n, url in zip(range(CREATED), cycle(urls), strict=False)
    ]
    responses = in_parallel(calls)
    assert [response.status_code for response in responses] == [201] * CREATED
    codes = [response.json()["code"] for response in responses]
    assert len(set(codes)) == CREATED
    rows = installation.query(
        "SELECT COUNT(*), COUNT(DISTINCT code) FROM accounts_account WHERE name LIKE %s",
        ("Empresa Paralela %",),
    )
    assert rows == [(CREATED, CREATED)]
    created_history = installation.query(
        "SELECT COUNT(*) FROM audit_historyentry h JOIN accounts_account a "
        "ON h.object_id = CAST(a.id AS TEXT) WHERE h.action = 'create' AND a.name LIKE %s",
        ("Empresa Paralela %",),
    )
    assert created_history == [(CREATED,)]


def test_concurrent_edits_of_one_version_through_both_servers_let_exactly_one_win(site):
    installation, urls, token = site
    session = api(token)
    created = session.post(f"{urls[0]}/api/v1/accounts", json=account_body(500)).json()
    code, version = created["code"], created["version"]
    calls = [
        (
            lambda url=url, n=n: session.patch(
                f"{url}/api/v1/accounts/{code}", json={"city": f"Ciudad {n}", "version": version}
            )
        )
        for n, url in zip(range(10), cycle(urls), strict=False)
    ]
    statuses = sorted(response.status_code for response in in_parallel(calls))
    assert statuses == [200] + [409] * 9
    latest = session.get(f"{urls[1]}/api/v1/accounts/{code}").json()
    assert latest["version"] == version + 1
    updates = installation.query(
        "SELECT COUNT(*) FROM audit_historyentry h JOIN accounts_account a "
        "ON h.object_id = CAST(a.id AS TEXT) WHERE h.action = 'update' AND a.code = %s",
        (code,),
    )
    assert updates == [(1,)]


def test_uploads_through_both_servers_are_stored_once_each(site):
    installation, urls, token = site
    session = api(token)
    code = session.post(f"{urls[0]}/api/v1/accounts", json=account_body(600)).json()["code"]
    contents = [pdf_bytes(f"Contrato paralelo {n}") for n in range(8)]
    # The last file twice, once through each server at the same time: one copy is kept.
    contents.append(contents[-1])

    def upload(url, data, n):
        files = {"files": (f"contrato-{n}.pdf", data, "application/pdf")}
        return session.post(f"{url}/api/v1/accounts/{code}/documents", files=files)

    calls = [
        (lambda url=url, data=data, n=n: upload(url, data, n))
        for n, (data, url) in enumerate(zip(contents, cycle(urls), strict=False))
    ]
    statuses = sorted(response.status_code for response in in_parallel(calls))
    assert statuses == [201] * 8 + [422]
    stored = installation.query(
        "SELECT d.file, d.sha256 FROM documents_document d JOIN accounts_account a "
        "ON d.account_id = a.id WHERE a.code = %s",
        (code,),
    )
    assert len(stored) == 8
    assert {sha for _name, sha in stored} == {hashlib.sha256(data).hexdigest() for data in contents}
    for name, sha in stored:
        assert hashlib.sha256((installation.media_root / name).read_bytes()).hexdigest() == sha
    on_disk = [path for path in installation.media_root.rglob("*") if path.is_file()]
    assert len(on_disk) == 8  # the refused duplicate left no file behind


def test_a_session_made_on_one_server_works_on_the_other(site):
    _installation, (first, second), _token = site
    login_page = requests.get(f"{first}/login/", timeout=30)
    csrf = login_page.cookies["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    logged_in = requests.post(
        f"{first}/login/",
        data={"username": "gerente", "password": PASSWORD, "csrfmiddlewaretoken": token},
        cookies={"csrftoken": csrf},
        allow_redirects=False,
        timeout=30,
    )
    assert logged_in.status_code == 302
    # The cookies are Secure (production); the test speaks plain HTTP, so it sends them.
    session_cookie = {"sessionid": logged_in.cookies["sessionid"]}
    elsewhere = requests.get(
        f"{second}/accounts/", cookies=session_cookie, allow_redirects=False, timeout=30
    )
    assert elsewhere.status_code == 200
    assert "gerente" in elsewhere.text
    assert requests.get(f"{second}/accounts/", allow_redirects=False, timeout=30).status_code == 302
