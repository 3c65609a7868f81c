"""Validators for the personal and company ids python-stdnum 2.2 does not have, written in its
shape (compact / validate raising stdnum's exceptions / format / calc_check_digit) so the engine
treats them alike. Each algorithm names its source; the tests check published examples.
"""

from __future__ import annotations

import datetime
import re

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.util import clean, isdigits


def _group_thousands(digits: str) -> str:
    return f"{int(digits):,}".replace(",", ".")


# ── Plain digit ids: Colombia's cédula de ciudadanía, Paraguay's CI ──────────────────────────────


class DigitsId:
    """An id that is only digits, min..max of them, with no check digit."""

    def __init__(self, low: int, high: int, *, dotted: bool, separators: str = " .") -> None:
        self.low, self.high, self.dotted, self.separators = low, high, dotted, separators

    def compact(self, number: str) -> str:
        return clean(number, self.separators).strip()

    def validate(self, number: str) -> str:
        compact = self.compact(number)
        # A dash means a check digit was typed: that is the NIT/RUC, never this id.
        if not isdigits(compact) or compact.startswith("0"):
            raise InvalidFormat()
        if not self.low <= len(compact) <= self.high:
            raise InvalidLength()
        return compact

    def format(self, number: str) -> str:
        compact = self.compact(number)
        return _group_thousands(compact) if self.dotted else compact


# Registraduría Nacional: cédulas de ciudadanía have 6 to 10 digits (the 10-digit series starts
# at 1.000.000.000) and no check digit; the DV belongs to the NIT that DIAN builds from them.
co_cc = DigitsId(6, 10, dotted=True)
# Paraguay: the cédula de identidad is the bare number (no check digit); the RUC of the same
# person is that number plus SET's check digit.
py_ci = DigitsId(4, 8, dotted=False)


# ── El Salvador: DUI ─────────────────────────────────────────────────────────────────────────────
# Registro Nacional de las Personas Naturales: 8 digits and a check digit, weights 9..2, mod 10
# (the algorithm of python-stdnum issue #133's sources; example 00016297-5).


def sv_dui_compact(number: str) -> str:
    return clean(number, " -").strip()


def sv_dui_check_digit(body: str) -> str:
    total = sum(weight * int(digit) for weight, digit in zip(range(9, 1, -1), body, strict=True))
    return str(-total % 10)


def sv_dui_validate(number: str) -> str:
    compact = sv_dui_compact(number)
    if not isdigits(compact):
        raise InvalidFormat()
    if len(compact) != 9:
        raise InvalidLength()
    if compact[:8] == "00000000":
        raise InvalidComponent()
    if sv_dui_check_digit(compact[:8]) != compact[8]:
        raise InvalidChecksum()
    return compact


def sv_dui_format(number: str) -> str:
    compact = sv_dui_compact(number)
    return f"{compact[:8]}-{compact[8]}"


# ── Uruguay: cédula de identidad ─────────────────────────────────────────────────────────────────
# Dirección Nacional de Identificación Civil: 6 or 7 digits and a check digit; weights
# 2 9 8 7 6 3 4 over the number padded to 7, check = -sum mod 10 (1.234.567-2).


def uy_ci_compact(number: str) -> str:
    return clean(number, " .-").strip()


def uy_ci_check_digit(body: str) -> str:
    padded = body.zfill(7)
    total = sum(w * int(d) for w, d in zip((2, 9, 8, 7, 6, 3, 4), padded, strict=True))
    return str(-total % 10)


def uy_ci_validate(number: str) -> str:
    compact = uy_ci_compact(number)
    if not isdigits(compact) or compact.startswith("0"):
        raise InvalidFormat()
    if not 7 <= len(compact) <= 8:
        raise InvalidLength()
    if uy_ci_check_digit(compact[:-1]) != compact[-1]:
        raise InvalidChecksum()
    return compact


def uy_ci_format(number: str) -> str:
    compact = uy_ci_compact(number)
    return f"{_group_thousands(compact[:-1])}-{compact[-1]}"


# ── Guatemala: CUI of the DPI ────────────────────────────────────────────────────────────────────
# RENAP: 8 digits, a check digit, the department (2) and municipality (2) of registration. The
# check digit is sum(digit * (position + 2)) mod 11 mod 10 (koblas/stdnum-js src/gt/cui.ts).
# Municipalities per department, Escuintla with 14 since Sipacate (Decreto 5-2015).
_GT_MUNICIPALITIES = (
    17,
    8,
    16,
    16,
    14,
    14,
    19,
    8,
    24,
    21,
    9,
    30,
    32,
    21,
    8,
    17,
    14,
    5,
    11,
    11,
    7,
    17,
)


def gt_cui_compact(number: str) -> str:
    return clean(number, " -").strip()


def gt_cui_check_digit(body: str) -> str:
    return str(sum(int(d) * (i + 2) for i, d in enumerate(body)) % 11 % 10)


def gt_cui_validate(number: str) -> str:
    compact = gt_cui_compact(number)
    if not isdigits(compact):
        raise InvalidFormat()
    if len(compact) != 13:
        raise InvalidLength()
    department, municipality = int(compact[9:11]), int(compact[11:13])
    if not 1 <= department <= len(_GT_MUNICIPALITIES):
        raise InvalidComponent()
    if not 1 <= municipality <= _GT_MUNICIPALITIES[department - 1]:
        raise InvalidComponent()
    if gt_cui_check_digit(compact[:8]) != compact[8]:
        raise InvalidChecksum()
    return compact


def gt_cui_format(number: str) -> str:
    # As the DPI prints it: "2547 31851 0101".
    compact = gt_cui_compact(number)
    return f"{compact[:4]} {compact[4:9]} {compact[9:]}"


