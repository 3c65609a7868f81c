"""Which column of a file feeds which field (issue 13): headers matched from Spanish or
English, with or without accents, case and punctuation, and the names other CRMs and
accounting programs export. The user sees the mapping and may change or ignore any
column.

Each importable field lists its aliases here; the field's own label in Spanish and in
English (its verbose_name, what our export writes) is always an alias too, so an
exported file maps back without help.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Model
from django.utils import translation

from clientela.core.search import normalize_text

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def header_key(text: str) -> str:
    """'Razón Social:' -> 'razonsocial', 'E-mail' -> 'email', 'Nº RUC' -> 'nruc'."""
    return _NOT_ALNUM.sub("", normalize_text(str(text or "")))


@dataclass(frozen=True)
class FieldSpec:
    name: str
    aliases: tuple[str, ...]
    required: bool = False


# The accounts importer reads exactly the columns the accounts export writes (plus the
# aliases); `code` identifies an account already in Clientela.
ACCOUNT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("code", ("código", "codigo cliente", "code", "account code", "id cliente", "id")),
    FieldSpec("person_kind", ("tipo de persona", "persona", "tipo persona", "person type", "kind")),
    FieldSpec(
        "name",
        (
            "nombre",
            "razón social",
            "nombre o razón social",
            "nombre / razón social",
            "cliente",
            "empresa",
            "nombre de la empresa",
            "nombre del cliente",
            "nombre comercial",
            "name",
            "account name",
            "company",
            "company name",
            "customer",
            "customer name",
            "display name",
            "organization",
            "organization name",
        ),
        required=True,
    ),
    FieldSpec(
        "tax_id",
        (
            "ruc",
            "cédula",
            "cédula / ruc",
            "cédula o ruc",
            "cedula ruc",
            "nit",
            "rfc",
            "rut",
            "cuit",
            "cuil",
            "ci",
            "dni",
            "nif",
            "nrc",
            "rtn",
            "identificación",
            "identificación fiscal",
            "número de identificación",
            "documento",
            "número de documento",
            "nº ruc",
            "no. ruc",
            "tax id",
            "tax number",
            "taxid",
            "vat",
            "vat number",
            "ein",
        ),
        required=True,
    ),
    FieldSpec("tax_dv", ("dv", "dígito verificador", "digito de verificacion", "check digit")),
    FieldSpec(
        "contact_name",
        (
            "persona de contacto",
            "contacto",
            "contacto principal",
            "nombre de contacto",
            "contact",
            "contact name",
            "contact person",
            "primary contact",
        ),
    ),
    FieldSpec(
        "email",
        (
            "correo",
            "correo electrónico",
            "email",
            "e-mail",
            "mail",
            "email address",
            "e-mail address",
            "correo de contacto",
        ),
        required=True,
    ),
    FieldSpec(
        "phone",
        (
            "teléfono",
            "telefono principal",
            "tel",
            "tel.",
            "fono",
            "phone",
            "phone number",
            "telephone",
            "work phone",
            "business phone",
            "office phone",
        ),
        required=True,
    ),
    FieldSpec(
        "phone_alt",
        ("teléfono alterno", "teléfono 2", "otro teléfono", "phone 2", "other phone", "fax"),
    ),
    FieldSpec("mobile", ("celular", "móvil", "movil", "whatsapp", "mobile", "cell", "cell phone")),
    FieldSpec("website", ("sitio web", "página web", "web", "url", "website", "web site")),
    FieldSpec(
        "address",
        ("dirección", "domicilio", "dirección fiscal", "address", "street", "billing address"),
    ),
    FieldSpec("city", ("ciudad", "localidad", "municipio", "distrito", "city", "town")),
    FieldSpec(
        "state",
        (
            "provincia",
            "estado",
            "departamento",
            "región",
            "provincia / estado",
            "state",
            "province",
            "region",
        ),
    ),
    FieldSpec("country", ("país", "pais", "country", "country code", "nación")),
    FieldSpec(
        "customer_type",
        (
            "tipo de cliente",
            "tipo cliente",
            "categoría",
            "categoría de cliente",
            "segmento",
            "customer type",
            "account type",
            "type",
            "category",
            "segment",
        ),
        required=True,
    ),
    FieldSpec("priority", ("prioridad", "priority")),
    FieldSpec(
        "economic_activity",
        (
            "actividad económica",
            "actividad",
            "ciiu",
            "código ciiu",
            "giro",
            "sector",
            "industria",
            "economic activity",
            "industry",
            "isic",
        ),
    ),
    FieldSpec("price_list", ("lista de precios", "lista precios", "tarifa", "price list")),
    FieldSpec(
        "taxable", ("aplica impuestos", "gravado", "impuestos", "itbms", "iva", "taxable", "tax")
    ),
    FieldSpec("status", ("estatus", "estado del cliente", "situación", "status")),
    FieldSpec(
        "salesperson",
        (
            "vendedor",
            "ejecutivo",
            "ejecutivo de ventas",
            "ejecutivo de cuenta",
            "asesor",
            "responsable",
            "salesperson",
            "sales rep",
            "account owner",
            "owner",
            "assigned to",
        ),
    ),
    FieldSpec(
        "payment_terms",
        ("condición de pago", "condiciones de pago", "forma de pago", "payment terms", "terms"),
    ),
    FieldSpec(
        "credit_days",
        ("días de crédito", "dias credito", "plazo", "plazo de crédito", "credit days"),
    ),
    FieldSpec(
        "credit_limit",
        ("límite de crédito", "limite credito", "cupo", "cupo de crédito", "credit limit"),
    ),
    FieldSpec(
        "ledger_account",
        ("cuenta contable", "cuenta", "cuenta por cobrar", "ledger account", "gl account"),
    ),
    FieldSpec("is_supplier", ("es proveedor", "proveedor", "is supplier", "supplier", "vendor")),
)

CONTACT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "first_name",
        ("nombre", "nombres", "primer nombre", "first name", "given name", "firstname"),
    ),
    FieldSpec(
        "last_name",
        (
            "apellido",
            "apellidos",
            "primer apellido",
            "last name",
            "surname",
            "family name",
            "lastname",
        ),
        required=True,
    ),
    FieldSpec(
        "full_name",
        ("nombre completo", "nombre y apellido", "contacto", "full name", "name", "display name"),
    ),
    FieldSpec(
        "job_title", ("cargo", "puesto", "posición", "título", "job title", "title", "position")
    ),
    FieldSpec(
        "email", ("correo", "correo electrónico", "email", "e-mail", "mail", "email address")
    ),
    FieldSpec(
        "phone",
        ("teléfono", "tel", "teléfono de oficina", "phone", "work phone", "business phone"),
    ),
    FieldSpec(
        "mobile", ("celular", "móvil", "movil", "whatsapp", "mobile", "cell", "mobile phone")
    ),
    FieldSpec(
        "notes", ("notas", "observaciones", "comentarios", "notes", "comments", "description")
    ),
    FieldSpec(
        "account",
        (
            "cuenta",
            "código de cuenta",
            "código de cliente",
            "cliente",
            "empresa",
            "account",
            "account code",
            "company",
            "account name",
        ),
    ),
    FieldSpec(
        "account_tax_id",
        (
            "ruc de la cuenta",
            "ruc",
            "ruc del cliente",
            "cédula / ruc",
            "nit",
            "rfc",
            "rut",
            "cuit",
            "tax id",
            "account tax id",
        ),
    ),
    FieldSpec("account_country", ("país de la cuenta", "país", "country", "account country")),
    FieldSpec(
        "is_primary",
        ("principal", "contacto principal", "es principal", "primary", "primary contact"),
    ),
)


def field_specs(kind: str) -> tuple[FieldSpec, ...]:
    return ACCOUNT_FIELDS if kind == "accounts" else CONTACT_FIELDS


def _labels(model: type[Model], name: str) -> list[str]:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return []
    labels = []
    for language in ("es", "en"):
        with translation.override(language):
            labels.append(str(getattr(field, "verbose_name", "")))
    return labels


def alias_table(kind: str, model: type[Model]) -> dict[str, str]:
    """header key -> field name. A field's own labels win over other fields' aliases
    (our export's headers always map back to their field)."""
    table: dict[str, str] = {}
    specs = field_specs(kind)
    for spec in specs:
        for alias in spec.aliases:
            table.setdefault(header_key(alias), spec.name)
    for spec in specs:
        for label in _labels(model, spec.name):
            if label:
                table[header_key(label)] = spec.name
    return table


def auto_mapping(headers: Sequence[str], table: dict[str, str]) -> dict[str, str]:
    """{"column index": field or ""} for a header row: each field fed by the first column
    that names it; other columns ignored."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        field = table.get(header_key(header), "")
        if field and field not in taken:
            taken.add(field)
            mapping[str(index)] = field
        else:
            mapping[str(index)] = ""
    return mapping


def find_header(
    rows: Iterable[tuple[int, list[str]]], table: dict[str, str], look: int = 30
) -> int | None:
    """Index (in `rows`) of the header row: among the first `look` rows, the one naming
    the most known fields (at least two); a title or a blank line above it is fine."""
    best, best_score = None, 1
    for position, (_line, cells) in enumerate(rows):
        if position >= look:
            break
        score = len({table[key] for key in map(header_key, cells) if key in table})
        if score > best_score:
            best, best_score = position, score
    return best
