"""What a page leads to, for the tests that follow every link of the main pages (the
actions per role, the stored-XSS sweep): its links and htmx GETs, and where it posts."""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from django.urls import reverse

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.cases.tests.factories import CaseFactory
from clientela.contacts.tests.factories import ContactFactory
from clientela.documents.tests.factories import DocumentFactory
from clientela.opportunities.tests.factories import OpportunityFactory


class Targets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: set[str] = set()
        self.posts: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "a" and attr.get("href"):
            self.links.add(attr["href"] or "")
        if attr.get("hx-get"):
            self.links.add(attr["hx-get"] or "")
        if attr.get("hx-post"):
            self.posts.add(attr["hx-post"] or "")
        if tag == "form" and (attr.get("method") or "").lower() == "post" and attr.get("action"):
            self.posts.add(attr["action"] or "")


def targets_of(html: str) -> Targets:
    found = Targets()
    found.feed(html)
    return found


def internal(url: str, skip: re.Pattern[str]) -> bool:
    """A page of ours (not another site's, not one `skip` names)."""
    return url.startswith("/") and not url.startswith("//") and not skip.search(url)


ROLES = ("admin", "manager", "sales", "support", "viewer")


@dataclass
class World:
    """One salesperson's account with one record of each kind, and a user of each role
    (the salesperson is the "sales" one)."""

    users: dict[str, Any]
    account: Any
    contact: Any
    opportunity: Any
    case: Any
    document: Any

    def main_pages(self, q: str) -> list[str]:
        """Every main page, the search for `q` and each record's page."""
        return [
            reverse("home"),
            reverse("search") + "?q=" + q,
            reverse("account_list"),
            self.account.get_absolute_url(),
            reverse("contact_list"),
            self.contact.get_absolute_url(),
            reverse("opportunity_list"),
            reverse("opportunity_board"),
            self.opportunity.get_absolute_url(),
            reverse("case_list"),
            self.case.get_absolute_url(),
            self.document.get_absolute_url(),
        ]


def one_account_world() -> World:
    owner = UserFactory(username="vendedora", role="sales")
    account = AccountFactory(salesperson=owner, created_by=owner, updated_by=owner)
    users = {role: UserFactory(username=f"u-{role}", role=role) for role in ROLES}
    users["sales"] = owner
    return World(
        users=users,
        account=account,
        contact=ContactFactory(account=account),
        opportunity=OpportunityFactory(account=account),
        case=CaseFactory(account=account),
        document=DocumentFactory(account=account, created_by=owner),
    )
