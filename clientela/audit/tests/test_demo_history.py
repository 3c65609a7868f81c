"""The demo's history (clientela.audit.demo): seeded accounts show a Historial."""

import random
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clientela.accounts.management.commands import seed_demo
from clientela.accounts.models import Account
from clientela.audit.models import HistoryEntry
from clientela.cases.models import Case
from clientela.contacts.models import Contact
from clientela.opportunities.models import Opportunity
from clientela.users.models import User

pytestmark = pytest.mark.django_db


def seed(**options):
    call_command(
        "seed_demo",
        stdout=StringIO(),
        contacts_per_account=2,
        opportunities_per_account=2,
        cases_per_account=1,
        documents_per_account=0,
        activities_per_account=1,
        **options,
    )


def kinds(account):
    return set(
        HistoryEntry.objects.filter(account_id=account.pk).values_list(
            "content_type__model", "action"
        )
    )


def test_demo_account_profile_history_shows_the_account_and_its_records(client):
    seed(accounts=3)
    account = Account.objects.order_by("code").first()
    contact = Contact.objects.filter(account=account).first()
    opportunity = Opportunity.objects.filter(account=account).first()
    client.force_login(User.objects.get(username="gerente"))

    response = client.get(reverse("account_detail", args=[account.code]))

    assert response.status_code == 200
    page = response.content.decode()
    html = page[page.index('id="panel-history"') :]
    html = html[: html.index("</section>")]
    assert html.count('class="history-entry"') >= 4
    # Newest first: the account's own creation closes the list.
    assert html.rsplit("<strong>", 1)[1].startswith("Creada</strong>")
    assert f"Contacto: {contact}" in html
    assert f"Oportunidad: {opportunity}" in html
    assert ("account", "create") in kinds(account)


def test_demo_history_has_a_creation_entry_for_every_seeded_record():
    seed(accounts=3)

    for model in (Account, Contact, Opportunity, Case):
        content_type = ContentType.objects.get_for_model(model)
        created = set(
            HistoryEntry.objects.filter(content_type=content_type, action="create").values_list(
                "object_id", flat=True
            )
        )
        assert created == {str(pk) for pk in model.objects.values_list("pk", flat=True)}


def test_demo_history_is_dated_before_now_and_attributed_to_a_salesperson():
    seed(accounts=3)
    salespeople = set(Account.objects.values_list("salesperson_id", flat=True))
    creators = set(Contact.objects.values_list("created_by_id", flat=True)) | set(
        Case.objects.values_list("created_by_id", flat=True)
    )

    entries = list(HistoryEntry.objects.all())

    assert entries
    assert all(entry.at < timezone.now() for entry in entries)
    assert {entry.user_id for entry in entries} <= salespeople | creators
    assert None not in {entry.user_id for entry in entries}


def test_demo_account_created_before_its_later_change():
    seed(accounts=6)

    for change in HistoryEntry.objects.filter(action="update"):
        created = HistoryEntry.objects.get(
            action="create", content_type=change.content_type, object_id=change.object_id
        )
        assert created.at < change.at
        assert created.changes["priority"][1] == change.changes["priority"][0]


def test_no_history_option_seeds_none():
    seed(accounts=3, history=False)

    assert not HistoryEntry.objects.exists()


def test_large_seed_writes_no_history_unless_asked(monkeypatch):
    monkeypatch.setattr(seed_demo, "HISTORY_MAX_ACCOUNTS", 2)

    seed(accounts=3)
    assert not HistoryEntry.objects.exists()

    seed(accounts=3, history=True)
    assert HistoryEntry.objects.filter(action="create", content_type__model="account").count() == 3


def test_demo_history_reads_do_not_grow_with_the_records():
    from clientela.audit.demo import seed_history
    from clientela.core.demo import demo_seeders

    models = [model for seeder in demo_seeders() for model in seeder.models]

    def queries_for(accounts):
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            seed_history(accounts, models, random.Random(1))
            transaction.set_rollback(True)
        # The records read (the bulk writer's id reservations and inserts come per
        # model and batch, not per row).
        return sum(
            q["sql"].startswith(("SELECT", "DECLARE"))
            for q in captured.captured_queries
            if not any(
                bookkeeping in q["sql"]
                for bookkeeping in ("historyentry", "sqlite_sequence", "django_content_type")
            )
        )

    seed(accounts=2, history=False)
    few = queries_for(Account.objects.all())
    seed(accounts=6, history=False)
    more = queries_for(Account.objects.all())

    assert HistoryEntry.objects.count() == 0
    assert more == few <= 2 * len(models) + 1
