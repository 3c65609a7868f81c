"""Storage under test: the filesystem (default), or a real S3 API on loopback.

`CLIENTELA_TEST_STORAGE=s3 pytest …` starts moto's standalone S3 server (from PyPI, no
network) once per test process on a free port, and gives every test a fresh private
bucket through settings.STORAGES — the same backend and options production uses
(config/settings.py, CLIENTELA_STORAGE=s3). CI runs the document and logo tests both ways.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.storage import Storage, default_storage

from .ports import free_port

S3_MODE = os.environ.get("CLIENTELA_TEST_STORAGE", "filesystem") == "s3"
REGION = "us-east-1"
# moto accepts any credentials; these only have to be the same on both sides.
ACCESS_KEY = "clientela-test"
SECRET_KEY = "clientela-test-secret"


def s3_options(endpoint: str, bucket: str) -> dict[str, Any]:
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": REGION,
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "addressing_style": "path",
    }


def create_bucket(endpoint: str, bucket: str) -> None:
    import boto3

    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    ).create_bucket(Bucket=bucket)


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_bucket(moto_endpoint: str, settings: Any) -> str:
    """A new empty bucket, made the default storage for this test."""
    bucket = f"clientela-{uuid.uuid4().hex[:12]}"
    create_bucket(moto_endpoint, bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "clientela.core.storage.PrivateS3Storage",
            "OPTIONS": s3_options(moto_endpoint, bucket),
        },
    }
    return bucket


@pytest.fixture(autouse=True)
def _storage_under_test(request: pytest.FixtureRequest) -> None:
    if S3_MODE:
        request.getfixturevalue("s3_bucket")


def stored_names(storage: Storage | None = None, folder: str = "") -> list[str]:
    """Every file in `storage` (default: the default storage), sorted, as paths."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    prefix = f"{folder}/" if folder else ""
    names = [f"{prefix}{name}" for name in files]
    for sub in folders:
        names += stored_names(storage, f"{prefix}{sub}")
    return sorted(names)
