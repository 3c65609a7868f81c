"""Tax ids of accounts (SPEC §2.1): validation, the form the authority prints, and a search key.

Panama has no validator in python-stdnum, so its RUC/cédula check digit (DV) is computed here with
the DGI algorithm ("Cálculo del Dígito Verificador del RUC"): the id is laid out as a table of
digits (RUCTB) whose shape depends on the kind of id, and two mod-11 digits are computed over it.
The layouts follow the public implementations that were checked against the DGI's own calculator
(e-Tax 2.0 "Consultar DV"):

* juancorradine/Panama-RUC-DV-Calculator (Python, from the DGI's PDF, tests from e-Tax),
* leira2985/panama-ruc (TypeScript, audited against e-Tax with real taxpayers),
* apple314159/panama-dv and invopop/gobl regimes/pa (from ANIP's DV_RUC.pdf; the same results
  wherever the tomo has at most three digits and the asiento fits its field).

Every other mapped country is validated and formatted by python-stdnum.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.ar import cuit as ar_cuit
from stdnum.ar import dni as ar_dni
from stdnum.br import cnpj as br_cnpj
from stdnum.br import cpf as br_cpf
from stdnum.ca import bn as ca_bn
from stdnum.cl import rut as cl_rut
from stdnum.cn import uscc as cn_uscc
from stdnum.co import nit as co_nit
from stdnum.cr import cpf as cr_cpf
from stdnum.cr import cpj as cr_cpj
from stdnum.cr import cr as cr_cr
from stdnum.de import stnr as de_stnr
from stdnum.de import vat as de_vat
from stdnum.do import cedula as do_cedula
from stdnum.do import rnc as do_rnc
from stdnum.ec import ci as ec_ci
from stdnum.ec import ruc as ec_ruc
from stdnum.es import nif as es_nif
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret
from stdnum.fr import tva as fr_tva
from stdnum.gb import utr as gb_utr
from stdnum.gb import vat as gb_vat
from stdnum.gt import nit as gt_nit
from stdnum.it import codicefiscale as it_codicefiscale
from stdnum.it import iva as it_iva
from stdnum.mx import rfc as mx_rfc
from stdnum.nl import btw as nl_btw
from stdnum.pe import cui as pe_cui
from stdnum.pe import ruc as pe_ruc
from stdnum.pt import nif as pt_nif
from stdnum.py import ruc as py_ruc
from stdnum.sv import nit as sv_nit
from stdnum.us import ein as us_ein
from stdnum.us import itin as us_itin
from stdnum.us import ssn as us_ssn
from stdnum.uy import rut as uy_rut
from stdnum.ve import rif as ve_rif

__all__ = ["TaxIdResult", "normalize_panama", "panama_dv", "search_key", "validate_tax_id"]


@dataclass(frozen=True)
class TaxIdResult:
    number: str  # normalized tax id as the authority prints it
    dv: str  # Panama: two-digit DV ("59"); other countries: ""
    warning: str = ""  # translated warning text (e.g. Ecuador disputed checksum); "" if none


# ── Panama ───────────────────────────────────────────────────────────────────────────────────────

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
class _PanamaId:
    number: str  # canonical spelling, e.g. "8-442-445", "8PI-1-234", "8-NT-1-24"
    dvs: tuple[str, ...]  # DV of each DGI reading of this spelling, the usual one first
    nt: bool  # an NT number: natural and legal NT numbers share the spelling, not the DV


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


def _parse_panama(text: str) -> _PanamaId:
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
        return _PanamaId(
            f"{letter}-{tomo}-{asiento}", (_dv(_natural_ructb("", letter, tomo, asiento)),), False
        )
    if len(tokens) == 3 and tokens[0] == "PE":
        # No published DV for a PE cédula with a four-digit tomo: refused rather than guessed.
        tomo, asiento = _number(tokens[1], 3), _number(tokens[2], 5)
        return _PanamaId(
            f"PE-{tomo}-{asiento}", (_dv(_natural_ructb("", "PE", tomo, asiento)),), False
        )
    if len(tokens) == 4 and tokens[1] in {"AV", "PI"}:
        province, letter = _province(tokens[0]), tokens[1]
        tomo, asiento = _number(tokens[2], 4), _number(tokens[3], 5)
        return _PanamaId(
            f"{province}{letter}-{tomo}-{asiento}",
            (_dv(_natural_ructb(province, letter, tomo, asiento)),),
            False,
        )
    if len(tokens) == 4 and tokens[1] == "NT":
        province, tomo, asiento = _province(tokens[0]), _number(tokens[2], 3), _number(tokens[3], 6)
        return _PanamaId(
            f"{province}-NT-{tomo}-{asiento}",
            (
                _dv(_natural_ructb(province, "NT", tomo, asiento)),
                _legal_nt_dv(province, tomo, asiento),
            ),
            True,
        )
    if len(tokens) == 3:
        first, tomo, asiento = _number(tokens[0], 10), _number(tokens[1], 4), _number(tokens[2], 6)
        number = f"{first}-{tomo}-{asiento}"
        if len(first) > 2 or int(first) > _MAX_PROVINCE:
            return _PanamaId(number, (_legal_dv(first, tomo, asiento),), False)
        # A short first group is a province (a cédula) but also the rollo of some old companies
        # (2-221-78, Compañía Internacional de Seguros, DV 56): the DGI asks which one is meant,
        # the number alone cannot tell. The cédula reading comes first. A cédula's asiento has at
        # most 5 digits (e-Tax ignores any further one), so a longer one is a typo, not a company.
        if len(asiento) > 5:
            raise _invalid_panama()
        natural = _dv(_natural_ructb(first, "", tomo, asiento))
        return _PanamaId(number, (natural, _legal_dv(first, tomo, asiento)), False)
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


def _validate_panama(number: str, dv: str) -> TaxIdResult:
    typed = _typed_dv(dv)
    _rest, suffix = _split_dv_suffix(str(number).strip().upper())
    if suffix and typed and suffix != typed:
        raise _dv_mismatch()
    typed = typed or suffix
    try:
        parsed = _parse_panama(number)
    except ValidationError as exc:
        raise ValidationError({"tax_id": exc}) from None
    if typed:
        if typed not in parsed.dvs:
            raise _dv_mismatch()
        return TaxIdResult(parsed.number, typed)
    warning = ""
    if parsed.nt:
        warning = str(
            _(
                "The DV was computed for the NT of a natural person; a legal entity's NT has "
                "another DV. Check it on the DGI registration."
            )
        )
    return TaxIdResult(parsed.number, parsed.dvs[0], warning)


# ── Other countries ──────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class _Kind:
    validate: Callable[[str], str]  # returns the compact number, raises stdnum's errors
    format: Callable[[str], str] | None = None  # printed form; the compact one when None


def _ve_rif_format(compact: str) -> str:
    # The SENIAT prints the RIF as letter-number-check digit: J-00012345-6.
    return f"{compact[0]}-{compact[1:-1]}-{compact[-1]}"


# The ids a customer account may carry in each country: the company number and, where people buy
# too, the personal one. Any of them is accepted.
_STDNUM_KINDS: dict[str, tuple[_Kind, ...]] = {
    "AR": (_Kind(ar_cuit.validate, ar_cuit.format), _Kind(ar_dni.validate, ar_dni.format)),
    "BR": (_Kind(br_cnpj.validate, br_cnpj.format), _Kind(br_cpf.validate, br_cpf.format)),
    "CA": (_Kind(ca_bn.validate),),
    "CL": (_Kind(cl_rut.validate, cl_rut.format),),
    "CN": (_Kind(cn_uscc.validate, cn_uscc.format),),
    "CO": (_Kind(co_nit.validate, co_nit.format),),
    "CR": (
        _Kind(cr_cpj.validate, cr_cpj.format),
        _Kind(cr_cpf.validate, cr_cpf.format),
        _Kind(cr_cr.validate, cr_cr.format),
    ),
    "DE": (_Kind(de_vat.validate), _Kind(de_stnr.validate, de_stnr.format)),
    "DO": (_Kind(do_rnc.validate, do_rnc.format), _Kind(do_cedula.validate, do_cedula.format)),
    "EC": (_Kind(ec_ruc.validate), _Kind(ec_ci.validate)),
    "ES": (_Kind(es_nif.validate),),
    "FR": (
        _Kind(fr_siren.validate, fr_siren.format),
        _Kind(fr_siret.validate, fr_siret.format),
        _Kind(fr_tva.validate),
    ),
    "GB": (_Kind(gb_vat.validate, gb_vat.format), _Kind(gb_utr.validate)),
    "GT": (_Kind(gt_nit.validate, gt_nit.format),),
    "IT": (_Kind(it_iva.validate), _Kind(it_codicefiscale.validate)),
    "MX": (_Kind(mx_rfc.validate, mx_rfc.format),),
    "NL": (_Kind(nl_btw.validate),),
    "PE": (_Kind(pe_ruc.validate), _Kind(pe_cui.validate)),
    "PT": (_Kind(pt_nif.validate),),
    "PY": (_Kind(py_ruc.validate, py_ruc.format),),
    "SV": (_Kind(sv_nit.validate, sv_nit.format),),
    # Not stdnum's us.tin: its format() guesses SSN for any nine digits, EIN 04-2103594 included.
    "US": (
        _Kind(us_ein.validate, us_ein.format),
        _Kind(us_itin.validate, us_itin.format),
        _Kind(us_ssn.validate, us_ssn.format),
    ),
    "UY": (_Kind(uy_rut.validate, uy_rut.format),),
    "VE": (_Kind(ve_rif.validate, _ve_rif_format),),
}

_FALLBACK = re.compile(r"[A-Z0-9.\-]{3,30}")


def _ecuador_company_warning(number: str) -> TaxIdResult | None:
    # SRI: company RUCs (third digit 6 public, 9 private) are not generated with a check digit,
    # so a failed mod-11 there is no proof of a typo (python-stdnum issues #290, #457, #497;
    # koblas/stdnum-js PR #168). Everything else about the number must still be right.
    try:
        ec_ruc.validate(number)
    except InvalidChecksum:
        compact = ec_ruc.compact(number)
        if len(compact) == 13 and compact[2] in "69":
            warning = _(
                "This company RUC fails the SRI check digit, which the SRI does not guarantee "
                "for companies. Confirm the number with the SRI."
            )
            return TaxIdResult(compact, "", str(warning))
    except StdnumError:
        pass
    return None


def _validate_stdnum(country: str, number: str, kinds: tuple[_Kind, ...]) -> TaxIdResult:
    printed_forms: list[str] = []
    for kind in kinds:
        try:
            compact = kind.validate(number)
        except StdnumError:
            continue
        printed = kind.format(compact) if kind.format is not None else compact
        printed_forms.append(printed.upper())
    if printed_forms:
        # The same digits can be valid as two kinds (an EIN and an SSN): the spelling typed
        # tells which one was meant, otherwise the company kind listed first wins.
        typed = number.strip().upper()
        return TaxIdResult(next((p for p in printed_forms if p == typed), printed_forms[0]), "")
    if country == "EC":
        result = _ecuador_company_warning(number)
        if result is not None:
            return result
    raise ValidationError(
        {"tax_id": ValidationError(_("Enter a valid tax id for this country."), code="invalid")}
    )


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
    return TaxIdResult(compact, "")


def validate_tax_id(country: str, number: str, dv: str = "") -> TaxIdResult:
    """Validate and normalize a tax id of the given country (ISO 3166-1 alpha-2, any case).

    Panama: dv may be blank (computed) or two digits that must match, else
    ValidationError({"tax_dv": ...}) with code "dv_mismatch" ("dv_format" when it is not digits).
    Errors about the number itself are ValidationError({"tax_id": ...}) with code "invalid".
    Elsewhere dv is ignored and returned as "".
    """
    code = str(country or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise ValidationError(
            {"country": ValidationError(_("Enter a valid country code."), code="invalid")}
        )
    text = str(number or "").strip()
    if code == "PA":
        return _validate_panama(text, dv)
    kinds = _STDNUM_KINDS.get(code)
    if kinds is not None:
        return _validate_stdnum(code, text, kinds)
    return _validate_fallback(text)


def search_key(number: str) -> str:
    """Tax id reduced to upper-case letters and digits only, for accent/separator-insensitive
    search: '155596713-2-2015' -> '15559671322015'; 'e-8-12345' -> 'E812345'.
    """
    folded = unicodedata.normalize("NFKD", str(number)).upper()
    return "".join(char for char in folded if char.isascii() and char.isalnum())
