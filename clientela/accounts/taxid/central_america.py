"""Mexico, Central America (Panama apart) and the Dominican Republic.

Per country, natural persons / legal entities:
* MX: RFC of a persona física (13 characters) / of a persona moral (12), check digit verified
  and stored without spaces, as SAT and CFDI write it. The generic RFCs (XAXX010101000 for the
  general public, XEXX010101000 for foreigners) identify nobody and are refused.
* GT: CUI of the DPI (SAT takes it as the NIT of a person on electronic invoices) or NIT / NIT.
* SV: DUI (the NIT of Salvadorans since the 2021 homologation) or NIT / NIT.
* HN: DNI or RTN / RTN.
* NI: cédula (which is the person's RUC) / RUC (J and 13 digits).
* CR: cédula física or DIMEX / cédula jurídica.
* DO: cédula (the person's RNC) / RNC.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _
from stdnum import luhn
from stdnum.cr import cpf as cr_cpf
from stdnum.cr import cpj as cr_cpj
from stdnum.cr import cr as cr_cr
from stdnum.do import cedula as do_cedula
from stdnum.do import rnc as do_rnc
from stdnum.exceptions import InvalidLength
from stdnum.gt import nit as gt_nit
from stdnum.mx import rfc as mx_rfc
from stdnum.sv import nit as sv_nit

from . import names
from . import own_validators as own
from .documents import (
    DIGITS,
    DIGITS_AND_CHECK,
    DIGITS_UP_TO_AND_CHECK,
    ONLY_LEGAL,
    ONLY_NATURAL,
    Country,
    Document,
    Refused,
    phrase,
)

_GENERIC_RFC = frozenset({"XAXX010101000", "XEXX010101000"})


def _rfc(length: int) -> Callable[[str], str]:
    def validate(number: str) -> str:
        compact = mx_rfc.compact(number)
        if compact in _GENERIC_RFC:
            raise Refused(
                _(
                    "XAXX010101000 and XEXX010101000 are the SAT's generic RFCs, which identify "
                    "no one. Enter the customer's own RFC."
                )
            )
        if len(compact) != length:
            raise InvalidLength()
        return mx_rfc.validate(compact, validate_check_digits=True)

    return validate


COUNTRIES: dict[str, Country] = {
    "MX": Country(
        (
            Document(
                "rfc",
                names.RFC,
                _rfc(13),
                mx_rfc.compact,
                check_digit=mx_rfc.calc_check_digit,
                length=phrase(_("%(count)s characters"), {"count": 13}),
                example="GODE561231GR8",
                parts=_("the date or the homoclave"),
                persons=ONLY_NATURAL,
            ),
            Document(
                "rfc",
                names.RFC,
                _rfc(12),
                mx_rfc.compact,
                check_digit=mx_rfc.calc_check_digit,
                length=phrase(_("%(count)s characters"), {"count": 12}),
                example="MAB9307148T4",
                parts=_("the date or the homoclave"),
                persons=ONLY_LEGAL,
            ),
        ),
        label=_("RFC"),
        label_natural=_("RFC"),
        label_legal=_("RFC"),
    ),
    "GT": Country(
        (
            Document(
                "cui",
                names.CUI,
                own.gt_cui_validate,
                own.gt_cui_compact,
                own.gt_cui_format,
                check_digit=own.gt_cui_expected,
                length=phrase(DIGITS, {"count": 13}),
                example="1587 56444 0904",
                parts=_("the department or municipality (the last four digits)"),
                persons=ONLY_NATURAL,
            ),
            Document(
                "nit",
                names.NIT,
                gt_nit.validate,
                gt_nit.compact,
                gt_nit.format,
                check_digit=gt_nit.calc_check_digit,
                length=phrase(DIGITS_UP_TO_AND_CHECK, {"max": 11}),
                example="576937-K",
            ),
        ),
        label=_("NIT / DPI"),
        label_natural=_("DPI / NIT"),
        label_legal=_("NIT"),
    ),
    "SV": Country(
        (
            Document(
                "dui",
                names.DUI,
                own.sv_dui_validate,
                own.sv_dui_compact,
                own.sv_dui_format,
                check_digit=own.sv_dui_check_digit,
                length=phrase(DIGITS_AND_CHECK, {"count": 8}),
                example="00016297-5",
                persons=ONLY_NATURAL,
            ),
            Document(
                "nit",
                names.NIT,
                sv_nit.validate,
                sv_nit.compact,
                sv_nit.format,
                check_digit=sv_nit.calc_check_digit,
                length=phrase(DIGITS, {"count": 14}),
                example="0614-050707-104-8",
                parts=_("the first digit"),
            ),
        ),
        label=_("DUI / NIT"),
        label_natural=_("DUI / NIT"),
        label_legal=_("NIT"),
    ),
    "HN": Country(
        (
            Document(
                "dni",
                names.DNI,
                own.hn_dni_validate,
                own.hn_compact,
                own.hn_dni_format,
                length=phrase(DIGITS, {"count": 13}),
                example="0801-1990-12345",
                parts=_("the department (the first two digits) or the year"),
                persons=ONLY_NATURAL,
            ),
            Document(
                "rtn",
                names.RTN,
                own.hn_rtn_validate,
                own.hn_compact,
                length=phrase(DIGITS, {"count": 14}),
                example="08011990123456",
                parts=_("the department (the first two digits)"),
            ),
        ),
        label=_("RTN / DNI"),
        label_natural=_("DNI / RTN"),
        label_legal=_("RTN"),
    ),
    "NI": Country(
        (
            Document(
                "cedula",
                names.CEDULA,
                own.ni_cedula_validate,
                own.ni_cedula_compact,
                own.ni_cedula_format,
                check_digit=own.ni_cedula_check_digit,
                length=_("13 digits and a letter"),
                example="001-010180-0001S",
                parts=_("the date of birth"),
                persons=ONLY_NATURAL,
            ),
            Document(
                "ruc",
                names.RUC,
                own.ni_ruc_validate,
                own.ni_cedula_compact,
                length=_("a J and 13 digits"),
                example="J0310000000001",
                persons=ONLY_LEGAL,
            ),
        ),
        label=_("RUC / Cédula"),
        label_natural=_("Cédula / RUC"),
        label_legal=_("RUC"),
    ),
    "CR": Country(
        (
            Document(
                "cedula",
                names.CEDULA,
                cr_cpf.validate,
                cr_cpf.compact,
                cr_cpf.format,
                length=phrase(DIGITS, {"count": 9}),
                example="01-0234-0567",
                parts=_("the province"),
                persons=ONLY_NATURAL,
            ),
            Document(
                "dimex",
                names.DIMEX,
                cr_cr.validate,
                cr_cr.compact,
                cr_cr.format,
                length=_("11 or 12 digits"),
                example="155812994816",
                parts=_("the first digit (1)"),
                persons=ONLY_NATURAL,
            ),
            Document(
                "cedula_juridica",
                names.CEDULA_JURIDICA,
                cr_cpj.validate,
                cr_cpj.compact,
                cr_cpj.format,
                length=phrase(DIGITS, {"count": 10}),
                example="3-101-999999",
                parts=_("the class and type (the first four digits)"),
                persons=ONLY_LEGAL,
            ),
        ),
        label=_("Cédula"),
        label_natural=_("Cédula / DIMEX"),
        label_legal=_("Cédula jurídica"),
    ),
    "DO": Country(
        (
            Document(
                "cedula",
                names.CEDULA,
                do_cedula.validate,
                do_cedula.compact,
                do_cedula.format,
                check_digit=luhn.calc_check_digit,
                length=phrase(DIGITS, {"count": 11}),
                example="001-1391820-5",
                persons=ONLY_NATURAL,
            ),
            Document(
                "rnc",
                names.RNC,
                do_rnc.validate,
                do_rnc.compact,
                do_rnc.format,
                check_digit=do_rnc.calc_check_digit,
                length=phrase(DIGITS, {"count": 9}),
                example="1-01-85004-3",
                persons=ONLY_LEGAL,
            ),
        ),
        label=_("RNC / Cédula"),
        label_natural=_("Cédula"),
        label_legal=_("RNC"),
    ),
}
