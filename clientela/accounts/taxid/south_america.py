"""South America: which ids a person and a company invoice with, and how each is checked.

Per country, natural persons / legal entities:
* CO: cédula de ciudadanía (a consumer) or the NIT that DIAN builds from it plus its DV (a person
  registered in the RUT) / NIT. A cédula is never rewritten as a NIT: digits typed without the DV
  are a cédula, a NIT is typed with its DV after a dash.
* EC: cédula or the person's RUC (cédula + 001) / company RUC (third digit 9, or 6 for public
  entities), whose check digit the SRI does not guarantee: a failure there is a warning.
* PE: DNI or the person's RUC (10, 15, 17) / company RUC (20).
* VE: cédula or RIF with V, E or P / RIF with J or G.
* BO: CI or NIT / NIT.
* CL: the RUT for both (a person's RUN is the same number).
* AR: CUIT/CUIL (20, 23, 24, 27) or DNI for a final consumer / CUIT (30, 33, 34); the 50, 51
  and 55 CUITs of foreign persons and entities are taken for both.
* UY: CI or RUT / RUT.
* PY: CI (no check digit) or RUC (CI + DV) / RUC.
* BR: CPF / CNPJ (a MEI invoices with its CNPJ, so it is entered as a legal entity).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from django.utils.translation import gettext_lazy as _
from stdnum.ar import cuit as ar_cuit
from stdnum.ar import dni as ar_dni
from stdnum.br import cnpj as br_cnpj
from stdnum.br import cpf as br_cpf
from stdnum.cl import rut as cl_rut
from stdnum.co import nit as co_nit
from stdnum.ec import ci as ec_ci
from stdnum.ec import ruc as ec_ruc
from stdnum.exceptions import InvalidComponent
from stdnum.pe import cui as pe_cui
from stdnum.pe import ruc as pe_ruc
from stdnum.py import ruc as py_ruc
from stdnum.util import isdigits
from stdnum.uy import rut as uy_rut
from stdnum.ve import rif as ve_rif

from . import names
from . import own_validators as own
from .documents import (
    DIGITS,
    DIGITS_BETWEEN,
    DIGITS_BETWEEN_AND_CHECK,
    DIGITS_UP_TO_AND_CHECK,
    ONLY_LEGAL,
    ONLY_NATURAL,
    Country,
    Document,
    phrase,
)


def _with_prefixes(
    validate: Callable[[str], str], compact: Callable[[str], str], prefixes: tuple[str, ...]
) -> Callable[[str], str]:
    """The validator (of an 11-digit id), restricted to numbers whose first digits say the kind
    of person; a number of another length or with letters fails as stdnum says."""

    def restricted(number: str) -> str:
        value = compact(number)
        if len(value) == 11 and isdigits(value) and not value.startswith(prefixes):
            raise InvalidComponent()
        return validate(number)

    return restricted


def _ec_ci_check_digit(body: str) -> str:
    # The SRI's module 10 over weights 2, 1: products above 9 lose 9.
    total = sum(
        (p - 9 if (p := w * int(d)) > 9 else p) for w, d in zip((2, 1) * 5, body, strict=False)
    )
    return str(-total % 10)


def _ec_ruc_legal(number: str) -> str:
    value = ec_ruc.compact(number)
    if len(value) == 13 and isdigits(value) and value[2] not in "69":
        raise InvalidComponent()
    return ec_ruc.validate(number)


def _ec_ruc_natural(number: str) -> str:
    value = ec_ruc.compact(number)
    if len(value) == 13 and isdigits(value) and value[2] in "69":
        raise InvalidComponent()
    return ec_ruc.validate(number)


def _ve_rif_format(compact: str) -> str:
    # The SENIAT prints the RIF as letter-number-check digit: J-00012345-6.
    return f"{compact[0]}-{compact[1:-1]}-{compact[-1]}"


def _ve_rif(letters: str) -> Callable[[str], str]:
    def validate(number: str) -> str:
        value = ve_rif.compact(number)
        if value[:1].isalpha() and value[0] not in letters:
            raise InvalidComponent()
        return ve_rif.validate(number)

    return validate


def _pe_dni_format(compact: str) -> str:
    # RENIEC's DNI is the eight digits; a ninth character typed from the card is its check.
    return compact[:8]


_CO_NIT_LEGAL = Document(
    "nit",
    names.NIT,
    co_nit.validate,
    co_nit.compact,
    co_nit.format,
    check_digit=co_nit.calc_check_digit,
    length=phrase(DIGITS_BETWEEN_AND_CHECK, {"min": 7, "max": 15}),
    example="900.123.456-8",
    persons=ONLY_LEGAL,
    missing_check_length=9,
)
_CO_NIT_NATURAL = replace(
    _CO_NIT_LEGAL, example="79.123.456-0", persons=ONLY_NATURAL, check_after_dash=True
)
_PY_RUC_LEGAL = Document(
    "ruc",
    names.RUC,
    py_ruc.validate,
    py_ruc.compact,
    py_ruc.format,
    check_digit=py_ruc.calc_check_digit,
    length=phrase(DIGITS_UP_TO_AND_CHECK, {"max": 8}),
    example="80028061-0",
    persons=ONLY_LEGAL,
    missing_check_length=8,
)
_PY_RUC_NATURAL = replace(
    _PY_RUC_LEGAL, example="1234567-9", persons=ONLY_NATURAL, check_after_dash=True
)

_EC_RUC_NATURAL = Document(
    "ruc",
    names.RUC,
    _ec_ruc_natural,
    ec_ruc.compact,
    length=phrase(DIGITS, {"count": 13}),
    example="1714307103001",
    parts=_("the province, the third digit or the establishment (001)"),
    persons=ONLY_NATURAL,
)
_EC_RUC_LEGAL = replace(
    _EC_RUC_NATURAL,
    validate=_ec_ruc_legal,
    example="1792060346001",
    persons=ONLY_LEGAL,
    # SRI: company RUCs (third digit 6 public, 9 private) are not generated with a check digit,
    # so a failed mod-11 there is no proof of a typo (python-stdnum issues #290, #457, #497;
    # koblas/stdnum-js PR #168).
    checksum_warning=_(
        "This company RUC fails the SRI check digit, which the SRI does not guarantee for "
        "companies. Confirm the number with the SRI."
    ),
)
_PE_RUC_NATURAL = Document(
    "ruc",
    names.RUC,
    _with_prefixes(pe_ruc.validate, pe_ruc.compact, ("10", "15", "17")),
    pe_ruc.compact,
    check_digit=pe_ruc.calc_check_digit,
    length=phrase(DIGITS, {"count": 11}),
    example="10101174102",
    parts=_("the first two digits (10, 15 or 17 for a person)"),
    persons=ONLY_NATURAL,
)
_PE_RUC_LEGAL = replace(
    _PE_RUC_NATURAL,
    validate=_with_prefixes(pe_ruc.validate, pe_ruc.compact, ("20",)),
    example="20512333797",
    parts=_("the first two digits (20 for a company)"),
    persons=ONLY_LEGAL,
)
_VE_RIF_NATURAL = Document(
    "rif",
    names.RIF,
    _ve_rif("VEP"),
    ve_rif.compact,
    _ve_rif_format,
    check_digit=ve_rif.calc_check_digit,
    length=_("a letter, 8 digits and the check digit"),
    example="V-11470283-4",
    parts=_("the letter (V, E or P for a person)"),
    persons=ONLY_NATURAL,
)
_VE_RIF_LEGAL = replace(
    _VE_RIF_NATURAL,
    validate=_ve_rif("JG"),
    example="J-00012345-4",
    parts=_("the letter (J or G for an entity)"),
    persons=ONLY_LEGAL,
)
_AR_CUIT_NATURAL = Document(
    "cuit",
    names.CUIT,
    _with_prefixes(ar_cuit.validate, ar_cuit.compact, ("20", "23", "24", "27", "50", "51", "55")),
    ar_cuit.compact,
    ar_cuit.format,
    check_digit=ar_cuit.calc_check_digit,
    length=phrase(DIGITS, {"count": 11}),
    example="20-05536168-2",
    parts=_("the prefix (20, 23, 24 or 27 for a person)"),
    persons=ONLY_NATURAL,
)
_AR_CUIT_LEGAL = replace(
    _AR_CUIT_NATURAL,
    validate=_with_prefixes(
        ar_cuit.validate, ar_cuit.compact, ("30", "33", "34", "50", "51", "55")
    ),
    example="30-50000000-3",
    parts=_("the prefix (30, 33 or 34 for a company)"),
    persons=ONLY_LEGAL,
)

COUNTRIES: dict[str, Country] = {
    "CO": Country(
        (
            Document(
                "cc",
                names.CC,
                own.co_cc.validate,
                own.co_cc.compact,
                own.co_cc.format,
                length=phrase(DIGITS_BETWEEN, {"min": 6, "max": 10}),
                example="1.020.304.050",
                persons=ONLY_NATURAL,
            ),
            _CO_NIT_NATURAL,
            _CO_NIT_LEGAL,
        ),
        label=_("Cédula / NIT"),
        label_natural=_("Cédula / NIT"),
        label_legal=_("NIT"),
    ),
    "EC": Country(
        (
            Document(
                "ci",
                names.CEDULA,
                ec_ci.validate,
                ec_ci.compact,
                check_digit=_ec_ci_check_digit,
                length=phrase(DIGITS, {"count": 10}),
                example="1714307103",
                parts=_("the province or the third digit"),
                persons=ONLY_NATURAL,
            ),
            _EC_RUC_NATURAL,
            _EC_RUC_LEGAL,
        ),
        label=_("Cédula / RUC"),
        label_natural=_("Cédula / RUC"),
        label_legal=_("RUC"),
    ),
    "PE": Country(
        (
            Document(
                "dni",
                names.DNI,
                pe_cui.validate,
                pe_cui.compact,
                _pe_dni_format,
                length=phrase(DIGITS, {"count": 8}),
                example="10117410",
                persons=ONLY_NATURAL,
            ),
            _PE_RUC_NATURAL,
            _PE_RUC_LEGAL,
        ),
        label=_("RUC / DNI"),
        label_natural=_("DNI / RUC"),
        label_legal=_("RUC"),
    ),
    "VE": Country(
        (
            Document(
                "cedula",
                names.CEDULA,
                own.ve_cedula_validate,
                own.ve_cedula_compact,
                own.ve_cedula_format,
                length=phrase(DIGITS_BETWEEN, {"min": 6, "max": 8}),
                example="V-12345678",
                persons=ONLY_NATURAL,
            ),
            _VE_RIF_NATURAL,
            _VE_RIF_LEGAL,
        ),
        label=_("RIF / Cédula"),
        label_natural=_("Cédula / RIF"),
        label_legal=_("RIF"),
    ),
    "BO": Country(
        (
            Document(
                "ci",
                names.CI,
                own.bo_ci_validate,
                own.bo_ci_compact,
                own.bo_ci_format,
                length=phrase(DIGITS_BETWEEN, {"min": 5, "max": 10}),
                example="4567890 LP",
                parts=_("the department (LP, CB, SC, OR, PT, CH, TJ, BE or PD)"),
                persons=ONLY_NATURAL,
            ),
            Document(
                "nit",
                names.NIT,
                own.bo_nit.validate,
                own.bo_nit.compact,
                length=phrase(DIGITS_BETWEEN, {"min": 7, "max": 12}),
                example="1020269020",
            ),
        ),
        label=_("NIT / CI"),
        label_natural=_("CI / NIT"),
        label_legal=_("NIT"),
    ),
    "CL": Country(
        (
            Document(
                "rut",
                names.RUT,
                cl_rut.validate,
                cl_rut.compact,
                cl_rut.format,
                check_digit=cl_rut.calc_check_digit,
                length=phrase(DIGITS_BETWEEN_AND_CHECK, {"min": 7, "max": 8}),
                example="76.086.428-5",
            ),
        ),
        label=_("RUT"),
        label_natural=_("RUT"),
        label_legal=_("RUT"),
    ),
    "AR": Country(
        (
            _AR_CUIT_NATURAL,
            _AR_CUIT_LEGAL,
            Document(
                "dni",
                names.DNI,
                ar_dni.validate,
                ar_dni.compact,
                ar_dni.format,
                length=_("7 or 8 digits"),
                example="20.123.456",
                persons=ONLY_NATURAL,
            ),
        ),
        label=_("CUIT / DNI"),
        label_natural=_("CUIT / DNI"),
        label_legal=_("CUIT"),
    ),
    "UY": Country(
        (
            Document(
                "ci",
                names.CI,
                own.uy_ci_validate,
                own.uy_ci_compact,
                own.uy_ci_format,
                check_digit=own.uy_ci_check_digit,
                length=phrase(DIGITS_BETWEEN_AND_CHECK, {"min": 6, "max": 7}),
                example="1.234.567-2",
                persons=ONLY_NATURAL,
            ),
            Document(
                "rut",
                names.RUT,
                uy_rut.validate,
                uy_rut.compact,
                uy_rut.format,
                check_digit=uy_rut.calc_check_digit,
                length=phrase(DIGITS, {"count": 12}),
                example="21-100342-001-7",
                parts=_("the first two digits or the 001 block"),
            ),
        ),
        label=_("RUT / CI"),
        label_natural=_("CI / RUT"),
        label_legal=_("RUT"),
    ),
    "PY": Country(
        (
            Document(
                "ci",
                names.CI,
                own.py_ci.validate,
                own.py_ci.compact,
                own.py_ci.format,
                length=phrase(DIGITS_BETWEEN, {"min": 4, "max": 8}),
                example="1234567",
                persons=ONLY_NATURAL,
            ),
            _PY_RUC_NATURAL,
            _PY_RUC_LEGAL,
        ),
        label=_("RUC / CI"),
        label_natural=_("CI / RUC"),
        label_legal=_("RUC"),
    ),
    "BR": Country(
        (
            Document(
                "cpf",
                names.CPF,
                br_cpf.validate,
                br_cpf.compact,
                br_cpf.format,
                length=phrase(DIGITS, {"count": 11}),
                example="390.533.447-05",
                persons=ONLY_NATURAL,
            ),
            Document(
                "cnpj",
                names.CNPJ,
                br_cnpj.validate,
                br_cnpj.compact,
                br_cnpj.format,
                length=phrase(DIGITS, {"count": 14}),
                example="16.727.230/0001-97",
                persons=ONLY_LEGAL,
            ),
        ),
        label=_("CPF / CNPJ"),
        label_natural=_("CPF"),
        label_legal=_("CNPJ"),
    ),
}
