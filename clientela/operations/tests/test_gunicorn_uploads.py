"""A gunicorn worker that dies mid-upload leaves no spooled file behind (issue 14 item 6):
each worker spools into its own folder, which the master removes when the worker exits."""

import os
import runpy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings


def load_config(monkeypatch, root: Path) -> dict:
    monkeypatch.setenv("CLIENTELA_UPLOAD_TEMP_DIR", str(root))
    return runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))


def test_a_dead_workers_spooled_uploads_are_removed(monkeypatch, tmp_path):
    config = load_config(monkeypatch, tmp_path)
    worker = SimpleNamespace(pid=4242)
    config["post_fork"](None, worker)
    folder = tmp_path / "worker-4242"
    assert os.environ["CLIENTELA_UPLOAD_TEMP_DIR"] == str(folder)  # what settings will read
    (folder / "tmpabc.upload").write_bytes(b"\0" * 1024)  # killed while spooling this
    config["child_exit"](None, worker)
    assert not folder.exists()


def test_leftovers_of_a_previous_master_are_removed_at_start(monkeypatch, tmp_path):
    (tmp_path / "worker-1").mkdir()
    (tmp_path / "worker-1" / "tmpx.upload").write_bytes(b"x")
    (tmp_path / "otra-cosa").mkdir()
    config = load_config(monkeypatch, tmp_path)
    config["on_starting"](None)
    assert not (tmp_path / "worker-1").exists()
    assert (tmp_path / "otra-cosa").exists()


def test_settings_spool_uploads_where_the_worker_says(monkeypatch, tmp_path):
    folder = tmp_path / "worker-7"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.FILE_UPLOAD_TEMP_DIR)",
        ],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CLIENTELA_TESTING": "1",
            "CLIENTELA_UPLOAD_TEMP_DIR": str(folder),
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == str(folder)
    assert folder.is_dir()
