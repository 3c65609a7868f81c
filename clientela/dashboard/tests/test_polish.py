"""Issue 18 item 9: what was seen in the browser and fixed."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.opportunities.models import Opportunity
from clientela.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def test_opportunity_list_shows_open_deals_first_by_close_date(client):
    account = AccountFactory()
    lost = OpportunityFactory(
        account=account,
        name="Perdida vieja",
        stage=Opportunity.Stage.LOST,
        probability=0,
        lost_reason="Precio",
        closed_at=timezone.now(),
        expected_close_date=date.today() - timedelta(days=400),
    )
    later = OpportunityFactory(
        account=account, name="Abierta tarde", expected_close_date=date.today() + timedelta(days=60)
    )
    sooner = OpportunityFactory(
        account=account, name="Abierta pronto", expected_close_date=date.today() + timedelta(days=5)
    )
    client.force_login(UserFactory(role="manager"))
    body = client.get(reverse("opportunity_list")).content.decode()
    assert body.index(sooner.name) < body.index(later.name) < body.index(lost.name)


def test_account_list_salesperson_filter_matches_names(client):
    rosa = UserFactory(username="rcaicedo", role="sales", first_name="Rosa", last_name="Caicedo")
    AccountFactory(name="Cuenta de Rosa", salesperson=rosa)
    AccountFactory(name="Cuenta de otro")
    client.force_login(UserFactory(role="manager"))
    for typed in ("rcaicedo", "Rosa Caicedo", "caicedo"):
        body = client.get(reverse("account_list"), {"salesperson": typed}).content.decode()
        assert "Cuenta de Rosa" in body, typed
        assert "Cuenta de otro" not in body, typed


def test_empty_selects_say_select(client):
    client.force_login(UserFactory(role="manager"))
    body = client.get(reverse("account_create")).content.decode()
    assert "---------" not in body
    assert "Seleccione…" in body


def test_logo_link_says_change_when_there_is_one(client):
    manager = UserFactory(role="manager")
    account = AccountFactory()
    client.force_login(manager)
    assert "Agregar foto" in client.get(account.get_absolute_url()).content.decode()
    account.logo.save("logo.webp", ContentFile(b"x"), save=True)
    body = client.get(account.get_absolute_url()).content.decode()
    assert "Cambiar foto" in body and "Agregar foto" not in body


def test_history_says_logo_changed_not_the_storage_path(client):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from clientela.accounts import services
    from clientela.audit.selectors import history_page

    manager = UserFactory(role="manager")
    account = AccountFactory()
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "red").save(buffer, "PNG")
    upload = SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")
    services.account_set_logo(user=manager, account=account, upload=upload)
    lines = [line for entry in history_page(account, 1).lines for line in entry.lines]
    shown = " ".join(f"{line.old} {line.new}" for line in lines)
    assert "logos/" not in shown
    assert "logo cambiado" in shown or "logo changed" in shown
