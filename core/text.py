"""Vietnamese text: how names are stored and how they are searched. Pure, no Django."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean_name(value: str | None) -> str:
    """NFC-normalise and collapse whitespace: names are shown exactly as entered, composed."""
    if not value:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def fold(value: str | None) -> str:
    """A search key: lower case, no tone marks or diacritics, đ → d.

    Old and new tone placement ("Hoà"/"Hòa", "Uỷ"/"Ủy") fold to the same key because every
    combining mark is dropped.
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFD", value.lower()).replace("đ", "d").replace("Đ", "d")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = re.sub(r"[^\w]+", " ", text)
    return _SPACES.sub(" ", text).strip()


def search_terms(query: str | None) -> list[str]:
    """The folded words of a search box; every word must match."""
    return [word for word in fold(query).split(" ") if word]
