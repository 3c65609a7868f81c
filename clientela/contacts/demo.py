"""Demo contacts for `seed_demo` (registered in apps.py): 1 to 4 people per account with
Spanish names, the job titles a Latin American company has, e-mail addresses at the
account's domain and valid phones of the account's country; exactly one primary per
account (for a company, the person the account names as its contact).

Bulk-inserted in chunks from plain values (no per-row query), deterministic for the rng.
"""

import random
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from phonenumber_field.phonenumber import PhoneNumber

from clientela.accounts.demo_data import (
    FEMALE_NAMES,
    FREE_MAIL,
    MALE_NAMES,
    OTHER_PLACES,
    PANAMA_PLACES,
    PHONE_PLANS,
    SURNAMES,
    Weighted,
    ascii_fold,
    national_digits,
    phone_is_valid,
)
from clientela.accounts.models import Account
from clientela.core.bulk import bulk_insert
from clientela.core.demo import DemoDensity, count_for_mean
from clientela.core.search import normalize_text

from .models import Contact, name_initial, name_sort_key

BATCH_SIZE = 2000

_FEMALE = frozenset(FEMALE_NAMES)
_GIVEN = frozenset(FEMALE_NAMES) | frozenset(MALE_NAMES)
_FREE_DOMAINS = frozenset(FREE_MAIL.items)
_NOT_MAIL = re.compile(r"[^a-z]")
_HONORIFICS = re.compile(r"^(Lic|Ing|Dr|Dra|Sr|Sra)\.\s+")

# (masculine, feminine) forms.
PRIMARY_TITLES: tuple[tuple[str, str], ...] = (
    ("Gerente General", "Gerente General"),
    ("Gerente General", "Gerente General"),
    ("Director Ejecutivo", "Directora Ejecutiva"),
    ("Propietario", "Propietaria"),
    ("Gerente Administrativo", "Gerente Administrativa"),
    ("Presidente", "Presidenta"),
)
OTHER_TITLES: tuple[tuple[str, str], ...] = (
    ("Contador", "Contadora"),
    ("Jefe de Compras", "Jefa de Compras"),
    ("Asistente Administrativo", "Asistente Administrativa"),
    ("Encargado de Cuentas por Pagar", "Encargada de Cuentas por Pagar"),
    ("Gerente de Finanzas", "Gerente de Finanzas"),
    ("Gerente de Operaciones", "Gerente de Operaciones"),
    ("Coordinador de Logística", "Coordinadora de Logística"),
    ("Jefe de Mantenimiento", "Jefa de Mantenimiento"),
    ("Gerente de Ventas", "Gerente de Ventas"),
    ("Jefe de Recursos Humanos", "Jefa de Recursos Humanos"),
    ("Tesorero", "Tesorera"),
    ("Recepcionista", "Recepcionista"),
    ("Asesor Legal", "Asesora Legal"),
    ("Jefe de Tecnología", "Jefa de Tecnología"),
)
NATURAL_SECOND_TITLES: tuple[tuple[str, str], ...] = (
    ("Asistente", "Asistente"),
    ("Contador", "Contadora"),
    ("Socio", "Socia"),
)
NOTES: tuple[str, ...] = (
    "Prefiere que lo contacten por WhatsApp.",
    "Disponible de lunes a viernes, de 8:00 a 17:00.",
    "Enviar las cotizaciones con copia a contabilidad.",
    "Aprueba las órdenes de compra de más de USD 5,000.",
    "Recibe las facturas los primeros cinco días del mes.",
    "Habla inglés y español.",
    "Llamar después de las 10:00; en la mañana está en reuniones.",
    "Solicita visita presencial antes de cada renovación.",
)
_COMPANY_CONTACTS = Weighted([(1, 25), (2, 35), (3, 25), (4, 15)])
_NATURAL_CONTACTS = Weighted([(1, 75), (2, 25)])

