"""pip-audit over the installed (pinned) dependencies of .venv (issue 14, item 11).

Fails on any known vulnerability. When the vulnerability service cannot be reached, or
answers for none of the packages (the PyPI reachable from this workplace serves packages
but not the JSON API pip-audit reads), it says so loudly — "NOT AUDITED" — and does not
fail CI: an audit that could not run is reported, not hidden behind "No known
vulnerabilities found".
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

PIP_AUDIT = Path(".venv/bin/pip-audit")


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "audit.json"
        result = subprocess.run(  # noqa: S603 (a fixed command line)
            [
                *(str(PIP_AUDIT), "--skip-editable", "--progress-spinner", "off"),
                *("--format", "json", "--output", str(report)),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if not report.exists():
            last = (result.stderr.strip().splitlines() or ["no output"])[-1]
            print(f"pip-audit: NOT AUDITED: the vulnerability service is unreachable ({last})")
            return 0
        data = json.loads(report.read_text())
    dependencies = data.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = [d for d in dependencies if not d.get("skip_reason")]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            print(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixes})")
    if vulnerable:
        print(f"pip-audit: {len(vulnerable)} vulnerable package(s) of {len(audited)} audited")
        return 1
    if not audited:
        print(
            f"pip-audit: NOT AUDITED: the vulnerability service answered for none of the "
            f"{len(skipped)} packages (first: {skipped[0]['skip_reason'] if skipped else '-'})"
        )
        return 0
    print(f"pip-audit: no known vulnerabilities in {len(audited)} packages", end="")
    print(f"; {len(skipped)} could not be audited" if skipped else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
