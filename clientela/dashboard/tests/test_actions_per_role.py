"""Issue 18 item 8: a page offers only what its reader may do. Every main page is read
by every role; each link and each form it shows is then followed as that role, and none
may answer 403 (a button to a forbidden action)."""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from clientela.accounts.tests.factories import UserFactory
from clientela.core.tests.crawl import ROLES, internal, one_account_world, targets_of

pytestmark = pytest.mark.django_db

# Not actions on records: leaving, switching language, files and exports (checked by
# their own modules' permission tests), the admin site.
SKIP = re.compile(r"^/(logout|i18n|admin|static|media)/|/(download|preview|export)/|format=")


def _internal(url: str) -> bool:
    return internal(url, SKIP)


@pytest.fixture
def world():
    found = one_account_world()
    return found.users, found.main_pages(found.account.name.split()[0])


@pytest.mark.parametrize("role", ROLES)
def test_pages_offer_no_forbidden_action(client, world, role):
    users, pages = world
    client.force_login(users[role])
    refused = []
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        targets = targets_of(response.content.decode())
        for link in sorted(filter(_internal, targets.links)):
            if client.get(link).status_code == 403:
                refused.append(f"{page} links to {link}")
        for action in sorted(filter(_internal, targets.posts)):
            # An empty POST is refused before anything is written when the role may not
            # act; rolled back either way so the next page still has its records.
            with transaction.atomic():
                status = client.post(action, {}).status_code
                transaction.set_rollback(True)
            if status == 403:
                refused.append(f"{page} posts to {action}")
    assert refused == []


@pytest.mark.parametrize(
    ("role", "shown"), [("manager", True), ("sales", True), ("support", False), ("viewer", False)]
)
def test_new_account_button_only_for_who_may_add(client, role, shown):
    client.force_login(UserFactory(role=role))
    body = client.get(reverse("account_list")).content.decode()
    assert (reverse("account_create") in body) is shown