_PLACES: dict[tuple[str, str], tuple[str, ...]] = {
    **{("PA", place.city): place.landline_prefixes for place, _weight in PANAMA_PLACES},
    **{
        (country, place.city): place.landline_prefixes
        for country, places in OTHER_PLACES.items()
        for place in places
    },
}

# Every column in the model's order; the ones not set here (id, timestamps) are None:
# bulk_create fills the timestamps.
_ATTNAMES = tuple(field.attname for field in Contact._meta.concrete_fields)

_ACCOUNT_COLUMNS = (
    "id",
    "name",
    "code",
    "email",
    "phone_text",
    "country",
    "city",
    "person_kind",
    "contact_name",
    "salesperson_id",
)


class _SeedPhone(PhoneNumber):
    """A number built valid by the generator: no re-validation on every str(), and its
    search terms (E.164 and national digits) without parsing it again."""

    _e164: str
    national_digits: str

    @classmethod
    def of(cls, calling_code: str, national: str) -> "_SeedPhone":
        phone = cls(country_code=int(calling_code), national_number=int(national))
        phone._e164 = f"+{calling_code}{national}"
        phone.national_digits = national_digits(calling_code, national)
        return phone

    def is_valid(self) -> bool:
        return True

    def __str__(self) -> str:
        return self._e164


def _phone_terms(phone: _SeedPhone | None) -> list[str]:
    # `is None`, not truthiness: PhoneNumber.__len__ would format and validate it again.
    if phone is None:
        return []
    return [phone._e164[1:], phone.national_digits]


@lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    """normalize_text for the few thousand names and titles the generator draws from."""
    return normalize_text(text)


def _valid_phone(rng: random.Random, calling_code: str, prefix: str, length: int) -> _SeedPhone:
    rest = length - len(prefix)
    for _attempt in range(100):
        national = f"{prefix}{rng.randrange(10**rest):0{rest}d}"
        if phone_is_valid(calling_code, national):
            return _SeedPhone.of(calling_code, national)
    raise RuntimeError(f"no valid phone number with prefix +{calling_code} {prefix}")


def _split_person(full_name: str) -> tuple[str, str]:
    """'Lic. María Sofía Pérez González' -> ('María Sofía', 'Pérez González'): the
    leading given names, then the surnames."""
    words = _HONORIFICS.sub("", full_name.strip()).split()
    given = 0
    while given < len(words) - 1 and words[given] in _GIVEN:
        given += 1
    given = max(given, 1) if len(words) > 1 else 0
    return " ".join(words[:given]), " ".join(words[given:])


@lru_cache(maxsize=4096)
def _mail_word(text: str) -> str:
    """'De León' -> 'deleon', for the local part of an address."""
    return _NOT_MAIL.sub("", ascii_fold(text).lower())


def _mailbox(rng: random.Random, first: str, last: str) -> str:
    first_ascii = _mail_word(first.split()[0]) if first else ""
    last_ascii = _mail_word(last) or "contacto"
    if not first_ascii:
        return last_ascii
    style = rng.randrange(3)
    if style == 0:
        return f"{first_ascii}.{last_ascii}"
    if style == 1:
        return f"{first_ascii[0]}{last_ascii}"
    return f"{first_ascii}{last_ascii[:1]}{rng.randrange(1, 100)}"


def _email(rng: random.Random, domain: str, first: str, last: str, used: set[str]) -> str:
    if domain in _FREE_DOMAINS or not domain:
        domain = FREE_MAIL.pick(rng)
    address = f"{_mailbox(rng, first, last)}@{domain}"
    while address in used:
        address = f"{_mailbox(rng, first, last)}{rng.randrange(2, 10)}@{domain}"
    used.add(address)
    return address


def _person(rng: random.Random) -> tuple[str, str]:
    given = FEMALE_NAMES if rng.random() < 0.5 else MALE_NAMES
    return rng.choice(given), rng.choice(SURNAMES)


def _title(forms: tuple[str, str], first: str) -> str:
    feminine = first.split()[0] in _FEMALE if first else False
    return forms[1] if feminine else forms[0]


