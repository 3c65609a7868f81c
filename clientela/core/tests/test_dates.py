"""Day-first date inputs (issue 15): a text input shown and read as dd/mm/aaaa in every region
and language, ISO accepted too; never the browser's own month-first date input."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import formats, translation

from clientela.core.dates import DayFirstDateField
from clientela.core.formats.regions import LANGUAGES, REGIONS


@pytest.fixture
def region(request):
    code = request.param
    with override_settings(FORMAT_MODULE_PATH=[f"clientela.core.formats.{code.lower()}"]):
        formats.reset_format_cache()
        yield code
    formats.reset_format_cache()


class DueForm(forms.Form):
    due = DayFirstDateField(required=False)


@pytest.mark.parametrize("region", sorted(REGIONS), indirect=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_date_is_shown_and_read_day_first_in_every_region_and_language(region, language):
    with translation.override(language):
        html = str(DueForm(initial={"due": datetime.date(2026, 3, 7)})["due"])
        assert 'type="text"' in html and 'value="07/03/2026"' in html
        placeholder = "dd/mm/aaaa" if language == "es" else "dd/mm/yyyy"
        assert f'placeholder="{placeholder}"' in html
        for typed in ("07/03/2026", "7/3/2026", "2026-03-07", "07/03/26"):
            form = DueForm({"due": typed})
            assert form.is_valid(), (typed, form.errors)
            assert form.cleaned_data["due"] == datetime.date(2026, 3, 7)


@pytest.mark.parametrize("typed", ["03/31/2026", "31-03-2026x", "mañana", "2026/31/03"])
def test_what_is_not_a_day_first_date_is_refused_saying_the_format(typed):
    with translation.override("es"), pytest.raises(ValidationError) as exc:
        DayFirstDateField().clean(typed)
    with translation.override("es"):
        assert exc.value.messages == [
            "Ingrese una fecha válida como dd/mm/aaaa (por ejemplo 31/12/2026)."
        ]


def test_the_calendar_button_has_an_accessible_name_in_the_active_language():
    with translation.override("es"):
        assert 'data-picker-label="Seleccionar una fecha"' in str(DueForm()["due"])
    with translation.override("en"):
        assert 'data-picker-label="Choose a date"' in str(DueForm()["due"])
