import re

import pytest

from clientela.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def attempt(client, username, password="clave-equivocada"):
    return client.post("/login/", {"username": username, "password": password})


def test_login_with_the_right_password_works(client):
    UserFactory(username="lola", password="clave-segura-123")
    response = attempt(client, "lola", "clave-segura-123")
    assert response.status_code == 302


def test_wrong_password_shows_a_generic_error(client):
    UserFactory(username="lola")
    response = attempt(client, "lola")
    assert response.status_code == 200
    assert (
        "Por favor, introduzca un nombre de usuario y clave correctos" in response.content.decode()
    )


@pytest.mark.parametrize("username", ["lola", "no-existe"])
def test_repeated_failures_lock_out_without_revealing_the_user(client, username):
    UserFactory(username="lola", password="clave-segura-123")
    for _ in range(5):
        attempt(client, username)
    response = attempt(client, username)
    html = response.content.decode()
    assert response.status_code == 429
    assert "Demasiados intentos" in html
    assert "no existe" not in html.lower()
    # Even the right password is refused during the lockout.
    if username == "lola":
        assert attempt(client, "lola", "clave-segura-123").status_code == 429


def test_lockout_pages_look_the_same_for_real_and_unknown_users(client):
    UserFactory(username="lola")
    for _ in range(6):
        real = attempt(client, "lola")
    for _ in range(6):
        fake = attempt(client, "no-existe")
    assert real.status_code == fake.status_code == 429
    assert page_text(real, "lola") == page_text(fake, "no-existe")


def page_text(response, username):
    # The CSRF tokens differ per response; everything else must be the same.
    html = re.sub(r'(content|value)="[A-Za-z0-9]{64}"', "TOKEN", response.content.decode())
    return html.replace(username, "X")
