"""/api/v1/contacts: the same services, selectors, form rules and vCard as the HTML views.

Writes are checked by the UI's own ContactForm before they reach the services, so the
API accepts and refuses exactly what the form and the profile's panel do: the account
picked by code among the accounts the user may see, e-mail lower-cased, phones read in
the account's country and stored as E.164, a primary contact only with an account.
"""

from enum import Enum
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, Query, Router, Status

from clientela.api.auth import api_user
from clientela.api.pagination import PageQuery, paginate
from clientela.api.schemas import (
    ERRORS,
    ConflictOut,
    InputSchema,
    Page,
    PhoneText,
    TrackedOut,
)
from clientela.api.versioning import patch_fields, set_etag, tagged
from clientela.core.access import require
from clientela.core.phones import storage_value
from clientela.users.models import User

from . import services
from .forms import ContactForm
from .models import LETTERS, OTHER_INITIAL, Contact
from .selectors import SORTS, ContactFilters, contact_get_for_user, contact_list
from .vcard import contact_vcard, vcard_filename

router = Router(tags=["contacts"])

ContactOrdering = Enum(  # type: ignore[misc]
    "ContactOrdering", {f"{p}{key}": f"{p}{key}" for key in SORTS for p in ("", "-")}, type=str
)
# The directory's A-Z bar: the Spanish alphabet (Ñ its own letter) and "#" for the rest.
ContactLetter = Enum(  # type: ignore[misc]
    "ContactLetter",
    {
        ("OTHER" if letter == OTHER_INITIAL else letter): letter
        for letter in (*LETTERS, OTHER_INITIAL)
    },
    type=str,
)


class ContactOut(TrackedOut):
    id: int = Field(..., examples=[42])
    first_name: str = Field(..., examples=["Begoña"])
    last_name: str = Field(..., examples=["Ñáñez"])
    display_name: str = Field(..., examples=["Begoña Ñáñez"])
    job_title: str = Field(..., examples=["Gerente de Compras"])
    email: str = Field(..., examples=["begona.nanez@pena.com.pa"])
    phone: PhoneText = Field(
        ..., examples=["+5072345678"], description='E.164 (";ext=NN" for an extension), or empty'
    )
    mobile: PhoneText = Field(
        ..., examples=["+50761234567"], description='E.164 (";ext=NN" for an extension), or empty'
    )
    notes: str
    account: str | None = Field(
        None, alias="account.code", examples=["C-000001"], description="Account code"
    )
    account_name: str | None = Field(
        None, alias="account.name", examples=["Distribuidora Peña, S.A."]
    )
    is_primary: bool = Field(..., description="The account's primary contact")


PHONE_HELP = (
    "Read in the account's country when typed without a country code (else in ours); "
    "stored as E.164"
)


class ContactIn(InputSchema):
    """The writable fields; id, version, the audit and derived columns are the system's."""

    first_name: str = Field("", max_length=100, examples=["Begoña"])
    last_name: str = Field(..., max_length=100, examples=["Ñáñez"])
    job_title: str = Field("", max_length=150, examples=["Gerente de Compras"])
    email: str = Field("", max_length=254, examples=["Begona.Nanez@pena.com.pa"])
    phone: str = Field("", max_length=40, examples=["223-4567"], description=PHONE_HELP)
    mobile: str = Field("", max_length=40, examples=["6123-4567"], description=PHONE_HELP)
    notes: str = ""
    account: str | None = Field(
        None, max_length=250, examples=["C-000001"], description="Account code; optional"
    )
    # Strict: a JSON true/false only, not 0/1 or "yes" (pydantic's lax mode reads those).
    is_primary: bool = Field(
        False,
        strict=True,
        description="The account's primary contact; the current one stops being primary",
    )


class ContactPatch(InputSchema):
    """Any subset of the writable fields, plus the version you read (or If-Match). A null
    clears a field (`account: null` leaves the contact without an account)."""

    version: int | None = Field(None, ge=1, examples=[1])
    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    job_title: str | None = Field(None, max_length=150)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40, description=PHONE_HELP)
    mobile: str | None = Field(None, max_length=40, description=PHONE_HELP)
    notes: str | None = None
    account: str | None = Field(None, max_length=250, description="Account code")
    is_primary: bool | None = Field(None, strict=True)


