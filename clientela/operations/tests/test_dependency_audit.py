"""CI's dependency audit (.ci/audit_dependencies.py, issue 14 item 11) judged on the
reports pip-audit writes: a known vulnerability fails CI, an audit that could not run
says so instead of passing as "no known vulnerabilities"."""

import importlib.util
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / ".ci" / "audit_dependencies.py"


def _audit(monkeypatch: pytest.MonkeyPatch, report: dict[str, Any] | None) -> Any:
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def fake_run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        assert "--skip-editable" in command
        if report is not None:
            Path(command[command.index("--output") + 1]).write_text(json.dumps(report))
        return subprocess.CompletedProcess(command, 1, "", "ConnectionError: unreachable")

    monkeypatch.setattr(module.subprocess, "run", fake_run)
    return module


def dependency(name: str, vulns: list[dict[str, Any]] | None = None, skip: str = "") -> dict:
    found: dict[str, Any] = {"name": name, "version": "1.0"}
    if skip:
        found["skip_reason"] = skip
    else:
        found["vulns"] = vulns or []
    return found


def test_a_known_vulnerability_fails_ci_and_names_the_fix(monkeypatch, capsys):
    vuln = {"id": "PYSEC-2026-1", "fix_versions": ["1.0.1"]}
    report = {"dependencies": [dependency("django", [vuln]), dependency("pillow")]}
    assert _audit(monkeypatch, report).main() == 1
    out = capsys.readouterr().out
    assert "django 1.0: PYSEC-2026-1 (fixed in 1.0.1)" in out
    assert "1 vulnerable package(s) of 2 audited" in out


def test_a_clean_audit_passes(monkeypatch, capsys):
    report = {"dependencies": [dependency("django"), dependency("x", skip="not on PyPI")]}
    assert _audit(monkeypatch, report).main() == 0
    assert "no known vulnerabilities in 1 packages; 1 could not be audited" in (
        capsys.readouterr().out
    )


@pytest.mark.parametrize(
    "report", [None, {"dependencies": [dependency("django", skip="Dependency not found")]}]
)
def test_an_audit_that_could_not_run_says_not_audited(monkeypatch, capsys, report):
    assert _audit(monkeypatch, report).main() == 0
    assert "NOT AUDITED" in capsys.readouterr().out
