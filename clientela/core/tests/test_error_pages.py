"""`make run` runs with DEBUG on: the product's own 404/500 pages, not Django's
technical pages listing every URL (issue 18 item 9)."""

import pytest
from django.urls import path

from clientela.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]


@pytest.fixture
def debug_client(client, settings):
    settings.DEBUG = True
    auth = settings.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: auth + 1],
        "clientela.core.middleware.ProductErrorPagesMiddleware",
        *settings.MIDDLEWARE[auth + 1 :],
    ]
    client.force_login(UserFactory(role="manager"))
    return client


def test_unknown_url_shows_our_404_not_the_url_list(debug_client):
    response = debug_client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Using the URLconf" not in body
    assert "No encontrado" in body or "Not found" in body


def test_error_shows_our_500(debug_client, settings):
    settings.ROOT_URLCONF = __name__
    debug_client.raise_request_exception = False
    response = debug_client.get("/boom/")
    assert response.status_code == 500
    assert "Traceback" not in response.content.decode()
