"""Reads for imports and exports: the runs a user may see, and the records of a list as
its page filters them (the same selector, so the same scope: a salesperson's export holds
only their accounts)."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone

from clientela.accounts.forms import AccountFilterForm
from clientela.accounts.models import Account
from clientela.accounts.selectors import AccountFilters, account_list
from clientela.cases.forms import CaseFilterForm
from clientela.cases.models import Case
from clientela.cases.selectors import case_queue
from clientela.contacts.forms import ContactFilterForm
from clientela.contacts.models import Contact
from clientela.contacts.selectors import contact_list
from clientela.core.access import require
from clientela.opportunities.forms import OpportunityFilterForm
from clientela.opportunities.models import Opportunity
from clientela.opportunities.selectors import opportunity_list
from clientela.users.models import User
from clientela.users.roles import Role

from . import export_columns as cols
from .models import ImportRun

CHUNK = 2000


def import_list(user: User) -> QuerySet[ImportRun]:
    """Administrators see every import; others, their own."""
    runs = ImportRun.objects.select_related("created_by")
    if user.role == Role.ADMIN:
        return runs
    return runs.filter(created_by=user)


def import_get_for_user(user: User, pk: int) -> ImportRun:
    run = import_list(user).filter(pk=pk).first()
    if run is None:
        raise Http404("import")
    return run


@dataclass(frozen=True)
class ExportSource:
    model: Any
    columns: list[cols.Column]
    records: QuerySet[Any]
    name: str  # file and sheet name, in the user's language

    def rows(self) -> Iterator[Any]:
        """Plain dicts of what the columns show, read in chunks."""
        return self.records.values(*cols.keys(self.columns)).iterator(chunk_size=CHUNK)


def account_export(user: User, filters: AccountFilters) -> ExportSource:
    from django.utils.translation import gettext as _

    require(user, "export", Account)
    records = account_list(user=user, filters=filters)
    return ExportSource(Account, cols.ACCOUNT_COLUMNS, records, _("accounts"))


def export_source(kind: str, user: User, params: QueryDict) -> ExportSource:
    """The records a list shows with these filters, search and sort (every page), for a
    user whose role may export them; PermissionDenied otherwise."""
    from django.utils.translation import gettext as _

    if kind == "accounts":
        return account_export(user, AccountFilterForm(params).filters())
    records: QuerySet[Any]
    if kind == "contacts":
        require(user, "export", Contact)
        records = contact_list(user=user, filters=ContactFilterForm(params).filters())
        return ExportSource(
            Contact,
            cols.CONTACT_COLUMNS,
            records,
            _("contacts"),
        )
    if kind == "opportunities":
        require(user, "export", Opportunity)
        records = opportunity_list(user=user, filters=OpportunityFilterForm(params).filters())
        return ExportSource(
            Opportunity,
            cols.OPPORTUNITY_COLUMNS,
            records,
            _("opportunities"),
        )
    if kind == "cases":
        require(user, "export", Case)
        records = case_queue(
            user=user, filters=CaseFilterForm(params).filters(), now=timezone.now()
        )
        return ExportSource(Case, cols.CASE_COLUMNS, records, _("cases"))
    raise Http404("export")
