"""Backups that restore: a populated installation backed up, restored into a new database
and storage, compared table by table and file by file; an SQLite backup restored into
PostgreSQL; damaged archives and occupied installations refused."""

import io
import json
import tarfile

import pytest

from clientela.core.tests.object_store import S3_MODE

from .installation import new_installation, on_postgresql

pytestmark = pytest.mark.django_db

FINGERPRINT = """
import json
from django.core.files.storage import default_storage
from clientela.operations import fingerprint
from clientela.operations.restore import _all_stored
files = {}
for name in _all_stored():
    with default_storage.open(name, "rb") as stored:
        files[name] = fingerprint.file_sum(stored)[0]
print(json.dumps({"tables": fingerprint.table_sums("default"), "files": files}))
"""


def fingerprint_of(installation):
    return json.loads(installation.manage("shell", "-c", FINGERPRINT).stdout.splitlines()[-1])


@pytest.fixture
def s3_endpoint(request):
    return request.getfixturevalue("moto_endpoint") if S3_MODE else None


@pytest.fixture
def installations(tmp_path, s3_endpoint):
    made = []

    def make(name, **kwargs):
        kwargs.setdefault("s3_endpoint", s3_endpoint)
        installation = new_installation(tmp_path / name, **kwargs)
        made.append(installation)
        return installation

    yield make
    for installation in made:
        installation.drop()


@pytest.fixture
def populated(installations):
    source = installations("source")
    source.manage("seed_demo", "--accounts", "30", "--seed", "1")
    return source


def test_a_backup_restores_into_a_new_installation_exactly(populated, installations, tmp_path):
    archive = tmp_path / "backup.tar"
    populated.manage("backup", str(archive))
    target = installations("target")
    restored = target.manage("restore", str(archive)).stdout
    assert restored.startswith("restored and verified")
    before, after = fingerprint_of(populated), fingerprint_of(target)
    assert before["files"], "the demo data stores documents"
    assert after == before
    assert any(table["rows"] for table in after["tables"].values())


@pytest.mark.skipif(not on_postgresql(), reason="needs the PostgreSQL server of the suite")
def test_an_sqlite_backup_restores_into_postgresql(installations, tmp_path):
    source = installations("sqlite", postgres=False)
    source.manage("seed_demo", "--accounts", "30", "--seed", "2")
    archive = tmp_path / "embedded.tar"
    source.manage("backup", str(archive))
    target = installations("postgres", postgres=True, migrate=False)
    assert target.manage("restore", str(archive)).stdout.startswith("restored and verified")
    assert fingerprint_of(target) == fingerprint_of(source)
    # The copied ids are behind the sequences: new rows get new ids, not a collision.
    target.manage("seed_demo", "--accounts", "5", "--seed", "3")


def test_a_damaged_archive_is_refused_before_anything_changes(populated, installations, tmp_path):
    archive = tmp_path / "backup.tar"
    populated.manage("backup", str(archive))
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as good, tarfile.open(damaged, "w") as bad:
        for member in good.getmembers():
            data = good.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            member.size = len(data)
            bad.addfile(member, io.BytesIO(data))
    target = installations("target")
    result = target.manage("restore", str(damaged), check=False)
    assert result.returncode == 1
    assert "damaged" in result.stderr
    assert target.query("SELECT COUNT(*) FROM accounts_account") == [(0,)]


def test_restore_refuses_an_installation_in_use_unless_forced(populated, installations, tmp_path):
    archive = tmp_path / "backup.tar"
    populated.manage("backup", str(archive))
    busy = installations("busy")
    busy.manage("seed_demo", "--accounts", "3", "--seed", "9")
    refused = busy.manage("restore", str(archive), check=False)
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert busy.query("SELECT COUNT(*) FROM accounts_account") == [(3,)]
    busy.manage("restore", "--force", str(archive))
    assert fingerprint_of(busy) == fingerprint_of(populated)


def test_a_backup_is_written_whole_or_not_at_all(populated, tmp_path):
    archive = tmp_path / "nowhere" / "backup.tar"
    populated.manage("backup", str(archive))
    assert archive.exists()
    assert not list(archive.parent.glob(".*partial"))
