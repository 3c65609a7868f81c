import pytest
from django.core.management import call_command
from django.test import Client

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.api.models import ApiToken
from clientela.api.services import api_token_create, api_token_revoke
from clientela.users.models import User

pytestmark = pytest.mark.django_db


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_without_credentials_the_api_answers_401_not_a_redirect(client):
    response = client.get("/api/v1/accounts")
    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_is_401(client):
    assert client.get("/api/v1/accounts", **bearer("clt_nope")).status_code == 401


def test_command_prints_a_token_once_and_stores_only_its_hash(capsys):
    UserFactory(username="integrador")
    call_command("create_api_token", "integrador")
    token = capsys.readouterr().out.strip()
    record = ApiToken.objects.get()
    assert token.startswith("clt_") and len(token) > 40
    assert token not in (record.key_hash, record.prefix)
    assert record.prefix == token[:8]
    assert Client().get("/api/v1/accounts", **bearer(token)).status_code == 200


def test_command_refuses_unknown_users():
    with pytest.raises(Exception, match="No active user"):
        call_command("create_api_token", "nadie")


def test_revoked_token_stops_working(client):
    user = UserFactory()
    record, token = api_token_create(user=user, name="ERP")
    assert client.get("/api/v1/accounts", **bearer(token)).status_code == 200
    api_token_revoke(user=user, token=record)
    assert client.get("/api/v1/accounts", **bearer(token)).status_code == 401


def test_deactivated_users_tokens_stop_working(client):
    user = UserFactory()
    _record, token = api_token_create(user=user, name="ERP")
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/api/v1/accounts", **bearer(token)).status_code == 401


def test_someone_elses_token_cannot_be_revoked():
    _record, _token = api_token_create(user=UserFactory(), name="ERP")
    with pytest.raises(PermissionError):
        api_token_revoke(user=UserFactory(), token=_record)


def test_browser_session_reads_and_needs_csrf_to_write():
    user = UserFactory()
    account = AccountFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(f"/api/v1/accounts/{account.code}").status_code == 200
    response = client.patch(
        f"/api/v1/accounts/{account.code}",
        data={"name": "Sin CSRF", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.name != "Sin CSRF"
    page = client.get("/accounts/")  # sets the CSRF cookie
    response = client.patch(
        f"/api/v1/accounts/{account.code}",
        data={"name": "Con CSRF", "version": 1},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
        HTTP_REFERER=page.wsgi_request.build_absolute_uri(),  # checked over HTTPS
    )
    assert response.status_code == 200, response.content


def test_token_page_creates_shows_once_and_revokes(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/settings/api-tokens/", {"name": "Mi ERP"})
    assert response.status_code == 200
    record = ApiToken.objects.get(user=user)
    html = response.content.decode()
    assert "clt_" in html and record.prefix in html
    listing = client.get("/settings/api-tokens/").content.decode()
    assert "Mi ERP" in listing and html.count("clt_") > listing.count("clt_")
    response = client.post(f"/settings/api-tokens/{record.pk}/revoke/")
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.revoked_at is not None


def test_token_page_cannot_revoke_another_users_token(client):
    record, _token = api_token_create(user=UserFactory(), name="ajeno")
    client.force_login(UserFactory())
    assert client.post(f"/settings/api-tokens/{record.pk}/revoke/").status_code == 404
    record.refresh_from_db()
    assert record.revoked_at is None


def test_openapi_and_docs_are_served_without_a_cdn(client):
    client.force_login(UserFactory())
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/accounts/{code}" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in docs.lower() and "unpkg" not in docs.lower()
    assert "/static/ninja/" in docs
