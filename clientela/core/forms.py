"""Forms that feed services, and the one helper that runs a form's save (STYLE §13).

A `ServiceForm` reads what the user typed: its fields come from the model (labels,
widgets, choices, lengths) but it applies no model rule and never touches a model
instance: the rules are the service's, checked once, for the form, the API and the
importer alike. `submit` runs the service for a valid form and puts whatever the
service refuses back on the form, beside the field it concerns:

    form = ContactForm(request.POST or None, instance=contact, user=user)
    sub = submit(request, form, lambda data, version: services.contact_update(
        user=user, contact=contact, data=data, version=version), version=contact.version)
    if sub.saved:
        return redirect(sub.saved.record)
    return render(request, "contacts/contact_form.html", {**ctx, **sub.context()},
                  status=sub.status)
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.forms import DeclarativeFieldsMetaclass
from django.forms.models import fields_for_model, model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .exceptions import DuplicateError, StaleVersionError
from .text import MULTILINE_FIELDS, validate_single_line
from .writes import Saved

M = TypeVar("M", bound=Model)


class _ServiceFormMetaclass(DeclarativeFieldsMetaclass):
    """Builds the fields named in `Meta.fields` from the model, as ModelForm does; fields
    declared on the class take precedence."""

    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        new_class: Any = super().__new__(mcs, name, bases, attrs)
        meta = attrs.get("Meta")
        if meta is not None:
            declared = new_class.declared_fields
            generated = fields_for_model(
                meta.model,
                fields=[f for f in meta.fields if f not in declared],
                widgets=getattr(meta, "widgets", None),
                labels=getattr(meta, "labels", None),
                help_texts=getattr(meta, "help_texts", None),
            )
            fields = {f: declared.get(f) or generated[f] for f in meta.fields}
            new_class.base_fields = {**fields, **declared}
            new_class.model = meta.model
            new_class.model_fields = tuple(meta.fields)
        return new_class


def _normalize_text(name: str, field: forms.Field) -> None:
    """The text rules every form and API schema share (clientela.core.text): text is
    stripped before its rules run, and single-line fields refuse line breaks, control
    characters and bidi overrides. `field` is the form's own copy."""
    if not isinstance(field, forms.CharField):
        return
    field.strip = True
    multiline = isinstance(field.widget, forms.Textarea) or name in MULTILINE_FIELDS
    if not multiline and validate_single_line not in field.validators:
        field.validators.append(validate_single_line)


def _values(instance: Model, names: tuple[str, ...]) -> dict[str, Any]:
    """A record's values for the form: related records as objects (already loaded with
    the record), so showing them costs no query."""
    values = model_to_dict(instance, fields=[n for n in names if not _is_relation(instance, n)])
    for name in names:
        if _is_relation(instance, name):
            values[name] = getattr(instance, name)
    return values


def _is_relation(instance: Model, name: str) -> bool:
    return bool(instance._meta.get_field(name).many_to_one)


EMPTY_DASHES = "---------"


def _label_empty_choices(form: forms.BaseForm) -> None:
    """An empty select says "Seleccione…", not Django's "---------"."""
    label = _("Select…")
    for form_field in form.fields.values():
        if isinstance(form_field, forms.ModelChoiceField):
            if form_field.empty_label == EMPTY_DASHES:
                form_field.empty_label = label
        elif isinstance(form_field, forms.ChoiceField):
            choices: list[Any] = list(form_field.choices)  # type: ignore[arg-type]
            if any(value == "" and text == EMPTY_DASHES for value, text in choices):
                form_field.choices = [
                    (value, label if value == "" and text == EMPTY_DASHES else text)
                    for value, text in choices
                ]


class ServiceForm(forms.Form, metaclass=_ServiceFormMetaclass):
    """A form whose cleaned data goes to a service. `instance` (an existing record)
    gives the initial values; it is never modified."""

    model: type[Model]
    model_fields: tuple[str, ...] = ()

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        instance: Model | None = None,
        initial: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.instance = instance
        values = _values(instance, self.model_fields) if instance is not None else {}
        super().__init__(data, files, initial={**values, **(initial or {})}, **kwargs)
        _label_empty_choices(self)

    def full_clean(self) -> None:
        # Here, not in __init__: subclasses may replace fields after it.
        for name, form_field in self.fields.items():
            _normalize_text(name, form_field)
        super().full_clean()
        if self.is_bound and hasattr(self, "cleaned_data"):
            self._check_model_rules()

    def _check_model_rules(self) -> None:
        """The model's own rules (its fields' validators and clean()) on what parsed, so
        one submit shows every error at once. They are the service's rules: it checks them
        again, with its own (uniqueness, the database's constraints), before saving. They
        run on a copy: the record the page shows keeps its saved values."""
        record = copy.copy(self.instance) if self.instance is not None else self.model()
        values = self.service_data()
        for name, value in values.items():
            setattr(record, name, value)
        # A field left blank that the form does not require is the service's to fill
        # (the salesperson defaults to the user): the model would call it missing.
        checked = {
            name
            for name, value in values.items()
            if name not in self.errors
            and not (value in (None, "") and name in self.fields and not self.fields[name].required)
        }
        exclude = [f.name for f in self.model._meta.fields if f.name not in checked]
        try:
            record.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            add_service_errors(self, exc)

    def service_data(self) -> dict[str, Any]:
        """What the service receives: the cleaned values of the model fields this form
        shows (a form may drop one, e.g. an account fixed once a case is opened)."""
        cleaned = self.cleaned_data
        return {name: cleaned[name] for name in self.model_fields if name in cleaned}


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError beside the form's fields (or on top)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