def _contacts_of(
    rng: random.Random, row: tuple[Any, ...], mean: float | None = None
) -> Iterator[Contact]:
    (account_id, name, code, email, phone, country, city, kind, contact_name, seller) = row
    phone = phone or ""
    legal = kind == Account.PersonKind.LEGAL
    plan = PHONE_PLANS.get(country)
    prefixes = _PLACES.get((country, city), ())
    domain = email.rsplit("@", 1)[-1] if email else ""
    used: set[str] = set()
    account_terms = normalize_text(f"{name} {code}")
    if mean is None:
        count = (_COMPANY_CONTACTS if legal else _NATURAL_CONTACTS).pick(rng)
    else:
        count = max(1, count_for_mean(rng, mean))
    titles = OTHER_TITLES if legal else NATURAL_SECOND_TITLES
    count = min(count, len(titles) + 1)
    other_titles = rng.sample(titles, count - 1)
    for index in range(count):
        if index == 0:
            first, last = _split_person(contact_name if legal else name)
            if not last:
                first, last = _person(rng)
            title = _title(rng.choice(PRIMARY_TITLES), first) if legal else ""
        else:
            first, last = _person(rng)
            title = _title(other_titles[index - 1], first)
        if index == 0 and not legal and email:
            address = email  # the person's own mailbox
        else:
            address = _email(rng, domain, first, last, used) if rng.random() < 0.9 else ""
        office: _SeedPhone | None = None
        mobile: _SeedPhone | None = None
        if plan is not None:
            if legal and rng.random() < 0.7:
                # A direct line in the account's city, or the switchboard.
                if prefixes and rng.random() < 0.5:
                    office = _valid_phone(
                        rng, plan.calling_code, rng.choice(prefixes), plan.landline_length
                    )
                elif phone.startswith(f"+{plan.calling_code}"):
                    office = _SeedPhone.of(plan.calling_code, phone[len(plan.calling_code) + 1 :])
            if rng.random() < 0.75:
                mobile = _valid_phone(
                    rng, plan.calling_code, rng.choice(plan.mobile_prefixes), plan.mobile_length
                )
        values = {
            "first_name": first,
            "last_name": last,
            "job_title": title,
            "email": address,
            "phone": office if office is not None else "",
            "mobile": mobile if mobile is not None else "",
            "notes": rng.choice(NOTES) if rng.random() < 0.2 else "",
            "account_id": account_id,
            "is_primary": index == 0,
            "created_by_id": seller,
            "updated_by_id": seller,
            "version": 1,
        }
        # What Contact.build_search_text() writes, from parts folded once: e-mail
        # addresses and digits are already folded, the account's terms once per account.
        terms = [
            _folded(first),
            _folded(last),
            address,
            _folded(title),
            *_phone_terms(office),
            *_phone_terms(mobile),
            account_terms,
        ]
        values["search_text"] = " ".join(term for term in terms if term)
        values["sort_name"] = name_sort_key(last, first)
        values["initial"] = name_initial(last)
        values["account_name"] = name[:200]
        # Positional arguments take Model.__init__'s fast path (a fifth of the time).
        yield Contact(*[values.get(column) for column in _ATTNAMES])


def account_rows(accounts: QuerySet[Account]) -> QuerySet[Any]:
    """The values the generator needs, in id order; the phone as stored (E.164 text),
    not parsed into a PhoneNumber for every account."""
    return (
        accounts.order_by("id")
        .annotate(phone_text=Cast("phone", output_field=CharField()))
        .values_list(*_ACCOUNT_COLUMNS)
    )


def seed_contacts(
    accounts: QuerySet[Account], rng: random.Random, density: DemoDensity | None = None
) -> int:
    """1 to 4 contacts for each of `accounts` (about `density.contacts` when given);
    returns how many were created."""
    mean = density.contacts if density is not None else None
    rows = account_rows(accounts).iterator(chunk_size=BATCH_SIZE)
    contacts = (contact for row in rows for contact in _contacts_of(rng, row, mean))
    return bulk_insert(Contact, contacts)
