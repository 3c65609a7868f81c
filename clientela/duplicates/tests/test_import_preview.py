"""The import preview lists new rows that look like existing accounts (no tax id match)."""

import pytest

from clientela.imports.models import ImportRun
from clientela.imports.tests.files import ACCOUNT_HEADER, account_row, csv_bytes
from clientela.imports.tests.helpers import run_import

from .helpers import UserFactory, new_account

pytestmark = pytest.mark.django_db


def test_check_lists_rows_that_look_like_existing_accounts(client):
    admin = UserFactory(username="admin", role="admin")
    existing = new_account(admin, name="Distribuidora Número 7, S.A.", email="x@otra.pa")
    data = csv_bytes([ACCOUNT_HEADER, account_row(7, tax_id="8888888-1-2019"), account_row(1000)])
    run = run_import(admin, data, commit=False)
    assert run.status == ImportRun.Status.CHECKED
    assert [row["line"] for row in run.possible_duplicates] == [2]
    match = run.possible_duplicates[0]["matches"][0]
    assert match["code"] == existing.code and match["reasons"]
    client.force_login(admin)
    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert existing.code in page