def posted_version(request: HttpRequest) -> int:
    """The record version the form was loaded with; a missing one never matches."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def stale_message(current: Any) -> str:
    return _(
        "%(user)s saved “%(record)s” after you opened it. Your changes were not saved: "
        "review them and save again to overwrite."
    ) % {"user": current.updated_by or _("Another user"), "record": current}


def _saved_meanwhile(form: Any, current: Model) -> list[tuple[str, str]]:
    """The values another user saved that differ from what this user typed, so they can
    decide field by field before saving again."""
    changes = []
    for name, typed in form.service_data().items():
        saved = getattr(current, name, None)
        if saved == typed or (saved in (None, "") and typed in (None, "")):
            continue
        display = getattr(current, f"get_{name}_display", None)
        if display is not None:
            text = str(display())
        elif isinstance(saved, bool):
            text = _("Yes") if saved else _("No")
        else:
            text = "" if saved is None else str(saved)
        changes.append((str(form.fields[name].label), text))
    return changes


@dataclass
class Submission(Generic[M]):
    """What became of a form: `saved` when the service saved it; otherwise the form
    carries the errors, and `version` is the one the page must send next (the current
    record's after a stale save, so that saving again is a deliberate overwrite)."""

    form: Any
    saved: Saved[M] | None = None
    version: int | None = None
    stale: Any = None
    stale_changes: list[tuple[str, str]] = field(default_factory=list)
    duplicate: Any = None

    @property
    def status(self) -> int:
        """422 for a refused save: htmx swaps it, and tests and clients can tell."""
        return 422 if self.form.is_bound and self.saved is None else 200

    def context(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "version": self.version,
            "stale": self.stale,
            "stale_changes": self.stale_changes,
            "duplicate": self.duplicate,
        }


def submit(
    request: HttpRequest,
    form: Any,
    save: Callable[..., Saved[M]],
    *,
    success: Callable[[M], str] | None = None,
) -> Submission[M]:
    """Run the service `save(data=...)` when the bound `form` is valid; for a form of an
    existing record (`form.instance`), `save(data=..., version=...)` with the version
    the page was loaded with. The service's refusals land on the form: someone else's
    newer save (StaleVersionError), a duplicate (with the existing record), any
    ValidationError beside its field. On success, `success(record)` and the service's
    warnings are flashed."""
    instance = getattr(form, "instance", None)
    sub: Submission[M] = Submission(form, version=getattr(instance, "version", None))
    if not form.is_bound:
        return sub
    if instance is not None:
        sub.version = posted_version(request)
    if not form.is_valid():
        return sub
    try:
        data = form.service_data()
        sub.saved = save(data=data) if instance is None else save(data=data, version=sub.version)
    except StaleVersionError as exc:
        sub.stale = exc.current
        sub.stale_changes = _saved_meanwhile(form, exc.current)
        sub.version = exc.current.version
        form.add_error(None, stale_message(exc.current))
    except DuplicateError as exc:
        sub.duplicate = exc.existing
        add_service_errors(form, exc)
    except ValidationError as exc:
        add_service_errors(form, exc)
    else:
        if success is not None:
            messages.success(request, success(sub.saved.record))
        for warning in sub.saved.warnings:
            messages.warning(request, warning)
    return sub


def form_page(
    request: HttpRequest,
    form: Any,
    save: Callable[..., Saved[M]],
    template: str,
    ctx: dict[str, Any],
    *,
    success: Callable[[M], str] | None = None,
) -> HttpResponse:
    """A create or edit page: the saved record's page after a save (303 for htmx too,
    which follows it), or the form again with why it was not saved (422)."""
    sub = submit(request, form, save, success=success)
    if sub.saved:
        return redirect(sub.saved.record)  # type: ignore[call-overload]
    return render(request, template, {**ctx, **sub.context()}, status=sub.status)
