"""Which two records are likely the same (issue 16), and why.

Every rule reads only folded values (`fold_name`, `email_domain`, `phone_key`, `tax_digits`)
so the same code serves the warning while typing, the import preview and the scan. A scan
never compares all pairs: each record gets a few blocking keys (`blocking_keys`), and only
records sharing a key are scored (`compare`).

Name similarity is trigram similarity as PostgreSQL's pg_trgm computes it (each word padded
with two blanks in front and one behind, Jaccard of the trigram sets), done in Python on the
blocked candidates so both databases give the same scores.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

# Words that say what kind of company it is, not which: "Grupo Rodríguez Corp." and
# "GRUPO RODRIGUEZ, S.A." are one name. Compared after folding and dropping the dots, so
# "S. de R.L." is "s de rl" and "Cía." is "cia".
LEGAL_WORDS = frozenset(
    {
        "sa", "sas", "saa", "sac", "sae", "sal", "sl", "srl", "rl", "cv", "sapi", "spa", "ltda",
        "ltd", "limitada", "llc", "inc", "corp", "corporation", "co", "cia", "company", "hnos",
        "hermanos", "eirl", "sociedad", "anonima", "comandita", "gmbh", "plc", "ag", "ca",
    }
)  # fmt: skip
# Small words that carry no identity once the legal words are gone ("S. de R.L.", "Hnos. y Cía.").
STOP_WORDS = frozenset({"de", "del", "la", "las", "el", "los", "y", "e", "the", "and", "of", "s"})
# Addresses anyone can open: sharing one says nothing about being the same company.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "hotmail.com", "hotmail.es", "outlook.com", "outlook.es", "live.com",
        "yahoo.com", "yahoo.es", "yahoo.com.mx", "yahoo.com.ar", "icloud.com", "me.com",
        "aol.com", "protonmail.com", "proton.me", "msn.com", "gmx.com", "mail.com",
        "zoho.com", "yandex.com", "terra.com.br", "uol.com.br", "bol.com.br", "prodigy.net.mx",
        "example.com",
    }
)  # fmt: skip

# Thresholds (0-1): a name this similar is a match by itself; with a shared company
# domain, less is enough.
NAME_THRESHOLD = 0.6
DOMAIN_NAME_THRESHOLD = 0.3
# Scores each reason gives; a pair scores its best reason (plus a little for each other).
SCORES = {
    "email": 0.95,
    "tax_id": 0.9,
    "phone": 0.8,
    "domain": 0.7,
}


def fold(text: str) -> str:
    """Lower case, no accents: 'Rodríguez' -> 'rodriguez'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


_DOTTED = re.compile(r"(?<=\w)\.(?=\w)")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def name_words(name: str) -> list[str]:
    """The words of a name that identify it: folded, punctuation and legal-form words out."""
    text = _DOTTED.sub("", fold(name)).replace(".", " ").replace("&", " y ")
    words = [w for w in _NON_WORD.split(text) if w]
    kept = [w for w in words if w not in LEGAL_WORDS and w not in STOP_WORDS]
    return kept or words


