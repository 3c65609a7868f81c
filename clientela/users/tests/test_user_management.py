import pytest
from django.core.management import CommandError, call_command

from clientela.accounts.tests.factories import UserFactory
from clientela.users.models import User
from clientela.users.roles import Role

pytestmark = pytest.mark.django_db


def test_create_user_command_reads_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("CLIENTELA_PASSWORD", "una-clave-muy-larga-2026")
    call_command("create_user", "marta", role="support")
    user = User.objects.get(username="marta")
    assert user.role == Role.SUPPORT
    assert user.check_password("una-clave-muy-larga-2026")
    assert not user.is_staff


def test_create_user_command_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("CLIENTELA_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("create_user", "marta", role="sales")
    assert not User.objects.filter(username="marta").exists()


def test_create_user_command_refuses_an_unknown_role(monkeypatch):
    monkeypatch.setenv("CLIENTELA_PASSWORD", "una-clave-muy-larga-2026")
    with pytest.raises(CommandError):
        call_command("create_user", "marta", role="jefe")


def test_admin_role_gets_the_admin_site():
    admin = UserFactory(role="admin")
    assert admin.is_staff


def test_only_administrators_reach_the_users_page(client):
    for role in ["manager", "sales", "support", "viewer"]:
        client.force_login(UserFactory(role=role))
        assert client.get("/settings/users/").status_code == 403
        assert client.post("/settings/users/new/", {"username": "x"}).status_code == 403
    client.force_login(UserFactory(role="admin"))
    assert client.get("/settings/users/").status_code == 200


def test_administrator_creates_a_user_with_a_role(client):
    client.force_login(UserFactory(role="admin"))
    response = client.post(
        "/settings/users/new/",
        {"username": "pedro", "role": "sales", "password": "otra-clave-segura-99"},
    )
    assert response.status_code == 302
    assert User.objects.get(username="pedro").role == Role.SALES


def test_failed_user_creation_keeps_the_input(client):
    client.force_login(UserFactory(role="admin"))
    response = client.post(
        "/settings/users/new/",
        {"username": "pedro", "first_name": "Pedro", "role": "sales", "password": "1"},
    )
    assert response.status_code == 422
    assert 'value="Pedro"' in response.content.decode()
    assert not User.objects.filter(username="pedro").exists()


def test_administrator_changes_a_role_and_deactivates(client):
    client.force_login(UserFactory(role="admin"))
    target = UserFactory(role="sales")
    response = client.post(
        f"/settings/users/{target.username}/", {"role": "viewer", "is_active": ""}
    )
    assert response.status_code == 302
    target = User.objects.get(pk=target.pk)
    assert target.role == Role.VIEWER
    assert not target.is_active


def test_administrator_cannot_lock_themselves_out(client):
    admin = UserFactory(role="admin")
    client.force_login(admin)
    response = client.post(
        f"/settings/users/{admin.username}/", {"role": "viewer", "is_active": "on"}
    )
    assert response.status_code == 422
    assert User.objects.get(pk=admin.pk).role == Role.ADMIN


def test_deactivated_user_is_logged_out_on_the_next_request(client):
    user = UserFactory(role="sales")
    client.force_login(user)
    assert client.get("/accounts/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_unknown_user_page_is_404(client):
    client.force_login(UserFactory(role="admin"))
    assert client.get("/settings/users/nadie/").status_code == 404
