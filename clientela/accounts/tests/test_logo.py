import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from clientela.accounts import services
from clientela.accounts.models import Account

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def image_file(fmt="PNG", size=(1200, 800), name="logo.png", exif=False):
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010E] = "secret GPS place"  # ImageDescription
        kwargs["exif"] = data
    image.save(out, format=fmt, **kwargs)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def test_logo_is_reencoded_and_resized(user, account):
    updated = services.account_set_logo(user=user, account=account, upload=image_file()).record
    with updated.logo.open("rb") as fh, Image.open(fh) as large:
        assert large.format == "WEBP"
        assert max(large.size) == 512
    with updated.logo_thumb.open("rb") as fh, Image.open(fh) as thumb:
        assert max(thumb.size) == 64
    assert updated.version == account.version + 1


def test_logo_metadata_is_dropped(user, account):
    updated = services.account_set_logo(
        user=user, account=account, upload=image_file("JPEG", name="x.jpg", exif=True)
    ).record
    with updated.logo.open("rb") as fh:
        assert b"secret GPS place" not in fh.read()


def test_logo_file_name_never_comes_from_the_user(user, account):
    upload = image_file(name="../../etc/passwd.png")
    updated = services.account_set_logo(user=user, account=account, upload=upload).record
    assert updated.logo.name.startswith("logos/")
    assert "passwd" not in updated.logo.name and ".." not in updated.logo.name


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_image_formats_are_refused(user, account, fmt):
    with pytest.raises(ValidationError) as exc:
        services.account_set_logo(user=user, account=account, upload=image_file(fmt, name="a.png"))
    assert "logo" in exc.value.message_dict


def test_html_renamed_png_is_refused(user, account):
    upload = SimpleUploadedFile("logo.png", b"<html><script>alert(1)</script></html>", "image/png")
    with pytest.raises(ValidationError):
        services.account_set_logo(user=user, account=account, upload=upload)
    assert not Account.objects.get(pk=account.pk).logo


def test_oversized_logo_is_refused(user, account, settings):
    settings.LOGO_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as exc:
        services.account_set_logo(user=user, account=account, upload=image_file())
    assert "logo" in exc.value.message_dict


def test_replacing_a_logo_removes_the_old_files_after_commit(
    user, account, django_capture_on_commit_callbacks
):
    first = services.account_set_logo(user=user, account=account, upload=image_file()).record
    storage, old = first.logo.storage, first.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        services.account_set_logo(user=user, account=first, upload=image_file())
    assert not storage.exists(old)


def test_upload_view_refuses_svg_with_a_message(logged_client, account):
    svg = SimpleUploadedFile("logo.svg", b"<svg onload='alert(1)'/>", "image/svg+xml")
    response = logged_client.post(f"/accounts/{account.code}/logo/", {"logo": svg}, follow=True)
    assert "PNG, JPEG o WebP" in response.content.decode()


def test_logo_is_served_through_the_access_gate(logged_client, user, account):
    services.account_set_logo(user=user, account=account, upload=image_file())
    response = logged_client.get(f"/accounts/{account.code}/logo/thumb.webp")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert Client().get(f"/accounts/{account.code}/logo/thumb.webp").status_code == 302
    assert logged_client.get(f"/accounts/{account.code}/logo/other.webp").status_code == 404
