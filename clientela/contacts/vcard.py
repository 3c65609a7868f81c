"""vCard 3.0 (RFC 2426) of contacts, built with vobject, which escapes and folds lines.

The text is UTF-8; ORG carries the account's name. A directory export is a generator of
cards over an iterated queryset, so a large list streams instead of sitting in memory.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import UTC
from typing import Any

import vobject
from django.utils import timezone

from .models import Contact

_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def contact_vcard(contact: Contact) -> str:
    """One contact as a vCard; `contact.account` should be select_related."""
    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(family=contact.last_name, given=contact.first_name)
    card.add("fn").value = contact.display_name or contact.last_name
    if contact.account is not None:
        card.add("org").value = [contact.account.name]
    if contact.job_title:
        card.add("title").value = contact.job_title
    if contact.email:
        email = card.add("email")
        email.value = contact.email
        email.type_param = "INTERNET"
    if contact.phone:
        tel = card.add("tel")
        tel.value = _tel(contact.phone)
        tel.type_paramlist = ["WORK", "VOICE"]
    if contact.mobile:
        tel = card.add("tel")
        tel.value = _tel(contact.mobile)
        tel.type_paramlist = ["CELL", "VOICE"]
    if contact.notes:
        card.add("note").value = contact.notes
    card.add("uid").value = f"urn:clientela:contact:{contact.pk}"
    if contact.updated_at:
        stamp = timezone.localtime(contact.updated_at, UTC)
        card.add("rev").value = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(card.serialize())


def _tel(number: Any) -> str:
    """E.164, which every phone book reads; an extension after it as people write it."""
    extension = getattr(number, "extension", None)
    return f"{number} ext. {extension}" if extension else str(number)


def vcards(contacts: Iterable[Contact]) -> Iterator[bytes]:
    """The cards of `contacts`, one UTF-8 chunk each, for a streamed .vcf."""
    for contact in contacts:
        yield contact_vcard(contact).encode("utf-8")


def vcard_filename(base: str) -> str:
    """An ASCII file name for any name: 'Begoña Ñáñez' -> 'Begona-Nanez.vcf'."""
    decomposed = unicodedata.normalize("NFKD", base or "")
    ascii_base = "".join(ch for ch in decomposed if ch.isascii())
    safe = _UNSAFE.sub("-", ascii_base).strip("-")[:80]
    return f"{safe or 'contact'}.vcf"
