import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # A production process: none of the development or test switches of this run.
    dropped = {"DEBUG", "CLIENTELA_TESTING", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_production_settings_pass_check_deploy():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 20 + "-a-long-random-production-key-0123456789",
        ALLOWED_HOSTS="crm.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _storage_backend(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from config import settings; print(settings.STORAGES['default']['BACKEND'])",
        ],
        cwd=ROOT,
        env={**os.environ, "CLIENTELA_TESTING": "1", **env},
        capture_output=True,
        text=True,
    )


def test_an_object_store_is_chosen_by_environment_alone():
    result = _storage_backend(CLIENTELA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="clientela-files")
    assert result.stdout.strip() == "clientela.core.storage.PrivateS3Storage", result.stderr
    assert _storage_backend().stdout.strip().endswith("FileSystemStorage")


def test_an_object_store_without_a_bucket_or_an_unknown_storage_stops_the_start():
    assert "AWS_STORAGE_BUCKET_NAME is required" in _storage_backend(CLIENTELA_STORAGE="s3").stderr
    assert "CLIENTELA_STORAGE must be" in _storage_backend(CLIENTELA_STORAGE="ftp").stderr
