from typing import Any

import pytest
from django.test import RequestFactory

from clientela.accounts.tests.factories import AccountFactory, UserFactory

# Fixtures for tests against a real S3 API (moto on loopback): CLIENTELA_TEST_STORAGE=s3.
pytest_plugins = ["clientela.core.tests.object_store"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--https",
        action="store_true",
        help="Run under the production HTTPS settings: every test-client request over "
        "https, secure cookies, HSTS, and a plain-HTTP request redirected (CI runs the "
        "suite but the browser tests once this way).",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--https"):
        _requests_over_https()


def _requests_over_https() -> None:
    """Every request a test makes (the client fixture, `Client(...)` built by a test,
    RequestFactory) arrives as the TLS proxy hands it to Django; a redirect to an
    absolute http:// address keeps its scheme, so it loops and fails."""
    plain = RequestFactory.generic

    def generic(
        self: RequestFactory,
        method: str,
        path: str,
        data: Any = "",
        content_type: str = "application/octet-stream",
        secure: bool = True,
        **kwargs: Any,
    ) -> Any:
        return plain(self, method, path, data, content_type, True, **kwargs)

    RequestFactory.generic = generic  # type: ignore[method-assign,assignment]


@pytest.fixture(autouse=True)
def _production_https(request: pytest.FixtureRequest) -> None:
    if not request.config.getoption("--https"):
        return
    settings = request.getfixturevalue("settings")
    # The values config/settings.py sets when neither DEBUG nor testing.
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """No test writes files into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role="admin")


@pytest.fixture
def logged_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def account(db, user):
    return AccountFactory(salesperson=user, created_by=user, updated_by=user)