def fold_name(name: str) -> str:
    """'GRUPO RODRÍGUEZ, S.A.' -> 'grupo rodriguez'."""
    return " ".join(name_words(name))


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams of a folded text."""
    grams: set[str] = set()
    for word in text.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity() of two folded names."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def email_domain(email: str) -> str:
    """The company domain of an address; "" for a free-mail one."""
    domain = (email or "").strip().lower().rpartition("@")[2]
    return "" if not domain or domain in FREE_MAIL_DOMAINS else domain


def phone_key(phone: Any) -> str:
    """The E.164 number without its extension ("" for none)."""
    text = str(getattr(phone, "as_e164", None) or phone or "").strip()
    return text.split(";")[0].split("x")[0] if text.startswith("+") else ""


def tax_digits(tax_id: str) -> str:
    return "".join(c for c in (tax_id or "") if c.isdigit())


@dataclass(frozen=True)
class Profile:
    """What the rules read of one record (an account, a contact, or a form being typed)."""

    id: int | None
    name: str
    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    tax: str = ""
    country: str = ""
    # A person (a contact): no domain rule, and a similar name counts only within the
    # same `group` (their account); e-mail and mobile count across accounts.
    person: bool = False
    group: str = ""
    folded: str = field(init=False, default="")
    # Computed once: a scan compares each record with many others.
    grams: frozenset[str] = field(init=False, default=frozenset())
    numbers: frozenset[str] = field(init=False, default=frozenset())
    domains: frozenset[str] = field(init=False, default=frozenset())

    def __post_init__(self) -> None:
        folded = fold_name(self.name)
        object.__setattr__(self, "folded", folded)
        object.__setattr__(self, "grams", frozenset(trigrams(folded)))
        object.__setattr__(self, "numbers", _numbers(folded))
        domains = frozenset(d for d in map(email_domain, self.emails) if d)
        object.__setattr__(self, "domains", domains)


def profile(
    *,
    id: int | None,
    name: str,
    emails: Iterable[str] = (),
    phones: Iterable[Any] = (),
    tax_id: str = "",
    country: str = "",
    person: bool = False,
    group: Any = "",
) -> Profile:
    return Profile(
        id=id,
        name=name or "",
        emails=frozenset(e.strip().lower() for e in emails if e and e.strip()),
        phones=frozenset(p for p in map(phone_key, phones) if p),
        tax=tax_digits(tax_id),
        country=str(country or ""),
        person=person,
        group=str(group or ""),
    )


@dataclass(frozen=True)
class Reason:
    code: str  # email, domain, phone, tax_id, name
    detail: str

    def __str__(self) -> str:
        labels = {
            "email": _("same e-mail %(detail)s"),
            "domain": _("same e-mail domain %(detail)s and a similar name"),
            "phone": _("same phone %(detail)s"),
            "tax_id": _("same tax id digits %(detail)s in another country"),
            "name": _("similar name (%(detail)s)"),
        }
        return str(labels[self.code]) % {"detail": self.detail}


@dataclass(frozen=True)
class Match:
    score: float
    reasons: tuple[Reason, ...]

    def as_json(self) -> list[dict[str, str]]:
        return [{"code": r.code, "detail": r.detail} for r in self.reasons]


def _numbers(folded: str) -> frozenset[str]:
    return frozenset(w.lstrip("0") for w in folded.split() if w.isdigit())


def _gram_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def compare(a: Profile, b: Profile) -> Match | None:
    """The reasons `a` and `b` look like one record, scored; None when nothing does."""
    reasons: list[Reason] = []
    scores: list[float] = []
    name_score = _gram_similarity(a.grams, b.grams)
    for email in sorted(a.emails & b.emails):
        reasons.append(Reason("email", email))
        scores.append(SCORES["email"])
    shared_domains = a.domains & b.domains
    if (
        shared_domains
        and not a.person
        and not (a.emails & b.emails)
        and name_score >= DOMAIN_NAME_THRESHOLD
    ):
        reasons.append(Reason("domain", sorted(shared_domains)[0]))
        scores.append(SCORES["domain"] + 0.2 * name_score)
    for phone in sorted(a.phones & b.phones):
        reasons.append(Reason("phone", phone))
        scores.append(SCORES["phone"])
    if a.tax and a.tax == b.tax and len(a.tax) >= 5 and a.country != b.country:
        reasons.append(Reason("tax_id", a.tax))
        scores.append(SCORES["tax_id"])
    same_group = not a.person or (a.group != "" and a.group == b.group)
    # "Distribuidora Número 7" and "… Número 1000", "Sucursal 2" and "Sucursal 3": names
    # whose numbers differ are different places or companies, however alike the words.
    same_numbers = a.numbers == b.numbers
    if name_score >= NAME_THRESHOLD and same_group and same_numbers:
        reasons.append(Reason("name", f"{round(name_score * 100)} %"))
        scores.append(name_score)
    if not reasons:
        return None
    best = max(scores)
    score = min(1.0, best + 0.05 * (len(scores) - 1))
    return Match(round(score, 3), tuple(reasons))


def blocking_keys(p: Profile) -> set[str]:
    """The keys under which `p` is filed: two records are compared only when they share one.
    A similar name shares at least one word's prefix with the other, so each identifying
    word of four letters or more gives a key."""
    keys = {f"e:{e}" for e in p.emails}
    if not p.person:
        keys.update(f"d:{d}" for d in p.domains)
    keys.update(f"p:{ph}" for ph in p.phones)
    if len(p.tax) >= 5:
        keys.add(f"t:{p.tax}")
    words = p.folded.split()
    long_words = [w for w in words if len(w) >= 4] or words[:1]
    if p.person and not p.group:
        return keys
    prefix = f"n:{p.group}:" if p.person else "n:"
    keys.update(f"{prefix}{w[:6]}" for w in long_words)
    return keys
