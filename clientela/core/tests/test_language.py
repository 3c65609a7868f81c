import pytest

pytestmark = pytest.mark.django_db


def test_browser_language_is_ignored_spanish_is_the_default(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "es"


def test_switcher_cookie_selects_english_before_login(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    page = client.get("/login/")
    assert page["Content-Language"] == "en"
    assert "Log in" in page.content.decode()


def test_switcher_ignores_unknown_languages(client):
    client.cookies["django_language"] = "fr"
    assert client.get("/login/")["Content-Language"] == "es"


def test_switcher_does_not_redirect_off_site(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert "evil.example" not in response["Location"]


@pytest.mark.parametrize("url", ["/accounts/C-%00/", "/accounts/?q=%00", "/api/v1/accounts?q=a%00"])
def test_nul_characters_in_urls_are_a_400_not_a_500(client, url):
    from clientela.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(url).status_code == 400
