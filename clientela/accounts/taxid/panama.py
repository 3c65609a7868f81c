"""Panama (SPEC §2.1): the DGI's check digit (DV) of cédulas, RUCs and NT numbers.

python-stdnum has no validator for Panama, so the DV is computed here with the DGI algorithm
("Cálculo del Dígito Verificador del RUC"): the id is laid out as a table of digits (RUCTB) whose
shape depends on the kind of id, and two mod-11 digits are computed over it. The layouts follow
the public implementations that were checked against the DGI's own calculator (e-Tax 2.0
"Consultar DV"):

* juancorradine/Panama-RUC-DV-Calculator (Python, from the DGI's PDF, tests from e-Tax),
* leira2985/panama-ruc (TypeScript, audited against e-Tax with real taxpayers),
* apple314159/panama-dv and invopop/gobl regimes/pa (from ANIP's DV_RUC.pdf; the same results
  wherever the tomo has at most three digits and the asiento fits its field).

Person kinds. One spelling can stand for two DGI ids with different DVs:
* an NT number is given to foreign people (natural) and to foreign companies, cooperatives and
  state entities (legal, laid out without the leading 5);
* a number like 2-221-78 is a cédula, but also the RUC of an old company whose rollo is 1 to 14.
A natural person has a cédula (any letter) or a natural NT; a legal entity has a company RUC or a
legal NT. With the person kind known the right DV is computed; without it both are accepted when
typed, and a blank DV gets the natural one (with a warning for NT numbers, where the other
reading is common; a company RUC that reads as a cédula is rare enough to stay silent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import names
from .documents import LEGAL, NATURAL, Name, PersonKind, TaxIdResult, kind_mismatch

_PANAMA_INVALID = _("Enter a valid Panama RUC or cédula.")

# Provinces and comarcas of the cédula: 1-13, and 14 (Naso Tjër Di, 2020) as in the DGI catalog.
# A first group above 14 cannot be a province, so such a number is an old legal RUC.
_MAX_PROVINCE = 14

# Two-digit codes that stand for the letters in the RUCTB.
_LETTER_CODE = {"E": "50", "N": "40", "PE": "75", "AV": "15", "PI": "79", "NT": "43"}

# When the tomo has four digits the DGI calculator no longer uses the province and letter codes
# above: these prefixes reproduce its results (juancorradine's "código de validación", fitted to
# e-Tax; E-1234-12770 DV 98, N-1234-12345 DV 00, 2AV-1234-1234 DV 02, ...). The AV/PI one is
# 0 modulo 11 for both digits, so province and letter do not change the DV of such a cédula.
_FOUR_DIGIT_TOMO_PREFIX = {"E": "5665", "N": "5924", "AV": "59595", "PI": "59595"}

# Cross-reference table of the DGI for old legal RUCs: it replaces the two digits at positions
# 5-6 of the RUCTB before the DV is computed. Pairs not listed are kept as they are.
_OLD_RUC_XREF = {
    "00": "00", "10": "01", "11": "02", "12": "03", "13": "04", "14": "05", "15": "06",
    "16": "07", "17": "08", "18": "09", "19": "01", "20": "02", "21": "03", "22": "04",
    "23": "07", "24": "08", "25": "09", "26": "02", "27": "03", "28": "04", "29": "05",
    "30": "06", "31": "07", "32": "08", "33": "09", "34": "01", "35": "02", "36": "03",
    "37": "04", "38": "05", "39": "06", "40": "07", "41": "08", "42": "09", "43": "01",
    "44": "02", "45": "03", "46": "04", "47": "05", "48": "06", "49": "07",
}  # fmt: skip

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015"
_SEPARATORS = re.compile(rf"[\s\-{_DASHES}_./]+")
# A DV typed after the number: "155596713-2-2015 DV 59", "... D.V. 9", "...-DV59".
_DV_SUFFIX = re.compile(r"^(?P<number>.*?)[\s\-]*D\.?\s*V\.?\s*[:#]?\s*(?P<dv>[0-9]{1,2})\s*$")
_DV_FIELD = re.compile(r"^(?:D\.?\s*V\.?\s*[:#]?\s*)?(?P<dv>[0-9]{1,2})$")


@dataclass(frozen=True)
class _Reading:
    """One DGI id a spelling can stand for."""

    dv: str
    person: PersonKind
    document: str  # "cedula", "ruc" or "nt"


_NAMES: dict[str, Name] = {"cedula": names.CEDULA, "ruc": names.RUC, "nt": names.NT}


@dataclass(frozen=True)
class _PanamaId:
    number: str  # canonical spelling, e.g. "8-442-445", "8PI-1-234", "8-NT-1-24"
    readings: tuple[_Reading, ...]  # each DGI reading of this spelling, the usual one first

    @property
    def dvs(self) -> tuple[str, ...]:
        return tuple(reading.dv for reading in self.readings)

    @property
    def nt(self) -> bool:
        # Natural and legal NT numbers share the spelling, not the DV.
        return self.readings[0].document == "nt"


def _cedula(number: str, dv: str) -> _PanamaId:
    return _PanamaId(number, (_Reading(dv, NATURAL, "cedula"),))


def _invalid_panama() -> ValidationError:
    return ValidationError(_PANAMA_INVALID, code="invalid")


def _dv_digit(ructb: str, old_legal: bool) -> int:
    # Old legal RUCs repeat weight 11 once (…, 10, 11, 11, 12, …): the DGI's "sw" switch.
    weight, total, skip = 2, 0, old_legal
    for char in reversed(ructb):
        if skip and weight == 12:
            skip = False
            weight = 11
        total += weight * int(char)
        weight += 1
    remainder = total % 11
    return 11 - remainder if remainder > 1 else 0


def _dv(ructb: str, old_legal: bool = False) -> str:
    first = _dv_digit(ructb, old_legal)
    second = _dv_digit(f"{ructb}{first}", old_legal)
    return f"{first}{second}"


def _natural_ructb(province: str, letter: str, tomo: str, asiento: str) -> str:
    if len(tomo) == 4 and letter in _FOUR_DIGIT_TOMO_PREFIX:
        return f"{_FOUR_DIGIT_TOMO_PREFIX[letter]}{tomo}{asiento.zfill(5)}"
    code = _LETTER_CODE.get(letter, "00")
    # zfill never truncates: a six-digit asiento (E, N, NT) widens the table as e-Tax does.
    return f"5{province.zfill(2)}{code}{tomo.zfill(3)}{asiento.zfill(5)}"


def _legal_dv(rollo: str, tomo: str, asiento: str) -> str:
    ructb = f"{rollo.zfill(10)}{tomo.zfill(4)}{asiento.zfill(6)}"
    old = ructb[3] == "0" and ructb[4] == "0" and ructb[5] < "5"
    if old:
        pair = ructb[5:7]
        ructb = f"{ructb[:5]}{_OLD_RUC_XREF.get(pair, pair)}{ructb[7:]}"
    return _dv(ructb, old)


def _legal_nt_dv(province: str, tomo: str, asiento: str) -> str:
    # The NT of a legal entity is laid out like a natural person's NT without the leading 5.
    return _dv(f"{province.zfill(2)}{_LETTER_CODE['NT']}{tomo.zfill(3)}{asiento.zfill(5)}")


def _number(token: str, max_digits: int) -> str:
    if not token.isascii() or not token.isdigit():
        raise _invalid_panama()
    # A group is a number: the DGI pads it to its field's width and prints it without leading
    # zeros, so "00445" and "445" are one asiento (the field width, not the spelling, sets the
    # weights of the digits to its left).
    value = token.lstrip("0")
    if not value or len(value) > max_digits:
        raise _invalid_panama()
    return value


def _province(token: str) -> str:
    value = _number(token, 2)
    if int(value) > _MAX_PROVINCE:
        raise _invalid_panama()
    return value


def _split_dv_suffix(text: str) -> tuple[str, str]:
    match = _DV_SUFFIX.match(text)
    if match is None:
        return text, ""
    return match["number"], match["dv"].zfill(2)


def _parse_panama(text: str, person_kind: PersonKind | None = None) -> _PanamaId:
    upper = _split_dv_suffix(str(text).strip().upper())[0]
    joined = _SEPARATORS.sub("-", upper).strip("-")
    if not re.fullmatch(r"[0-9A-Z-]+", joined):
        raise _invalid_panama()
    # Letters glued to digits ("8AV", "8NT") are groups of their own.
    tokens = re.findall(r"[0-9]+|[A-Z]+", joined)
    if len(tokens) == 3 and tokens[0] in {"E", "N"}:
        # E and N cédulas take a six-digit asiento; with a four-digit tomo as well, no source
        # documents or tests the e-Tax layout, so that shape is refused rather than guessed.
        letter, tomo, asiento = tokens[0], _number(tokens[1], 4), _number(tokens[2], 6)
        if len(tomo) == 4 and len(asiento) == 6:
            raise _invalid_panama()
        return _cedula(f"{letter}-{tomo}-{asiento}", _dv(_natural_ructb("", letter, tomo, asiento)))
    if len(tokens) == 3 and tokens[0] == "PE":
        # No published DV for a PE cédula with a four-digit tomo: refused rather than guessed.
        tomo, asiento = _number(tokens[1], 3), _number(tokens[2], 5)
        return _cedula(f"PE-{tomo}-{asiento}", _dv(_natural_ructb("", "PE", tomo, asiento)))
    if len(tokens) == 4 and tokens[1] in {"AV", "PI"}:
        province, letter = _province(tokens[0]), tokens[1]
        tomo, asiento = _number(tokens[2], 4), _number(tokens[3], 5)
        return _cedula(
            f"{province}{letter}-{tomo}-{asiento}",
            _dv(_natural_ructb(province, letter, tomo, asiento)),
        )
    if len(tokens) == 4 and tokens[1] == "NT":
        province, tomo, asiento = _province(tokens[0]), _number(tokens[2], 3), _number(tokens[3], 6)
        return _PanamaId(
            f"{province}-NT-{tomo}-{asiento}",
            (
                _Reading(_dv(_natural_ructb(province, "NT", tomo, asiento)), NATURAL, "nt"),
                _Reading(_legal_nt_dv(province, tomo, asiento), LEGAL, "nt"),
            ),
        )
    if len(tokens) == 3:
        first, tomo, asiento = _number(tokens[0], 10), _number(tokens[1], 4), _number(tokens[2], 6)
        number = f"{first}-{tomo}-{asiento}"
        legal = _Reading(_legal_dv(first, tomo, asiento), LEGAL, "ruc")
        if len(first) > 2 or int(first) > _MAX_PROVINCE:
            return _PanamaId(number, (legal,))
        # A short first group is a province (a cédula) but also the rollo of some old companies
        # (2-221-78, Compañía Internacional de Seguros, DV 56): the DGI asks which one is meant,
        # the number alone cannot tell. The cédula reading comes first. A cédula's asiento has at
        # most 5 digits (e-Tax ignores any further one), so a longer one is a typo unless the
        # number is known to be a company's.
        if len(asiento) > 5:
            if person_kind == LEGAL:
                return _PanamaId(number, (legal,))
            raise _invalid_panama()
        natural = _Reading(_dv(_natural_ructb(first, "", tomo, asiento)), NATURAL, "cedula")
        return _PanamaId(number, (natural, legal))
    raise _invalid_panama()


def normalize_panama(ruc: str) -> str:
    """The spelling the DGI prints: upper case, groups joined by dashes, no leading zeros.

    '8 442 445', '08-0442-00445' -> '8-442-445'; '8-av-1-234' -> '8AV-1-234'; '8NT 1 24' ->
    '8-NT-1-24'. A trailing "DV nn" is dropped. Raises ValidationError(code="invalid").
    """
    return _parse_panama(ruc).number


def panama_dv(ruc: str) -> str:
    """Two-digit DGI DV for a Panama RUC/cédula/NT (any accepted spelling).

    Raises ValidationError(code="invalid") when the number is not a valid Panama id shape. For an
    NT number this is the DV of a natural person's NT; for a short legal RUC written like a cédula
    (2-221-78) it is the cédula's DV: validate_tax_id also accepts the other reading's DV.
    """
    return _parse_panama(ruc).dvs[0]


def _typed_dv(dv: str) -> str:
    text = str(dv).strip().upper()
    if not text:
        return ""
    match = _DV_FIELD.match(text)
    if match is None:
        raise ValidationError(
            {"tax_dv": ValidationError(_("Enter the DV as two digits."), code="dv_format")}
        )
    return match["dv"].zfill(2)


def _dv_mismatch() -> ValidationError:
    return ValidationError(
        {
            "tax_dv": ValidationError(
                _("This DV does not match the RUC or cédula. Check both numbers."),
                code="dv_mismatch",
            )
        }
    )


def _dv_should_be(readings: tuple[_Reading, ...]) -> ValidationError:
    expected = sorted({reading.dv for reading in readings})
    params = {
        "of_the": _NAMES[readings[0].document].of_the,
        "expected": expected[0]
        if len(expected) == 1
        else _("%(first)s or %(last)s") % {"first": expected[0], "last": expected[1]},
    }
    message = _("The DV %(of_the)s should be %(expected)s. Check both numbers.")
    return ValidationError({"tax_dv": ValidationError(message, code="dv_mismatch", params=params)})


def _wrong_kind(parsed: _PanamaId, person_kind: PersonKind) -> ValidationError:
    found = parsed.readings[0]
    wanted = [names.CEDULA, names.NT] if person_kind == NATURAL else [names.RUC, names.NT]
    return ValidationError({"tax_id": kind_mismatch(_NAMES[found.document], found.person, wanted)})


def validate_panama(number: str, dv: str, person_kind: PersonKind | None) -> TaxIdResult:
    typed = _typed_dv(dv)
    _rest, suffix = _split_dv_suffix(str(number).strip().upper())
    if suffix and typed and suffix != typed:
        raise _dv_mismatch()
    typed = typed or suffix
    try:
        parsed = _parse_panama(number, person_kind)
    except ValidationError as exc:
        raise ValidationError({"tax_id": exc}) from None
    readings = tuple(r for r in parsed.readings if person_kind in (None, r.person))
    if not readings:
        raise _wrong_kind(parsed, person_kind or NATURAL)
    if typed:
        reading = next((r for r in readings if r.dv == typed), None)
        if reading is None:
            raise _dv_should_be(readings)
        return TaxIdResult(parsed.number, typed, "", reading.document)
    warning = ""
    if len({r.dv for r in readings}) > 1 and parsed.nt:
        warning = str(
            _(
                "The DV was computed for the NT of a natural person; a legal entity's NT has "
                "another DV. Check it on the DGI registration."
            )
        )
    return TaxIdResult(parsed.number, readings[0].dv, warning, readings[0].document)
