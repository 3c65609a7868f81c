"""Stored XSS, swept (issue 14): every text column of every customer record — and the
names of the users and catalog entries shown beside them, and a history entry — holds
markup, as an import or another program could have stored it. Every main page, every
link and htmx fragment those pages lead to, as every role, must show it as text."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from clientela.accounts.models import Account
from clientela.activities.tests.factories import ActivityFactory
from clientela.audit.models import HistoryEntry
from clientela.cases.tests.factories import CaseCommentFactory
from clientela.core.tests.crawl import ROLES, internal, one_account_world, targets_of
from clientela.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

# Markup for element content and for attribute values (quotes break out of either).
LONG = "\"'><img src=x onerror=alert(1)><script>alert(2)</script>"
SHORT = "\"'><b>"
# A link that runs script when followed.
SCRIPT_URL = "javascript:alert(3)"
# What must never appear as is: the raw tags above, a script link.
RAW = ("<img src=x onerror", "<script>alert(", "<b>", 'href="javascript:')
# Not pages: leaving, switching language, the admin site, files and exports.
SKIP = re.compile(r"^/(logout|i18n|admin|static|media|api)/|/(download|preview|export)/|\.ics$")
# Left out: the codes in every URL, the login name and password hash, a file's digest,
# the currency code the amounts are converted by, the search columns (never shown).
# Phones and countries are not text columns (phonenumber_field, django_countries).
NOT_SHOWN_AS_TEXT = {"code", "number", "username", "password", "sha256", "currency"}


def _payload(field: models.Field) -> str:
    if isinstance(field, models.URLField):
        return SCRIPT_URL
    longest = field.max_length or 10_000
    return LONG if longest >= len(LONG) else SHORT[:longest]


def _free_text(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and type(field).__module__.startswith("django.")
        and not field.choices
        and field.name not in NOT_SHOWN_AS_TEXT
        and field.name != "search_text"
    ]


def _fill(instance: models.Model) -> None:
    """Column by column: one the database refuses for this row (a lost reason on a deal
    that is not lost) cannot be stored, so it cannot be shown either."""
    model = type(instance)
    for field in _free_text(model):
        try:
            with transaction.atomic():
                model._default_manager.filter(pk=instance.pk).update(
                    **{field.name: _payload(field)}
                )
        except IntegrityError:
            pass


def _internal(url: str) -> bool:
    return internal(url, SKIP)


@pytest.fixture
def world():
    base = one_account_world()
    owner, account = base.users["sales"], base.account
    contact, opportunity, case, document = base.contact, base.opportunity, base.case, base.document
    lost = OpportunityFactory(
        account=account, stage="lost", lost_reason="Precio", closed_at=timezone.now()
    )
    comment = CaseCommentFactory(case=case, author=owner)
    activity = ActivityFactory(account=account, starts_at=timezone.now())
    for record in (account, contact, opportunity, lost, case, comment, document, activity, owner):
        _fill(record)
    for catalog in (account.customer_type,):
        if catalog is not None:
            _fill(catalog)
    HistoryEntry.objects.create(
        user=owner,
        action=HistoryEntry.Action.UPDATE,
        content_type=ContentType.objects.get_for_model(Account),
        object_id=str(account.pk),
        object_repr=LONG,
        account_id=account.pk,
        changes={"name": [LONG, LONG + "2"], "notes": [None, LONG]},
    )
    account.refresh_from_db()
    pages = [
        *base.main_pages("alert"),
        reverse("account_list") + "?q=alert",
        lost.get_absolute_url(),
        reverse("activity_list"),
        activity.get_absolute_url(),
        reverse("today") + "?user=vendedora",
        reverse("today"),
    ]
    return base.users, pages


def test_every_text_column_of_the_sweep_holds_markup(world):
    """The sweep is not empty: the records above really hold the payload."""
    filled = {field.name for field in _free_text(Account)}
    assert {"name", "address", "email", "website", "salesperson_name"} <= filled, filled
    assert Account.objects.filter(name=LONG).exists()


@pytest.mark.parametrize("role", ROLES)
def test_stored_markup_is_shown_as_text_on_every_page_and_fragment(client, world, role):
    users, pages = world
    client.force_login(users[role])
    seen: set[str] = set()
    queue = list(pages)
    unsafe: list[str] = []
    shown = 0
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        for htmx in (False, True):
            response = client.get(url, HTTP_HX_REQUEST="true") if htmx else client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            body = response.content.decode()
            shown += body.count("&lt;script&gt;alert(")
            unsafe += [f"{url} (htmx={htmx}): {raw}" for raw in RAW if raw in body]
            if not htmx and url in pages:
                links = targets_of(body).links
                queue += sorted(link for link in links if _internal(link))
    assert unsafe == []
    assert len(seen) > 2 * len(pages), "the pages' links and fragments were not followed"
    assert shown > 0, "no page showed the stored markup: the sweep saw nothing"
