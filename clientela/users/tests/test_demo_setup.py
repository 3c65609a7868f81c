import pytest
from django.core.management import call_command

from clientela.accounts.models import Account
from clientela.users.models import User
from clientela.users.roles import Role

pytestmark = pytest.mark.django_db


def test_first_run_creates_one_login_per_role_and_prints_them(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("demo_setup", accounts=5)
    out = capsys.readouterr().out
    logins = (tmp_path / "demo-login.txt").read_text().split("\n")
    password = logins[0].split()[2]
    for username, role in [
        ("admin", Role.ADMIN),
        ("gerente", Role.MANAGER),
        ("ana.gomez", Role.SALES),
        ("soporte", Role.SUPPORT),
        ("consulta", Role.VIEWER),
    ]:
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.check_password(password)
        assert username in out
    assert Account.objects.count() == 5
    assert oct((tmp_path / "demo-login.txt").stat().st_mode)[-3:] == "600"


def test_later_runs_change_nothing(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("demo_setup", accounts=3)
    call_command("demo_setup", accounts=3)
    assert Account.objects.count() == 3
    assert "admin" in capsys.readouterr().out


def test_an_installation_with_users_gets_no_demo_data(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    User.objects.create_user("propio")
    call_command("demo_setup", accounts=3)
    assert Account.objects.count() == 0
    assert not (tmp_path / "demo-login.txt").exists()
