"""Identity documents as data, and the one engine that checks a number against them.

A `Document` wraps a validator in python-stdnum's shape (compact, validate raising stdnum's
exceptions, format) with what a person needs to read when it fails: the document's name with
its article ("el NIT", "del NIT"), its length, an example, and which part can be wrong. The
engine turns stdnum's exception into one message per failure kind, naming the document:
"El dígito verificador del NIT no corresponde (debería ser 3)".

Error codes (on the "tax_id" field): "invalid" (format), "length", "component", "checksum",
"person_kind" (a valid id of the other kind of person).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, cast

from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)
from stdnum.exceptions import (
    ValidationError as StdnumError,
)

if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import StrPromise

PersonKind = Literal["natural", "legal"]
NATURAL: PersonKind = "natural"
LEGAL: PersonKind = "legal"
BOTH: frozenset[PersonKind] = frozenset({NATURAL, LEGAL})
ONLY_NATURAL: frozenset[PersonKind] = frozenset({NATURAL})
ONLY_LEGAL: frozenset[PersonKind] = frozenset({LEGAL})


@dataclass(frozen=True)
class TaxIdResult:
    number: str  # normalized tax id as the authority prints it
    dv: str  # Panama: two-digit DV ("59"); other countries: ""
    warning: str = ""  # translated warning text (e.g. Ecuador disputed checksum); "" if none
    # Which id was read ("cc", "nit", "dui", ...). Derived from the number, not stored with it,
    # so it takes no part in equality: two results are equal when they store the same thing.
    document: str = field(default="", compare=False)


def _percent(template: object, params: dict[str, object]) -> str:
    return str(template) % params


_lazy_percent = lazy(_percent, str)


def phrase(template: StrPromise, params: dict[str, object]) -> StrPromise:
    """A translated phrase with numbers in it, rendered in the language active when shown."""
    return cast("StrPromise", _lazy_percent(template, params))


# Lengths as error messages put them: "El RUT debe tener <entre 7 y 8 dígitos más el dígito
# verificador>".
DIGITS = _("%(count)s digits")
DIGITS_BETWEEN = _("between %(min)s and %(max)s digits")
DIGITS_AND_CHECK = _("%(count)s digits plus the check digit")
DIGITS_BETWEEN_AND_CHECK = _("between %(min)s and %(max)s digits plus the check digit")
DIGITS_UP_TO_AND_CHECK = _("up to %(max)s digits plus the check digit")


@dataclass(frozen=True)
class Name:
    """How a document is named in a sentence; Spanish needs the article and its contraction."""

    short: StrPromise  # "NIT": column headers, labels
    the: StrPromise  # "el NIT", "la cédula"
    of_the: StrPromise  # "del NIT", "de la cédula"


class Refused(InvalidComponent):
    """A number of the right shape that the authority never gives a customer (a generic RFC)."""

    def __init__(self, message: StrPromise) -> None:
        super().__init__()
        self.user_message = message


@dataclass(frozen=True)
class Document:
    code: str  # "cc", "nit", ...: what TaxIdResult.document says
    name: Name
    validate: Callable[[str], str]  # compact form, or one of stdnum's exceptions
    compact: Callable[[str], str]
    format: Callable[[str], str] | None = None  # the printed form; the compact one when None
    check_digit: Callable[[str], str] | None = None  # number without its check digit -> digit
    length: StrPromise | None = None  # "entre 7 y 8 dígitos más el dígito verificador"
    example: str = ""  # a valid number, printed, shown when the format is wrong
    parts: StrPromise | None = None  # the parts a component error can be about
    persons: frozenset[PersonKind] = BOTH
    # Ecuador's company RUC: the authority does not guarantee the check digit, so a failure
    # there is a warning with this text, not an error.
    checksum_warning: StrPromise | None = None
    # Compact length of a number typed without its check digit (a Colombian company's nine-digit
    # NIT): told as "missing" rather than "wrong" when no separator was typed.
    missing_check_length: int | None = None
    # Where the same person's id without a check digit exists (a Colombian cédula, a Paraguayan
    # CI), digits alone are that id: this one is only read with its check digit after a dash.
    check_after_dash: bool = False

    def printed(self, compact: str) -> str:
        return (self.format(compact) if self.format is not None else compact).upper()


# Failure kinds from the least to the most specific: the closest document explains the error.
_RANK = {"invalid": 0, "length": 1, "component": 2, "checksum": 3}


@dataclass(frozen=True)
class _Failure:
    rank: int
    error: ValidationError
    # The number lacks its check digit: clearer than "this is another kind's id" for digits
    # that are both a cédula and a company NIT typed without its DV.
    missing_check: bool = False


def _message(document: Document, exc: StdnumError, typed: str) -> ValidationError:
    name = document.name
    params: dict[str, object] = {"the": capfirst(name.the), "of_the": name.of_the}
    if isinstance(exc, Refused):
        return ValidationError(exc.user_message, code="component")
    if isinstance(exc, InvalidChecksum):
        compact = _safe_compact(document, typed)
        if (
            document.missing_check_length is not None
            and len(compact) == document.missing_check_length
            and document.check_digit is not None
            and not any(sep in typed for sep in "-/")
        ):
            params["expected"] = document.check_digit(compact)
            message = _(
                "The check digit %(of_the)s is missing: add it after a dash "
                "(it would be %(expected)s)."
            )
            return ValidationError(message, code="checksum_missing", params=params)
        if document.check_digit is not None and len(compact) > 1:
            params["expected"] = document.check_digit(compact[:-1])
            message = _("The check digit %(of_the)s does not match (it should be %(expected)s).")
            return ValidationError(message, code="checksum", params=params)
        message = _("The check digit %(of_the)s does not match. Check the number.")
        return ValidationError(message, code="checksum", params=params)
    if isinstance(exc, InvalidLength) and document.length is not None:
        params["length"] = document.length
        return ValidationError(_("%(the)s must have %(length)s."), code="length", params=params)
    if isinstance(exc, InvalidComponent) and document.parts is not None:
        params["parts"] = document.parts
        message = _("Check %(parts)s %(of_the)s: that part is not valid.")
        return ValidationError(message, code="component", params=params)
    if isinstance(exc, InvalidComponent):
        message = _("%(the)s is not a number the authority issues. Check it.")
        return ValidationError(message, code="component", params=params)
    if document.example:
        params["example"] = document.example
        message = _("%(the)s is not written correctly (for example: %(example)s).")
        return ValidationError(message, code="invalid", params=params)
    return ValidationError(_("%(the)s is not written correctly."), code="invalid", params=params)


def _safe_compact(document: Document, typed: str) -> str:
    try:
        return document.compact(typed)
    except StdnumError:
        return ""


def _failure(document: Document, exc: StdnumError, typed: str) -> _Failure:
    error = _message(document, exc, typed)
    if error.code == "checksum_missing":
        error.code = "checksum"
        return _Failure(_RANK["checksum"], error, missing_check=True)
    return _Failure(_RANK.get(str(error.code), 0), error)


def _join_or(names: Sequence[StrPromise]) -> str:
    texts = [str(name) for name in names]
    if len(texts) == 1:
        return texts[0]
    return str(_("%(first)s or %(last)s") % {"first": ", ".join(texts[:-1]), "last": texts[-1]})


def kind_mismatch(found: Name, found_kind: PersonKind, wanted: Sequence[Name]) -> ValidationError:
    """The number is a valid id of the other kind of person: say which, and what to enter."""
    params = {"the": found.the, "expected": _join_or(unique_the(wanted))}
    if found_kind == LEGAL:
        message = _("This number is %(the)s of a legal entity; enter %(expected)s of the person.")
    else:
        message = _(
            "This number is %(the)s of a natural person; enter %(expected)s of the legal entity."
        )
    return ValidationError(message, code="person_kind", params=params)


def unique_the(names: Sequence[Name]) -> list[StrPromise]:
    seen: list[str] = []
    result: list[StrPromise] = []
    for name in names:
        key = str(name.short)
        if key not in seen:
            seen.append(key)
            result.append(name.the)
    return result


def _try(document: Document, typed: str) -> str | _Failure | TaxIdResult:
    """The printed number, a warning result (Ecuador), or why the document refused it."""
    if document.check_after_dash and "-" not in typed:
        return _failure(document, InvalidFormat(), typed)
    try:
        return document.printed(document.validate(typed))
    except InvalidChecksum as exc:
        if document.checksum_warning is not None:
            compact = _safe_compact(document, typed)
            return TaxIdResult(
                document.printed(compact), "", str(document.checksum_warning), document.code
            )
        return _failure(document, exc, typed)
    except StdnumError as exc:
        return _failure(document, exc, typed)


def check(
    typed: str,
    documents: Sequence[Document],
    person_kind: PersonKind | None,
) -> TaxIdResult:
    """Validate `typed` as the first document of `documents` that accepts it.

    `documents` are the country's, in order of preference when several accept the same digits;
    with a person kind only that kind's are tried, and a number valid for the other kind is
    refused as such. When none accepts it, the error of the document it came closest to is
    raised, as ValidationError({"tax_id": ...}).
    """
    wanted = [d for d in documents if person_kind is None or person_kind in d.persons]
    accepted: list[tuple[Document, str]] = []
    warned: TaxIdResult | None = None
    best: _Failure | None = None
    for document in wanted:
        outcome = _try(document, typed)
        if isinstance(outcome, str):
            accepted.append((document, outcome))
        elif isinstance(outcome, TaxIdResult):
            warned = warned or outcome
        elif best is None or outcome.rank > best.rank:
            best = outcome
    if accepted:
        # The same digits can be valid as two documents (an EIN and an SSN): the spelling typed
        # tells which one was meant, otherwise the one listed first wins.
        spelled = typed.strip().upper()
        document, printed = next(
            ((d, p) for d, p in accepted if p == spelled),
            accepted[0],
        )
        return TaxIdResult(printed, "", "", document.code)
    if warned is not None:
        return warned
    if person_kind is not None and not (best is not None and best.missing_check):
        for document in documents:
            if person_kind in document.persons:
                continue
            if isinstance(_try(document, typed), str | TaxIdResult):
                other: PersonKind = LEGAL if person_kind == NATURAL else NATURAL
                raise ValidationError(
                    {"tax_id": kind_mismatch(document.name, other, [d.name for d in wanted])}
                )
    if best is None:  # a country whose documents all belong to the other kind
        best = _Failure(0, ValidationError(_("Enter a valid tax id."), code="invalid"))
    raise ValidationError({"tax_id": best.error})


@dataclass(frozen=True)
class Country:
    """A country's documents, in order of preference, and the field label for each person kind."""

    documents: tuple[Document, ...]
    label: StrPromise  # either kind, or the kind not known yet
    label_natural: StrPromise
    label_legal: StrPromise
