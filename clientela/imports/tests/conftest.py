import pytest

from clientela.accounts.tests.factories import CustomerTypeFactory, UserFactory


@pytest.fixture
def corporate(db):
    return CustomerTypeFactory(code="CORP", name="Corporativo")


@pytest.fixture
def importer_admin(db):
    return UserFactory(username="admin.importa", role="admin")


@pytest.fixture(autouse=True)
def _progress_dir(settings, tmp_path):
    """Progress side files (SQLite) of each test in its own folder."""
    settings.VAR_DIR = tmp_path / "var"
