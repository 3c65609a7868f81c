"""What the duplicates app needs to know of each kind of record it handles."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models.functions import Cast

from clientela.accounts.models import EDITABLE_FIELDS as ACCOUNT_FIELDS
from clientela.accounts.models import PHONE_FIELDS, Account
from clientela.contacts.models import Contact
from clientela.contacts.services import EDITABLE_FIELDS as CONTACT_FIELDS

from . import matching
from .models import Kind


@dataclass(frozen=True)
class KindSpec:
    kind: str
    model: type[models.Model]
    # The fields a merge chooses between, in the form's order ("logo" moves both images).
    fields: tuple[str, ...]
    # The columns the scan reads (values()), and the profile built from them.
    columns: tuple[str, ...]
    to_profile: Callable[[dict[str, Any]], matching.Profile]
    # Phone columns, read as the stored text (E.164): parsing each into a PhoneNumber
    # would cost more than all the rest of a scan.
    phone_columns: tuple[str, ...] = ()

    def profiles(self, queryset: models.QuerySet[Any]) -> Iterator[matching.Profile]:
        raw = {
            f"raw_{name}": Cast(name, output_field=models.TextField())
            for name in self.phone_columns
        }
        columns = [name for name in self.columns if name not in self.phone_columns]
        rows = queryset.annotate(**raw).values(*columns, *raw)
        for row in rows.iterator(chunk_size=5000):
            for name in self.phone_columns:
                row[name] = row.pop(f"raw_{name}") or ""
            yield self.to_profile(row)


def account_profile(row: dict[str, Any]) -> matching.Profile:
    return matching.profile(
        id=row.get("id"),
        name=row.get("name") or "",
        emails=[row.get("email") or ""],
        phones=[row.get(name) for name in PHONE_FIELDS],
        tax_id=row.get("tax_id") or "",
        country=row.get("country") or "",
    )


def contact_profile(row: dict[str, Any]) -> matching.Profile:
    return matching.profile(
        id=row.get("id"),
        name=f"{row.get('first_name') or ''} {row.get('last_name') or ''}",
        emails=[row.get("email") or ""],
        phones=[row.get("mobile")],
        person=True,
        group=row.get("account_id") or "",
    )


ACCOUNTS = KindSpec(
    kind=Kind.ACCOUNT,
    model=Account,
    fields=(*ACCOUNT_FIELDS, "logo"),
    columns=("id", "name", "email", *PHONE_FIELDS, "tax_id", "country"),
    to_profile=account_profile,
    phone_columns=PHONE_FIELDS,
)
CONTACTS = KindSpec(
    kind=Kind.CONTACT,
    model=Contact,
    fields=(*(name for name in CONTACT_FIELDS if name != "account"), "account"),
    columns=("id", "first_name", "last_name", "email", "mobile", "account_id"),
    to_profile=contact_profile,
    phone_columns=("mobile",),
)
SPECS = {Kind.ACCOUNT: ACCOUNTS, Kind.CONTACT: CONTACTS}


def spec_of(kind: str) -> KindSpec:
    return SPECS[Kind(kind)]


def profile_of(record: models.Model) -> matching.Profile:
    spec = ACCOUNTS if isinstance(record, Account) else CONTACTS
    row = {name: getattr(record, name) for name in spec.columns}
    return spec.to_profile(row)