class ContactQuery(PageQuery):
    q: str = Field(
        "", max_length=200, description="Search name, e-mail, job title, phones and account"
    )
    account: str = Field(
        "",
        max_length=250,
        examples=["C-000001"],
        description="Account code (or words of its name, as the directory's filter)",
    )
    letter: ContactLetter | None = Field(
        None, description="The A-Z bar: initial of the last name; `N` includes `Ñ`; `#` others"
    )
    ordering: ContactOrdering | None = Field(None, description="A column, `-` for descending")


def _form_values(contact: Contact) -> dict[str, Any]:
    """A stored contact as the edit form would send it back unchanged."""
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "job_title": contact.job_title,
        "email": contact.email,
        "phone": storage_value(contact.phone),
        "mobile": storage_value(contact.mobile),
        "notes": contact.notes,
        "account": contact.account.code if contact.account else "",
        "is_primary": contact.is_primary,
    }


def _service_data(user: User, values: dict[str, Any], contact: Contact | None = None) -> Any:
    """The form's checks (account by code among the visible ones, phones in the account's
    country, the model's rules) on the API's values; errors → 422 naming the fields."""
    values = {field: "" if value is None else value for field, value in values.items()}
    values["is_primary"] = bool(values.get("is_primary"))
    form = ContactForm(values, instance=contact, user=user)
    if not form.is_valid():
        raise ValidationError(
            {
                field: [error["message"] for error in errors]
                for field, errors in form.errors.get_json_data().items()
            }
        )
    return form.service_data()


def _answer(user: User, contact: Contact, response: HttpResponse) -> Contact:
    """The saved contact as the user may read it now, with its ETag."""
    set_etag(response, contact.version)
    return contact_get_for_user(user, contact.pk)


@router.get("", response={200: Page[ContactOut], **ERRORS}, summary="List contacts")
def list_contacts(request: HttpRequest, filters: Query[ContactQuery]) -> Any:
    found = contact_list(
        user=api_user(request),
        filters=ContactFilters(
            q=filters.q,
            account=filters.account.strip(),
            letter=filters.letter.value if filters.letter else "",
            sort=filters.ordering.value if filters.ordering else "name",
        ),
    ).select_related("created_by", "updated_by")
    return paginate(found, filters.page, filters.page_size, user=api_user(request))


@router.post("", response={201: ContactOut, **ERRORS}, summary="Create a contact")
def create_contact(request: HttpRequest, payload: ContactIn, response: HttpResponse) -> Any:
    user = api_user(request)
    require(user, "add", Contact)
    saved = services.contact_create(user=user, data=_service_data(user, payload.model_dump()))
    return Status(201, _answer(user, saved.record, response))


@router.get("/{id}", response={200: ContactOut, **ERRORS}, summary="Read a contact")
def get_contact(request: HttpRequest, id: int, response: HttpResponse) -> Any:
    return tagged(response, contact_get_for_user(api_user(request), id))


@router.patch(
    "/{id}", response={200: ContactOut, 409: ConflictOut, **ERRORS}, summary="Change a contact"
)
def update_contact(
    request: HttpRequest, id: int, payload: ContactPatch, response: HttpResponse
) -> Any:
    user = api_user(request)
    contact = contact_get_for_user(user, id, action="change")
    fields, version = patch_fields(request, payload)
    data = _service_data(user, {**_form_values(contact), **fields}, contact)
    saved = services.contact_update(user=user, contact=contact, data=data, version=version)
    return _answer(user, saved.record, response)


@router.delete(
    "/{id}", response={204: None, 409: ConflictOut, **ERRORS}, summary="Delete a contact"
)
def delete_contact(request: HttpRequest, id: int) -> Any:
    user = api_user(request)
    services.contact_delete(user=user, contact=contact_get_for_user(user, id, action="delete"))
    return Status(204, None)


@router.get(
    "/{id}/vcard",
    response={200: None, **ERRORS},
    summary="Download a contact as a vCard",
    operation_id="downloadContactVcard",
    description=(
        "The contact as a vCard 3.0 (RFC 2426, UTF-8) attachment: the same card and the "
        "same permission check as the contact page's download (an export: not for viewers)."
    ),
    openapi_extra={
        "responses": {
            200: {
                "description": "The vCard",
                "content": {"text/vcard": {"schema": {"type": "string"}}},
            }
        }
    },
)
def download_vcard(request: HttpRequest, id: int) -> Any:
    contact = contact_get_for_user(api_user(request), id, action="export")
    response = HttpResponse(contact_vcard(contact), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = (
        content_disposition_header(True, vcard_filename(contact.display_name)) or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
