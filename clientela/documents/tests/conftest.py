import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Every documents test stores files in its own temporary folder, never under var/."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
