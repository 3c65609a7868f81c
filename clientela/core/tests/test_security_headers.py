"""The headers of issue 14 item 7: a Content-Security-Policy without inline script or
style on every page, Permissions-Policy, `Cache-Control: private, no-store` on a logged-in
user's pages and on API answers, HSTS preload and includeSubDomains only when asked."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from clientela.api.services import api_token_create

pytestmark = pytest.mark.django_db

TEMPLATES = sorted((Path(settings.BASE_DIR) / "clientela").rglob("templates/**/*.html"))


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split(None, 1)[0]: part.split(None, 1)[1] if " " in part.strip() else ""
        for part in (item.strip() for item in header.split(";"))
        if part
    }


@pytest.mark.parametrize("path", ["/", "/accounts/", "/accounts/new/", "/opportunities/board/"])
def test_logged_in_pages_carry_every_header(logged_client, path):
    response = logged_client.get(path, follow=True)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cache-Control"] == "private, no-store"


def test_htmx_fragments_are_not_cached_either(logged_client, account):
    response = logged_client.get("/accounts/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_login_page_has_the_policy(client):
    response = client.get("/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "Permissions-Policy" in response


@pytest.mark.parametrize("auth", ["token", "session", "none"])
def test_api_answers_are_not_cached(client, user, account, auth):
    headers = {}
    if auth == "token":
        _token, secret = api_token_create(user=user, name="headers")
        headers["Authorization"] = f"Bearer {secret}"
    elif auth == "session":
        client.force_login(user)
    response = client.get("/api/v1/accounts", headers=headers)
    assert response.status_code == (401 if auth == "none" else 200)
    assert response["Cache-Control"] == "private, no-store"


def test_templates_have_no_inline_script_style_or_handlers():
    """What the policy would refuse in a browser, refused here first."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    style = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
    handler = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)
    found = []
    for template in TEMPLATES:
        text = template.read_text(encoding="utf-8")
        for pattern in (inline_script, style, handler):
            found += [f"{template}: {m.group(0).strip()}" for m in pattern.finditer(text)]
    assert TEMPLATES and not found, found


def production_settings(**env: str) -> dict[str, object]:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_HSTS_PRELOAD]))"
    )
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CLIENTELA_TESTING"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "crm.example.com",
            **env,
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, subdomains, preload = json.loads(result.stdout.strip().splitlines()[-1])
    return {"seconds": seconds, "subdomains": subdomains, "preload": preload}


def test_hsts_preload_and_subdomains_only_when_asked():
    assert production_settings() == {"seconds": 31_536_000, "subdomains": False, "preload": False}
    asked = production_settings(SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1")
    assert asked == {"seconds": 31_536_000, "subdomains": True, "preload": True}


def test_hsts_header_follows_the_settings(settings):
    # SecurityMiddleware reads its settings once: a new Client builds a new stack.
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = False
    settings.SECURE_HSTS_PRELOAD = False
    assert Client().get("/login/", secure=True)["Strict-Transport-Security"] == "max-age=3600"
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    assert Client().get("/login/", secure=True)["Strict-Transport-Security"] == (
        "max-age=3600; includeSubDomains; preload"
    )


def test_pages_and_forms_work_under_production_https_settings(settings, user, account):
    """The production security settings (HTTPS behind the proxy) on: pages answer with
    every header, a form posts with its secure CSRF cookie, plain HTTP is redirected."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    # Plain HTTP spelled out: the suite's --https pass makes every other request secure.
    plain = {"wsgi.url_scheme": "http", "SERVER_PORT": "80"}
    assert Client().get("/login/", **plain).status_code == 301
    browser = Client(enforce_csrf_checks=True)
    login_page = browser.get("/login/", secure=True)
    assert login_page.status_code == 200
    assert login_page.cookies["csrftoken"]["secure"]
    response = browser.post(
        "/login/",
        {
            "username": user.username,
            "password": "clave-segura-123",
            "csrfmiddlewaretoken": login_page.cookies["csrftoken"].value,
        },
        headers={"Referer": "https://testserver/login/"},
        secure=True,
    )
    assert response.status_code == 302, response.content[:500]
    assert response.cookies["sessionid"]["secure"]
    for path in ("/", "/accounts/", f"/accounts/{account.code}/", "/opportunities/board/"):
        page = browser.get(path, follow=True, secure=True)
        assert page.status_code == 200, path
        assert page["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "script-src 'self'" in page["Content-Security-Policy"]
        assert page["Cache-Control"] == "private, no-store"
