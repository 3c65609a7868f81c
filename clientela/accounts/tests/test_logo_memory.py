"""Decoding a logo may not take a worker's memory (issue 14 item 5): a few KB of PNG
declaring 40 million pixels took a worker from 101 to 607 MB. Pillow allocates pixels
outside Python's allocator (tracemalloc does not see them), so each upload is processed
in a fresh interpreter: its peak resident memory (VmHWM, reset to the current size
first) after the upload is compared with the one before."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

SCRIPT = """
import json, os, resource, sys
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from clientela.accounts.logo import process_logo

def status_kb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)

def peak_kb():
    try:
        return status_kb("VmHWM")
    except (OSError, LookupError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

try:
    # Linux: reset the peak to the current size (imports freed memory since their peak).
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
except OSError:
    pass

data = open(sys.argv[1], "rb").read()
upload = SimpleUploadedFile("logo", data, "image/png")
before = peak_kb()
try:
    images = process_logo(upload)
    outcome = "accepted"
except ValidationError:
    outcome = "refused"
after = peak_kb()
print(json.dumps({"outcome": outcome, "growth_mb": (after - before) / 1024}))
"""


def peak_growth(tmp_path: Path, data: bytes) -> dict:
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "CLIENTELA_TESTING": "1"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
        check=True,
        timeout=120,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def encoded(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def test_png_declaring_40_megapixels_is_refused_before_decoding(tmp_path):
    data = encoded(Image.new("1", (6300, 6300), 1), "PNG")
    assert len(data) < 100_000  # tens of KB, as in the review
    result = peak_growth(tmp_path, data)
    assert result["outcome"] == "refused"
    assert result["growth_mb"] < 20, result


def test_large_jpeg_photo_is_decoded_reduced(tmp_path):
    data = encoded(Image.new("RGB", (6000, 4000), (200, 30, 30)), "JPEG")
    result = peak_growth(tmp_path, data)
    assert result["outcome"] == "accepted"
    # Whole, this photo is 72 MB of RGB and 96 MB more as RGBA.
    assert result["growth_mb"] < 40, result


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_at_the_full_decode_ceiling_stay_small(tmp_path, fmt):
    data = encoded(Image.new("RGBA", (2048, 2048), (20, 30, 200, 255)), fmt)
    result = peak_growth(tmp_path, data)
    assert result["outcome"] == "accepted"
    # 16 MB of RGBA, plus the decoder's own buffers (libwebp's are the larger).
    assert result["growth_mb"] < 100, result
