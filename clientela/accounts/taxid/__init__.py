"""Tax ids of accounts (SPEC §2.1): validation per country and person kind, the form the
authority prints, the field label, and a search key.

    validate_tax_id("CO", "1020304050", person_kind="natural")
        -> TaxIdResult(number="1.020.304.050", dv="", warning="", document="cc")
    tax_id_label("MX") -> "RFC"

Each country's documents and how its people and companies really invoice are described in
panama.py, central_america.py, south_america.py and elsewhere.py; documents.py holds the engine
and the error messages; own_validators.py the algorithms python-stdnum does not have. A country
with none of them accepts 3 to 30 letters, digits, dashes and dots.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import central_america, elsewhere, names, south_america
from .documents import LEGAL, NATURAL, Country, PersonKind, TaxIdResult, check
from .panama import normalize_panama, panama_dv, validate_panama

__all__ = [
    "TaxIdResult",
    "documents_for",
    "in_sentence",
    "normalize_panama",
    "panama_dv",
    "search_key",
    "tax_id_label",
    "validate_tax_id",
]

COUNTRIES: dict[str, Country] = {
    **central_america.COUNTRIES,
    **south_america.COUNTRIES,
    **elsewhere.COUNTRIES,
}
# Panama's ids are not stdnum-shaped (a DV field of their own): they have a module, and labels.
_PANAMA_LABELS = {None: _("Cédula / RUC"), NATURAL: _("Cédula"), LEGAL: _("RUC")}

_FALLBACK = re.compile(r"[A-Z0-9.\-]{3,30}")


def _country_code(country: str | None) -> str:
    code = str(country or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise ValidationError(
            {"country": ValidationError(_("Enter a valid country code."), code="invalid")}
        )
    return code


def _person_kind(person_kind: str | None) -> PersonKind | None:
    if person_kind in (None, ""):
        return None
    if person_kind == NATURAL:
        return NATURAL
    if person_kind == LEGAL:
        return LEGAL
    raise ValidationError(
        {"person_kind": ValidationError(_("Select a valid person kind."), code="invalid_choice")}
    )


def _known_kind(person_kind: str | None) -> PersonKind | None:
    # Labels never fail: anything but a known kind reads as "not known yet".
    return NATURAL if person_kind == NATURAL else LEGAL if person_kind == LEGAL else None


def _validate_fallback(number: str) -> TaxIdResult:
    # Only separators are dropped; anything else outside letters, digits, '-' and '.' is refused
    # (no markup or quotes ever reaches a template or an export through this field).
    compact = re.sub(r"\s+", "", number).upper()
    if not compact.isascii() or not _FALLBACK.fullmatch(compact):
        raise ValidationError(
            {
                "tax_id": ValidationError(
                    _("Enter 3 to 30 letters, digits, dashes or dots."), code="invalid"
                )
            }
        )
    return TaxIdResult(compact, "", "", "other")


def validate_tax_id(
    country: str, number: str, dv: str = "", person_kind: str | None = None
) -> TaxIdResult:
    """Validate and normalize a tax id of the given country (ISO 3166-1 alpha-2, any case).

    person_kind "natural" takes the country's personal ids (and a person's tax number), "legal"
    its company ids; None takes either, preferring the personal reading of ambiguous digits.
    A valid id of the other kind is refused with code "person_kind".

    Panama: dv may be blank (computed) or two digits that must match, else
    ValidationError({"tax_dv": ...}) with code "dv_mismatch" ("dv_format" when it is not digits).
    Errors about the number itself are ValidationError({"tax_id": ...}) with codes "invalid",
    "length", "component", "checksum" or "person_kind", each message naming the document.
    Elsewhere dv is ignored and returned as "".
    """
    code = _country_code(country)
    kind = _person_kind(person_kind)
    text = str(number or "").strip()
    if code == "PA":
        return validate_panama(text, dv, kind)
    spec = COUNTRIES.get(code)
    if spec is not None:
        return check(text, spec.documents, kind)
    return _validate_fallback(text)


def tax_id_label(country: str, person_kind: str | None = None) -> str:
    """The tax id field's label for this country and person kind ("NIT", "Cédula / RUC")."""
    code = str(country or "").strip().upper()
    kind = _known_kind(person_kind)
    if code == "PA":
        return str(_PANAMA_LABELS[kind])
    spec = COUNTRIES.get(code)
    if spec is None:
        return str(names.TAX_ID.short)
    if kind == NATURAL:
        return str(spec.label_natural)
    if kind == LEGAL:
        return str(spec.label_legal)
    return str(spec.label)


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: "cédula / RUC", but "NIT" and "RUT" stay."""
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def documents_for(country: str, person_kind: str | None = None) -> list[str]:
    """Codes of the documents accepted for this country and person kind, in order."""
    code = str(country or "").strip().upper()
    kind = _known_kind(person_kind)
    if code == "PA":
        return {NATURAL: ["cedula", "nt"], LEGAL: ["ruc", "nt"], None: ["cedula", "ruc", "nt"]}[
            kind
        ]
    spec = COUNTRIES.get(code)
    if spec is None:
        return ["other"]
    codes = [d.code for d in spec.documents if kind is None or kind in d.persons]
    return list(dict.fromkeys(codes))


def search_key(number: str) -> str:
    """Tax id reduced to upper-case letters and digits only, for accent/separator-insensitive
    search: '155596713-2-2015' -> '15559671322015'; 'e-8-12345' -> 'E812345'.
    """
    folded = unicodedata.normalize("NFKD", str(number)).upper()
    return "".join(char for char in folded if char.isascii() and char.isalnum())
