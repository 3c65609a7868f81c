"""Spain, and the countries outside the region that customers of Latin American companies come
from most: their company and personal tax ids, validated by python-stdnum.

Spain: a person's NIF is the DNI (or the NIE of a foreigner); a company's, the former CIF.
Elsewhere the kinds are not told apart: every listed id is taken for either person kind.
"""

from __future__ import annotations

from types import ModuleType

from django.utils.translation import gettext_lazy as _
from stdnum.ca import bn as ca_bn
from stdnum.cn import uscc as cn_uscc
from stdnum.de import stnr as de_stnr
from stdnum.de import vat as de_vat
from stdnum.es import cif as es_cif
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret
from stdnum.fr import tva as fr_tva
from stdnum.gb import utr as gb_utr
from stdnum.gb import vat as gb_vat
from stdnum.it import codicefiscale as it_codicefiscale
from stdnum.it import iva as it_iva
from stdnum.nl import btw as nl_btw
from stdnum.pt import nif as pt_nif
from stdnum.us import ein as us_ein
from stdnum.us import itin as us_itin
from stdnum.us import ssn as us_ssn

from . import names
from .documents import ONLY_LEGAL, ONLY_NATURAL, Country, Document, phrase

_NINE_CHARACTERS = phrase(_("%(count)s characters"), {"count": 9})


def _tax_ids(*documents: Document) -> Country:
    return Country(documents, names.TAX_ID.short, names.TAX_ID.short, names.TAX_ID.short)


def _any(code: str, module: ModuleType, *, formatted: bool = True) -> Document:
    """A document of another country: stdnum's own checks and printed form, one generic name."""
    return Document(
        code, names.TAX_ID, module.validate, module.compact, module.format if formatted else None
    )


COUNTRIES: dict[str, Country] = {
    "ES": Country(
        (
            Document(
                "dni",
                names.NIF,
                es_dni.validate,
                es_dni.compact,
                check_digit=es_dni.calc_check_digit,
                length=_NINE_CHARACTERS,
                example="54362315K",
                persons=ONLY_NATURAL,
            ),
            Document(
                "nie",
                names.NIE,
                es_nie.validate,
                es_nie.compact,
                check_digit=es_nie.calc_check_digit,
                length=_NINE_CHARACTERS,
                example="X2482300W",
                persons=ONLY_NATURAL,
            ),
            Document(
                "cif",
                names.NIF,
                es_cif.validate,
                es_cif.compact,
                length=_NINE_CHARACTERS,
                example="B64717838",
                persons=ONLY_LEGAL,
            ),
        ),
        label=_("NIF"),
        label_natural=_("NIF"),
        label_legal=_("NIF"),
    ),
    "CA": _tax_ids(_any("bn", ca_bn, formatted=False)),
    "CN": _tax_ids(_any("uscc", cn_uscc)),
    "DE": _tax_ids(_any("vat", de_vat, formatted=False), _any("stnr", de_stnr)),
    "FR": _tax_ids(
        _any("siren", fr_siren), _any("siret", fr_siret), _any("tva", fr_tva, formatted=False)
    ),
    "GB": _tax_ids(_any("vat", gb_vat), _any("utr", gb_utr, formatted=False)),
    "IT": _tax_ids(
        _any("iva", it_iva, formatted=False), _any("cf", it_codicefiscale, formatted=False)
    ),
    "NL": _tax_ids(_any("btw", nl_btw, formatted=False)),
    "PT": _tax_ids(_any("nif", pt_nif, formatted=False)),
    # Not stdnum's us.tin: its format() guesses SSN for any nine digits, EIN 04-2103594 included.
    "US": _tax_ids(_any("ein", us_ein), _any("itin", us_itin), _any("ssn", us_ssn)),
}
