"""The Dockerfile, compose.yaml, the proxy's and gunicorn's configuration agree with the
settings. There is no container engine on the CI machine, so the image is not built
here: what the build does (install, collectstatic) and what the containers run (the
settings from compose's variables, gunicorn's config) are run directly instead."""

import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
SETTINGS = (ROOT / "config" / "settings.py").read_text()
GUNICORN = (ROOT / "gunicorn.conf.py").read_text()
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
NGINX = (ROOT / "deploy" / "nginx.conf").read_text()
DEPLOYMENT_DOC = (ROOT / "docs" / "deployment.md").read_text()

READERS = (
    r"(?:os\.environ\.get|os\.environ\[|envbool|envint|envrequired|envlist)"
    r"\(?\s*\"([A-Z][A-Z0-9_]+)\""
)
SETTINGS_VARIABLES = set(re.findall(READERS, SETTINGS))
GUNICORN_VARIABLES = set(re.findall(READERS, GUNICORN))
CLIENTELA_SERVICES = {"migrate", "app1", "app2", "worker"}
# What production cannot start without, or would silently run wrong without.
REQUIRED = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "CLIENTELA_STORAGE",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
}


STAND_IN_SECRET = secrets.token_urlsafe(50)


def services():
    return COMPOSE["services"]


def environment(service):
    return {key: str(value) for key, value in services()[service]["environment"].items()}


def substituted(value):
    """compose's ${VAR:?message} and ${VAR} with stand-in values."""
    value = re.sub(r"\$\{CLIENTELA_HOST[^}]*\}", "crm.example.com", value)
    return re.sub(r"\$\{[A-Z_]+[^}]*\}", STAND_IN_SECRET, value)


def test_settings_read_the_variables_we_expect():
    assert {"DATABASE_URL", "SECRET_KEY", "CLIENTELA_STORAGE", "LOG_FORMAT"} <= SETTINGS_VARIABLES


def test_compose_starts_the_whole_topology():
    assert set(services()) == {"db", "objects", "buckets", "proxy", *CLIENTELA_SERVICES}
    assert services()["db"]["image"].startswith("postgres:")
    assert services()["objects"]["image"].startswith("minio/")
    assert services()["proxy"]["image"].startswith("nginx")
    assert set(services()["proxy"]["depends_on"]) == {"app1", "app2"}


@pytest.mark.parametrize("service", sorted(CLIENTELA_SERVICES))
def test_every_clientela_container_gets_every_variable_it_needs_and_no_unknown_one(service):
    env = environment(service)
    assert set(env) >= REQUIRED
    unknown = set(env) - SETTINGS_VARIABLES - GUNICORN_VARIABLES
    assert not unknown, f"{service} sets variables nothing reads: {unknown}"
    assert env["CLIENTELA_STORAGE"] == "s3"
    assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
    assert env["AWS_S3_ENDPOINT_URL"] == "http://objects:9000"
    assert services()[service]["image"] == "clientela:latest"


def test_apps_and_worker_start_after_the_migrations():
    for service in ("app1", "app2", "worker"):
        needs = services()[service]["depends_on"]
        assert needs["migrate"]["condition"] == "service_completed_successfully"
    assert services()["migrate"]["command"][:3] == ["python", "manage.py", "migrate"]


def test_the_app_servers_run_gunicorn_with_our_config_and_the_worker_runs_db_worker():
    for service in ("app1", "app2"):
        assert services()[service]["command"] == [
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            "config.wsgi",
        ]
    assert services()["worker"]["command"][:3] == ["python", "manage.py", "db_worker"]


def test_the_proxy_balances_over_the_app_servers_and_passes_the_request_id():
    upstream = set(re.findall(r"server (\w+):(\d+)", NGINX))
    port = re.search(r'GUNICORN_BIND", "[\d.]+:(\d+)"', GUNICORN).group(1)
    assert upstream == {("app1", port), ("app2", port)}
    assert "proxy_set_header X-Request-ID" in NGINX
    assert "proxy_set_header X-Forwarded-Proto https" in NGINX
    assert "client_max_body_size 501m" in NGINX  # clientela.documents.uploads.max_body_bytes()


def test_the_dockerfile_is_slim_non_root_and_collects_static_files_at_build():
    from_lines = re.findall(r"^FROM (\S+)", DOCKERFILE, re.MULTILINE)
    assert from_lines and all(image.endswith("-slim") or " AS " in image for image in from_lines)
    users = re.findall(r"^USER (\S+)", DOCKERFILE, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert re.search(r"^RUN .*manage\.py collectstatic", DOCKERFILE, re.MULTILINE)
    assert 'pip install ".[s3]"' in DOCKERFILE
    assert "postgresql-client" in DOCKERFILE  # backup and restore need pg_dump
    assert re.search(
        r'^CMD \["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"\]', DOCKERFILE, re.MULTILINE
    )
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", DOCKERFILE, re.MULTILINE):
        for name in shlex.split(source):
            assert (ROOT / name).exists(), (
                f"the Dockerfile copies {name}, which is not in the repository"
            )


def test_the_build_step_collectstatic_runs_without_a_database(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "collectstatic-only",
        "CLIENTELA_VAR_DIR": str(tmp_path),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_the_containers_settings_pass_djangos_deployment_checks(tmp_path):
    env = {key: substituted(value) for key, value in environment("app1").items()}
    env.update({"PATH": "/usr/bin:/bin", "CLIENTELA_VAR_DIR": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    gunicorn = subprocess.run(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--check-config",
            "-c",
            "gunicorn.conf.py",
            "config.wsgi",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert gunicorn.returncode == 0, gunicorn.stderr


def test_the_deployment_guide_names_every_variable():
    missing = sorted(
        name
        for name in SETTINGS_VARIABLES | GUNICORN_VARIABLES
        if f"`{name}`" not in DEPLOYMENT_DOC
    )
    assert not missing, f"docs/deployment.md does not explain {missing}"
