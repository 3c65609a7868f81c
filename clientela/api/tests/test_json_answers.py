"""Issue 14, item 3: every answer under /api/v1/ is JSON in the SPEC §10 format, and a
bad token is 401 on writes too."""

import pytest
from django.test import Client

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.api.services import api_token_create, api_token_revoke
from clientela.users.models import User

pytestmark = pytest.mark.django_db


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def assert_json_error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]


@pytest.fixture
def token():
    return api_token_create(user=UserFactory(role="manager"), name="t")[1]


@pytest.mark.parametrize("path", ["/api/v1/nada", "/api/v1/accounts/C-1/nada/", "/api/v1/"])
def test_unknown_paths_answer_json_404(token, path):
    assert_json_error(Client().get(path, **bearer(token)), 404)
    assert_json_error(Client().get(path), 404)


def test_unknown_path_is_spanish_by_default_and_english_on_request(token):
    assert Client().get("/api/v1/nada", **bearer(token)).json()["detail"] == "No encontrado."
    english = Client().get("/api/v1/nada", HTTP_ACCEPT_LANGUAGE="en", **bearer(token))
    assert english.json()["detail"] == "Not found."


def test_a_bad_host_answers_json_400(settings, token):
    settings.ALLOWED_HOSTS = ["clientela.example"]
    response = Client().get("/api/v1/accounts", HTTP_HOST="evil.example", **bearer(token))
    assert_json_error(response, 400)


def test_a_body_over_the_limit_answers_json_413(settings, token):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = Client().post(
        "/api/v1/accounts",
        data='{"name": "' + "x" * 5000 + '"}',
        content_type="application/json",
        **bearer(token),
    )
    assert_json_error(response, 413)


def test_a_url_too_long_answers_json_414(token):
    response = Client().get("/api/v1/accounts?q=" + "a" * 8100, **bearer(token))
    assert_json_error(response, 414)


def test_a_method_not_allowed_answers_json_405(token):
    response = Client().put("/api/v1/accounts", **bearer(token))
    assert_json_error(response, 405)


def test_pages_outside_the_api_stay_html():
    response = Client().get("/no-existe/")
    assert not response["Content-Type"].startswith("application/json")


def _write(token, **extra):
    account = AccountFactory()
    return Client(enforce_csrf_checks=True).patch(
        f"/api/v1/accounts/{account.code}",
        data={"city": "David", "version": 1},
        content_type="application/json",
        **bearer(token),
        **extra,
    )


def test_a_wrong_token_is_401_on_writes_not_a_csrf_403():
    assert_json_error(_write("clt_nope"), 401)


def test_a_revoked_token_is_401_on_writes_even_beside_a_session_cookie():
    user = UserFactory(role="manager")
    record, token = api_token_create(user=user, name="ERP")
    api_token_revoke(user=user, token=record)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    account = AccountFactory()
    response = client.patch(
        f"/api/v1/accounts/{account.code}",
        data={"city": "David", "version": 1},
        content_type="application/json",
        **bearer(token),
    )
    assert_json_error(response, 401)


def test_a_deactivated_users_token_is_401_on_writes():
    user = UserFactory(role="manager")
    _record, token = api_token_create(user=user, name="ERP")
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert_json_error(_write(token), 401)


def test_a_session_write_without_csrf_token_is_still_refused():
    user = UserFactory(role="manager")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    account = AccountFactory()
    response = client.patch(
        f"/api/v1/accounts/{account.code}",
        data={"city": "David", "version": 1},
        content_type="application/json",
    )
    assert_json_error(response, 403)


def test_the_users_list_searches_without_a_server_error(token):
    UserFactory(username="ana.gomez")
    response = Client().get("/api/v1/users?q=ana&page_size=20", **bearer(token))
    assert response.status_code == 200, response.content
    assert [u["username"] for u in response.json()["items"]] == ["ana.gomez"]
    assert Client().get("/api/v1/users?q=%C2%AA%C3%B7", **bearer(token)).status_code == 200