def gt_cui_expected(body_with_place: str) -> str:
    """Check digit for a CUI missing or with a wrong one: the engine passes the number less its
    last character, which for a CUI is not the check digit, so it is recomputed from the front."""
    return gt_cui_check_digit(body_with_place[:8])


# ── Honduras: DNI and RTN ────────────────────────────────────────────────────────────────────────
# RNP: the DNI is municipality (4, the department 01-18 first), year of registration (4) and a
# sequence (5); SAR's RTN adds a digit to a person's DNI, and a company's has the same 14-digit
# shape. Neither has a published check digit, so only the shape and department are checked.


def _hn_compact(number: str) -> str:
    return clean(number, " -").strip()


def _hn_check(compact: str, length: int) -> str:
    if not isdigits(compact):
        raise InvalidFormat()
    if len(compact) != length:
        raise InvalidLength()
    if not 1 <= int(compact[:2]) <= 18:
        raise InvalidComponent()
    return compact


def hn_dni_validate(number: str) -> str:
    compact = _hn_check(_hn_compact(number), 13)
    if not 1900 <= int(compact[4:8]) <= datetime.date.today().year:
        raise InvalidComponent()
    return compact


def hn_dni_format(number: str) -> str:
    compact = _hn_compact(number)
    return f"{compact[:4]}-{compact[4:8]}-{compact[8:]}"


def hn_rtn_validate(number: str) -> str:
    return _hn_check(_hn_compact(number), 14)


hn_compact = _hn_compact


# ── Nicaragua: cédula and RUC ────────────────────────────────────────────────────────────────────
# Consejo Supremo Electoral: municipality (3), date of birth ddmmyy (6), sequence (4) and a letter
# that is the 13 digits modulo 23 over ABCDEFGHJKLMNPQRSTUVWXY (no I, O, Z), as in
# cswni/cedulanica and juanjzb/nicaraguan-dni-validator. A person's RUC is the cédula; DGI gives
# legal entities a J followed by 13 digits.
_NI_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXY"


def ni_cedula_compact(number: str) -> str:
    return clean(number, " -").upper().strip()


def ni_cedula_check_digit(body: str) -> str:
    return _NI_LETTERS[int(body) % 23]


def ni_cedula_validate(number: str) -> str:
    compact = ni_cedula_compact(number)
    if not compact.isascii() or not compact.isalnum():
        raise InvalidFormat()
    if len(compact) != 14:
        raise InvalidLength()
    if not re.fullmatch(r"[0-9]{13}[A-Z]", compact):
        raise InvalidFormat()
    try:
        datetime.datetime.strptime(compact[3:9], "%d%m%y")
    except ValueError:
        raise InvalidComponent() from None
    if ni_cedula_check_digit(compact[:13]) != compact[13]:
        raise InvalidChecksum()
    return compact


def ni_cedula_format(number: str) -> str:
    compact = ni_cedula_compact(number)
    return f"{compact[:3]}-{compact[3:9]}-{compact[9:]}"


def ni_ruc_validate(number: str) -> str:
    compact = ni_cedula_compact(number)
    if not re.fullmatch(r"J[0-9]+", compact):
        raise InvalidFormat()
    if len(compact) != 14:
        raise InvalidLength()
    return compact


# ── Bolivia: CI and NIT ──────────────────────────────────────────────────────────────────────────
# SEGIP: the CI is 5 to 10 digits, optionally a complement (digit and letter, "-1A") given to
# duplicate numbers, and the department where it was issued (LP, CB, SC, OR, PT, CH, TJ, BE, PD)
# that older cards carry. SIN's NIT is 7 to 12 digits; neither has a published check digit.
_BO_DEPARTMENTS = ("LP", "CB", "SC", "OR", "PT", "CH", "TJ", "BE", "PD")
_BO_CI = re.compile(r"(?P<n>[0-9]+)(?:-?(?P<c>[0-9][A-Z]))?(?P<d>[A-Z]{2})?")


def bo_ci_compact(number: str) -> str:
    return clean(number, " .").upper().strip()


def bo_ci_validate(number: str) -> str:
    compact = bo_ci_compact(number)
    match = _BO_CI.fullmatch(compact)
    if match is None or match["n"].startswith("0"):
        raise InvalidFormat()
    if not 5 <= len(match["n"]) <= 10:
        raise InvalidLength()
    if match["d"] and match["d"] not in _BO_DEPARTMENTS:
        raise InvalidComponent()
    return compact


def bo_ci_format(number: str) -> str:
    match = _BO_CI.fullmatch(bo_ci_compact(number))
    if match is None:
        return number
    text = match["n"]
    if match["c"]:
        text += f"-{match['c']}"
    if match["d"]:
        text += f" {match['d']}"
    return text


bo_nit = DigitsId(7, 12, dotted=False, separators=" .-")


# ── Venezuela: cédula de identidad ───────────────────────────────────────────────────────────────
# SAIME: V (Venezuelan) or E (foreigner) and the number; people write it with or without the
# letter, so a bare number is a V. The RIF adds SENIAT's check digit (python-stdnum ve.rif).
_VE_CEDULA = re.compile(r"(?P<letter>[VE]?)(?P<n>[0-9]+)")


def ve_cedula_compact(number: str) -> str:
    return clean(number, " .-").upper().strip()


def ve_cedula_validate(number: str) -> str:
    compact = ve_cedula_compact(number)
    match = _VE_CEDULA.fullmatch(compact)
    if match is None or match["n"].startswith("0"):
        raise InvalidFormat()
    if not 6 <= len(match["n"]) <= 8:
        raise InvalidLength()
    return f"{match['letter'] or 'V'}{match['n']}"


def ve_cedula_format(number: str) -> str:
    compact = ve_cedula_validate(number)
    return f"{compact[0]}-{compact[1:]}"
