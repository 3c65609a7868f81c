from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clientela.core.forms import ServiceForm

from . import filetypes
from .models import Document
from .services import EDITABLE_FIELDS
from .uploads import MAX_FILES_PER_UPLOAD


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); the service checks each."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(
                _("Upload at most %(count)s files at a time."),
                code="too_many",
                params={"count": MAX_FILES_PER_UPLOAD},
            )
        return list(files)


class DocumentUploadForm(forms.Form):
    """The Documentos panel's form: files (field `files`, several allowed), a category and
    a description applied to all of them (SPEC §11)."""

    # SPEC §11 names the input `files`; the metaclass moves the field out of the class, so
    # it does not hide BaseForm.files at runtime.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Files"),
        error_messages={"required": _("Choose at least one file.")},
        widget=MultipleFileInput(attrs={"accept": filetypes.ACCEPT}),
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=Document.Category.choices, initial=Document.Category.OTHER
    )
    description = forms.CharField(label=_("Description"), max_length=500, required=False)

    def __init__(self, *args: Any, oversized: list[str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_document_%s")
        super().__init__(*args, **kwargs)
        if oversized:
            # Files were sent but refused for their size while they streamed in: the
            # page names them; "choose a file" would be wrong.
            self.fields["files"].required = False
        for field in self.fields.values():
            if field.required:
                field.widget.attrs["aria-required"] = "true"


class DocumentForm(ServiceForm):
    """Category and description of an uploaded document; the file itself never changes."""

    class Meta:
        model = Document
        fields = EDITABLE_FIELDS
        widgets = {"description": forms.TextInput(attrs={"maxlength": 500})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.attrs["aria-required"] = "true"
