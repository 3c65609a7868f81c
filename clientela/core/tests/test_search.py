from hypothesis import given
from hypothesis import strategies as st

from clientela.core.search import build_search_text, normalize_text, search_words


def test_normalize_folds_accents_case_and_spaces():
    assert normalize_text("  Panamá   NÚÑEZ\tPeña ") == "panama nunez pena"


def test_build_search_text_skips_blanks():
    assert build_search_text(["Año", None, "", "C-000001"]) == "ano c-000001"


def test_search_words_are_capped():
    assert len(search_words(" ".join(["palabra"] * 50))) == 8


@given(st.text())
def test_normalize_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
