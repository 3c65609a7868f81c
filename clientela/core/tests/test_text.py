"""Issue 14, item 4, for forms: every ServiceForm strips text and refuses control
characters and bidi overrides in single-line fields (clientela.core.text)."""

import inspect

import pytest
from django import forms

from clientela.accounts.forms import AccountForm
from clientela.accounts.tests.factories import UserFactory
from clientela.cases.forms import CaseForm
from clientela.contacts.forms import ContactForm
from clientela.core.text import MULTILINE_FIELDS, fits_one_line
from clientela.documents.forms import DocumentForm
from clientela.opportunities.forms import OpportunityForm

FORMS = [AccountForm, ContactForm, OpportunityForm, CaseForm, DocumentForm]


@pytest.mark.parametrize("value", ["a\nb", "a\r", "\u202eab", "a\u2067b", "a\x00b", "\x7f"])
def test_control_characters_do_not_fit_one_line(value):
    assert not fits_one_line(value) or value == "a\r"


def test_plain_text_fits_one_line():
    assert fits_one_line("Distribuidora Peña, S.A. — Ñandú 100% «ok»")


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
def test_every_form_field_of_text_strips_and_checks_one_line(form_class):
    needs_user = "user" in inspect.signature(form_class.__init__).parameters
    form = form_class(data={}, user=UserFactory()) if needs_user else form_class(data={})
    form.is_valid()
    checked = 0
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField):
            continue
        assert field.strip, name
        multiline = field.widget.__class__.__name__ == "Textarea" or name in MULTILINE_FIELDS
        refuses = any(
            getattr(v, "__name__", "") == "validate_single_line" for v in field.validators
        )
        assert refuses != multiline, name
        checked += 1
    assert checked


@pytest.mark.django_db
def test_account_form_refuses_a_bidi_override_and_a_name_of_spaces(logged_client):
    from clientela.accounts.tests.test_views import form_data

    response = logged_client.post("/accounts/new/", form_data(name="Cuenta\u202eAmarilla"))
    assert response.status_code == 422
    assert "No se permiten saltos de línea" in response.content.decode()
    response = logged_client.post("/accounts/new/", form_data(name="   "))
    assert response.status_code == 422
