import pytest
from django.core.management import CommandError, call_command

from clientela.accounts.models import Account
from clientela.contacts.models import Contact

from .files import ACCOUNT_HEADER, account_row, csv_bytes, xlsxwriter_bytes

pytestmark = pytest.mark.django_db


def _file(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_import_accounts_prints_the_summary_line(tmp_path, importer_admin, corporate, capsys):
    path = _file(
        tmp_path, "c.xlsx", xlsxwriter_bytes([ACCOUNT_HEADER, account_row(1), account_row(2)])
    )
    call_command("import_accounts", path)
    assert capsys.readouterr().out == "created 2, updated 0, unchanged 0, refused 0\n"
    call_command("import_accounts", path, "--mode", "update")
    assert capsys.readouterr().out == "created 0, updated 0, unchanged 2, refused 0\n"


def test_dry_run_writes_nothing(tmp_path, importer_admin, corporate, capsys):
    path = _file(tmp_path, "c.csv", csv_bytes([ACCOUNT_HEADER, account_row(1)]))
    call_command("import_accounts", path, "--dry-run")
    assert capsys.readouterr().out == "created 1, updated 0, unchanged 0, refused 0\n"
    assert not Account.objects.exists()


def test_a_refused_row_writes_nothing_lists_it_and_exits_1(
    tmp_path, importer_admin, corporate, capsys
):
    path = _file(
        tmp_path, "c.csv", csv_bytes([ACCOUNT_HEADER, account_row(1), account_row(2, email="malo")])
    )
    with pytest.raises(SystemExit) as exc:
        call_command("import_accounts", path)
    assert exc.value.code == 1
    out, err = capsys.readouterr()
    assert out == "created 1, updated 0, unchanged 0, refused 1\n"
    assert err.startswith("line 3, Correo electrónico: ")
    assert not Account.objects.exists()


def test_import_contacts_prints_the_summary_line(tmp_path, importer_admin, capsys):
    path = _file(
        tmp_path,
        "c.csv",
        csv_bytes([["Nombre", "Apellido", "Correo"], ["Ana", "Pérez", "ana@x.com"]]),
    )
    call_command("import_contacts", path)
    assert capsys.readouterr().out == "created 1, updated 0, unchanged 0, refused 0\n"
    assert Contact.objects.count() == 1


def test_an_unreadable_file_is_a_command_error(tmp_path, importer_admin):
    with pytest.raises(CommandError, match=r"vacío|empty"):
        call_command("import_accounts", _file(tmp_path, "c.csv", b""))


def test_without_an_administrator_the_command_says_who_to_pass(tmp_path, db):
    with pytest.raises(CommandError, match="--user"):
        call_command("import_accounts", _file(tmp_path, "c.csv", b"x"))
