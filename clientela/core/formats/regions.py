"""Regional formats (SPEC §1, issue 15): one table, one format module per region and language.

Django picks number and date formats by language from FORMAT_MODULE_PATH; the installation's
CLIENTELA_REGION selects the package clientela.core.formats.<region>, whose es/ and en/ modules
hold nothing but `globals().update(module_constants(REGION, LANGUAGE))`. Everything about a
region is in REGIONS below:

* separators and the first day of the week are CLDR's (checked against babel's copy of it in
  the tests): Sunday first in most of Central America, Mexico, Colombia, Peru, Paraguay and
  Venezuela, Monday in the Southern Cone, Bolivia, Ecuador and Costa Rica;
* the rest comes from Django's own locale module where one fits the region (es_AR, es_CO,
  es_MX, es_NI, es_PR), else from the generic es;
* whatever Django's modules say, dates are written and typed day first, dd/mm/yyyy, in both
  languages, and ISO dates (what a native date input sends) are accepted too.

Django cannot switch these per request: django.utils.formats caches the modules and the values
per language for the whole process, so the region is the installation's, not the user's.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class Region:
    django_locale: str  # the django.conf.locale module the region is built on
    decimal_separator: str
    thousand_separator: str
    first_day_of_week: int  # Django's numbering: 0 Sunday, 1 Monday


_NBSP = "\xa0"

REGIONS: dict[str, Region] = {
    "PA": Region("es_PR", ".", ",", 0),
    "CO": Region("es_CO", ",", ".", 0),
    "MX": Region("es_MX", ".", ",", 0),
    "CR": Region("es", ",", _NBSP, 1),
    "GT": Region("es_PR", ".", ",", 0),
    "SV": Region("es_PR", ".", ",", 0),
    "HN": Region("es_PR", ".", ",", 0),
    "NI": Region("es_NI", ".", ",", 0),
    "DO": Region("es_PR", ".", ",", 0),
    "EC": Region("es", ",", ".", 1),
    "PE": Region("es_PR", ".", ",", 0),
    "CL": Region("es", ",", ".", 1),
    "AR": Region("es_AR", ",", ".", 1),
    "UY": Region("es", ",", ".", 1),
    "PY": Region("es_AR", ",", ".", 0),
    "BO": Region("es", ",", ".", 1),
    "VE": Region("es_AR", ",", ".", 0),
}
LANGUAGES = ("es", "en")

# Day first everywhere (SPEC §1); ISO as well, for native date inputs and pasted data.
_DATES = {
    "DATE_FORMAT": "d/m/Y",
    "SHORT_DATE_FORMAT": "d/m/Y",
    "DATETIME_FORMAT": "d/m/Y H:i",
    "SHORT_DATETIME_FORMAT": "d/m/Y H:i",
    "TIME_FORMAT": "H:i",
    "DATE_INPUT_FORMATS": ["%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"],
    "DATETIME_INPUT_FORMATS": [
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y",
        "%Y-%m-%d %H:%M:%S",
    ],
}
_WORDS = {
    "es": {"MONTH_DAY_FORMAT": "j \\d\\e F", "YEAR_MONTH_FORMAT": "F \\d\\e Y"},
    "en": {"MONTH_DAY_FORMAT": "F j", "YEAR_MONTH_FORMAT": "F Y"},
}


def module_constants(region: str, language: str) -> dict[str, Any]:
    """The constants of clientela.core.formats.<region>.<language>.formats."""
    spec = REGIONS[region]
    base = import_module(f"django.conf.locale.{spec.django_locale}.formats")
    constants = {name: getattr(base, name) for name in dir(base) if name.isupper()}
    constants.update(_DATES)
    constants.update(_WORDS[language])
    constants.update(
        DECIMAL_SEPARATOR=spec.decimal_separator,
        THOUSAND_SEPARATOR=spec.thousand_separator,
        NUMBER_GROUPING=3,
        FIRST_DAY_OF_WEEK=spec.first_day_of_week,
    )
    return constants
