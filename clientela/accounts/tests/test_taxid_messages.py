"""The Spanish a user reads when a tax id is wrong: one message per failure kind, naming the
document and the part that is wrong (issue 15)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from clientela.accounts.taxid import validate_tax_id


def spanish_error(country: str, number: str, dv: str = "", person_kind: str | None = None):
    with translation.override("es"), pytest.raises(ValidationError) as exc:
        validate_tax_id(country, number, dv, person_kind=person_kind)
    with translation.override("es"):
        return {field: [str(m) for m in errors] for field, errors in exc.value.message_dict.items()}


MESSAGES = [
    (
        "CO",
        "899.999.068-2",
        "legal",
        "El dígito verificador del NIT no corresponde (debería ser 1).",
    ),
    (
        "CO",
        "899999068",
        "legal",
        "Falta el dígito verificador del NIT: agréguelo después de un guion (sería 1).",
    ),
    ("CO", "12345", "natural", "La cédula de ciudadanía debe tener entre 6 y 10 dígitos."),
    ("CL", "1234-5", None, "El RUT debe tener entre 7 y 8 dígitos más el dígito verificador."),
    ("CL", "12531909-3", None, "El dígito verificador del RUT no corresponde (debería ser 2)."),
    ("SV", "00016297-4", None, "El dígito verificador del DUI no corresponde (debería ser 5)."),
    (
        "MX",
        "GODE561231GR9",
        "natural",
        "El dígito verificador del RFC no corresponde (debería ser 8).",
    ),
    (
        "MX",
        "GODE561331GR8",
        None,
        "Revise la fecha o la homoclave del RFC: esa parte no es válida.",
    ),
    (
        "AR",
        "40-54668997-9",
        "legal",
        "Revise el prefijo (30, 33 o 34 para una empresa) de la CUIT: esa parte no es válida.",
    ),
    (
        "GT",
        "1587564440904",
        "legal",
        "Este número es el CUI del DPI de una persona natural; "
        "ingrese el NIT de la persona jurídica.",
    ),
    (
        "BR",
        "33.000.167/0001-01",
        "natural",
        "Este número es el CNPJ de una persona jurídica; ingrese el CPF de la persona natural.",
    ),
    (
        "CO",
        "ABC",
        "natural",
        "La cédula de ciudadanía no tiene el formato correcto (por ejemplo: 1.020.304.050).",
    ),
]


@pytest.mark.parametrize(("country", "number", "kind", "message"), MESSAGES)
def test_error_names_the_document_and_what_is_wrong(country, number, kind, message):
    assert spanish_error(country, number, person_kind=kind) == {"tax_id": [message]}


def test_panama_dv_error_says_which_dv_is_expected():
    assert spanish_error("PA", "155596713-2-2015", "58") == {
        "tax_dv": ["El DV del RUC debería ser 59. Revise ambos números."]
    }
    assert spanish_error("PA", "8-NT-1-13656", "11") == {
        "tax_dv": ["El DV del NT debería ser 02 o 43. Revise ambos números."]
    }


def test_panama_company_ruc_for_a_person_says_what_to_enter():
    assert spanish_error("PA", "155596713-2-2015", person_kind="natural") == {
        "tax_id": [
            "Este número es el RUC de una persona jurídica; ingrese la cédula o el NT de la "
            "persona natural."
        ]
    }


def test_english_messages_name_the_document_too():
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        validate_tax_id("CO", "899.999.068-2", person_kind="legal")
    with translation.override("en"):
        assert exc.value.message_dict == {
            "tax_id": ["The check digit of the NIT does not match (it should be 1)."]
        }
