"""Request bodies are refused by their declared length before anything reads them
(issue 14 item 6): the anonymous spooling and the viewer's 300 MB API upload of the
review, and each endpoint's limit by role."""

import io

import pytest
from django.test import Client

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.api.services import api_token_create

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
HUGE = 300 * MB
BOUNDARY = "frontera"


class WatchedBody(io.RawIOBase):
    """A request body that declares what it likes and records whether it was read."""

    def __init__(self) -> None:
        self.reads = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.reads += 1
        return b""

    def readline(self, size: int | None = -1) -> bytes:
        self.reads += 1
        return b""


def post(client: Client, path: str, length: int, **headers: str) -> tuple[int, WatchedBody, str]:
    body = WatchedBody()
    response = client.generic(
        "POST",
        path,
        b"x",
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": body},
        **headers,
    )
    return response.status_code, body, response.content.decode(errors="replace")


@pytest.fixture
def owned_account(db):
    user = UserFactory(role="sales")
    return user, AccountFactory(salesperson=user, created_by=user, updated_by=user)


def logged(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_client_with_a_csrf_cookie_spools_nothing(owned_account):
    _user, account = owned_account
    client = Client()
    client.cookies["csrftoken"] = "a" * 32
    for path in (f"/accounts/{account.code}/documents/", "/login/", "/accounts/new/"):
        status, body, _text = post(client, path, HUGE, HTTP_X_CSRFTOKEN="a" * 32)
        assert status == 413, path
        assert body.reads == 0, path


def test_anonymous_login_form_still_works(owned_account):
    client = Client()
    response = client.post("/login/", {"username": "nadie", "password": "x"})
    assert response.status_code == 200


def test_viewer_api_upload_is_refused_unread(owned_account):
    _owner, account = owned_account
    viewer = UserFactory(role="viewer")
    _token, secret = api_token_create(user=viewer, name="integración")
    status, body, text = post(
        Client(),
        f"/api/v1/accounts/{account.code}/documents",
        HUGE,
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert status == 413
    assert body.reads == 0
    assert '"detail"' in text  # the API's error format, not a page


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/accounts/{code}/documents/", 100 * MB),
        ("/api/v1/accounts/{code}/documents", 100 * MB),
        ("/accounts/{code}/logo/", 5 * MB),
        ("/accounts/import/", 40 * MB),
        ("/api/v1/imports", 40 * MB),
    ],
)
def test_upload_endpoints_by_role(owned_account, path, allowed):
    owner, account = owned_account
    path = path.format(code=account.code)
    # The owner may upload there: a body within the endpoint's limit is read (and then
    # refused or accepted by the view: here it is empty), one beyond it is not.
    status, body, _text = post(logged(owner), path, allowed)
    assert status != 413 and body.reads > 0
    status, body, _text = post(logged(owner), path, 600 * MB)
    # Unread: 413 from the middleware or the API, or the documents page's own refusal
    # (a message and back to the profile).
    assert body.reads == 0 and status in {413, 302}, status
    # A viewer may upload nowhere: the general limit applies to them.
    status, body, _text = post(logged(UserFactory(role="viewer")), path, 3 * MB)
    assert (status, body.reads) == (413, 0)


def test_other_endpoints_get_the_general_limit(owned_account, settings):
    owner, account = owned_account
    client = logged(owner)
    for path in ("/accounts/new/", f"/accounts/{account.code}/edit/", "/api/v1/accounts"):
        status, body, _text = post(client, path, settings.CLIENTELA_MAX_BODY_BYTES + 1)
        assert (status, body.reads) == (413, 0), path
    status, body, _text = post(client, "/accounts/new/", MB)
    assert status != 413 and body.reads > 0


def test_limits_follow_the_settings(owned_account, settings):
    owner, _account = owned_account
    settings.CLIENTELA_MAX_BODY_BYTES = 1000
    status, body, _text = post(logged(owner), "/accounts/new/", 1001)
    assert (status, body.reads) == (413, 0)
