"""Generate a Python client from /api/v1/openapi.json with openapi-python-client and use it
as an integrator would (issue 14): a wrong Panama DV (422), create, list with search, patch
with the version read, a stale version (409), a duplicate tax id (409).

    python tests/api_client/run.py http://127.0.0.1:8000 TOKEN

`tests/api_client/test_generated_client.py` runs the same against pytest's live server.
The account's customer type (`CORP`) must exist on the server.
"""

import importlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

PACKAGE = "clientela_api_client"


def fetch_document(base_url: str) -> dict[str, Any]:
    response = httpx.get(f"{base_url}/api/v1/openapi.json", timeout=30)
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    return document


def generate(document: dict[str, Any], into: Path) -> Path:
    """The generated package's parent folder; raises when the generator refuses."""
    spec = into / "openapi.json"
    spec.write_text(json.dumps(document))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        [
            *(sys.executable, "-m", "openapi_python_client", "generate", "--meta", "none"),
            *("--path", str(spec), "--output-path", str(into / PACKAGE)),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    output = result.stdout + result.stderr
    if result.returncode != 0 or "Warning" in output or "Error" in output:
        raise RuntimeError(f"openapi-python-client refused the document:\n{output}")
    return into


def scenario(base_url: str, token: str, tax_id: str = "155596713-2-2015") -> list[str]:
    """Runs the integrator's calls; returns what it did, raises AssertionError when the
    server answers otherwise than SPEC §10 says."""
    from clientela_api_client import AuthenticatedClient
    from clientela_api_client.api.accounts import (
        create_account,
        list_accounts,
        update_account,
    )
    from clientela_api_client.models import (
        AccountIn,
        AccountPatch,
        PersonKind,
    )

    done: list[str] = []
    client = AuthenticatedClient(base_url=base_url, token=token)

    def account(**overrides: Any) -> Any:
        fields = {
            "person_kind": PersonKind.LEGAL,
            "name": "Cliente Generado, S.A.",
            "tax_id": tax_id,
            "contact_name": "Lucía Peña",
            "email": "ventas@generado.com.pa",
            "phone": "223-4567",
            "customer_type": "CORP",
            **overrides,
        }
        return AccountIn(**fields)

    wrong_dv = create_account.sync_detailed(client=client, body=account(tax_dv="11"))
    assert wrong_dv.status_code == 422, wrong_dv.content
    assert "tax_dv" in wrong_dv.parsed.errors.additional_properties, wrong_dv.content
    done.append("wrong DV → 422")

    created = create_account.sync_detailed(client=client, body=account())
    assert created.status_code == 201, created.content
    code, version = created.parsed.code, created.parsed.version
    assert created.parsed.tax_dv == "59"
    done.append(f"created {code}")

    found = list_accounts.sync_detailed(client=client, q="generado")
    assert found.status_code == 200, found.content
    assert [item.code for item in found.parsed.items] == [code]
    done.append("listed with search")

    patched = update_account.sync_detailed(
        code, client=client, body=AccountPatch(city="David", version=version)
    )
    assert patched.status_code == 200, patched.content
    assert patched.parsed.city == "David" and patched.parsed.version == version + 1
    done.append("patched with version")

    stale = update_account.sync_detailed(
        code, client=client, body=AccountPatch(city="Colón", version=version)
    )
    assert stale.status_code == 409, stale.content
    assert stale.parsed.current_version == version + 1
    done.append("stale version → 409")

    duplicate = create_account.sync_detailed(client=client, body=account(name="Otro Nombre"))
    assert duplicate.status_code == 409, duplicate.content
    assert duplicate.parsed.existing_code == code
    done.append("duplicate → 409")

    return done


def main(base_url: str, token: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        sys.path.insert(0, str(generate(fetch_document(base_url), Path(folder))))
        importlib.invalidate_caches()
        for step in scenario(base_url.rstrip("/"), token):
            print(step)


if __name__ == "__main__":
    main(*sys.argv[1:3])
