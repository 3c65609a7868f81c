import pytest

from clientela.accounts.tests.factories import AccountFactory, UserFactory

# Fixtures for tests against a real S3 API (moto on loopback): CLIENTELA_TEST_STORAGE=s3.
pytest_plugins = ["clientela.core.tests.object_store"]


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
