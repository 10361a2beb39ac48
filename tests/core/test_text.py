import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.text import clean_name, fold, search_terms


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Viện kiểm sát", "viện kiểm sát"),
        ("vien kiem sat", "vien kiem sat"),
    ],
)
def test_fold_is_lower_case(typed, stored):
    assert fold(typed) == fold(stored)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("vien kiem sat", "Viện kiểm sát nhân dân Thành phố"),
        ("dang uy khoi", "Đảng ủy Khối các Cơ quan và Doanh nghiệp tỉnh"),
        ("hoa", "Hoà"),
        ("hoa", "Hòa"),
        ("uy ban", "Uỷ ban"),
        ("uy ban", "Ủy ban"),
        ("so gd&dt", "Sở GD&ĐT"),
        ("cum thi dua so 7", "Cụm thi đua số 7"),
    ],
)
def test_unaccented_query_finds_the_accented_name(query, name):
    key = fold(name)
    assert all(term in key for term in search_terms(query))


def test_old_and_new_tone_placement_fold_alike():
    assert fold("Hoà Bình") == fold("Hòa Bình")
    assert fold("Thuỷ") == fold("Thủy")


def test_decomposed_input_is_stored_composed():
    decomposed = unicodedata.normalize("NFD", "Tòa án nhân dân")
    assert clean_name(decomposed) == "Tòa án nhân dân"
    assert unicodedata.is_normalized("NFC", clean_name(decomposed))


def test_clean_name_collapses_spaces():
    assert clean_name("  Sở   Y  tế \n") == "Sở Y tế"
    assert clean_name(None) == ""


@given(st.text())
def test_fold_is_idempotent_and_ascii_for_vietnamese_letters(text):
    assert fold(fold(text)) == fold(text)


@given(
    st.text(
        alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ "
    )
)
def test_fold_of_vietnamese_text_is_plain_ascii(text):
    assert fold(text).isascii()
    assert fold(text) == fold(unicodedata.normalize("NFD", text))
