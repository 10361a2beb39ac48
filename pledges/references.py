"""Document numbers and symbols (số, ký hiệu) as offices write them. Pure: no Django.

Offices write "972/KH-CTĐ7", "580/QĐ-CTĐ 7", "01/2023/QĐ-UBND", Party bodies "108-QĐ/VPTU":
a number first, then a symbol after a slash. The check is loose on purpose: the text is kept as
typed (composed, single spaces), a leading "Số:" is dropped, and only what cannot be a
reference is refused.
"""

import re
import unicodedata
from enum import StrEnum

_SPACES = re.compile(r"\s+")
_LEADING_SO = re.compile(r"^s[ốo]\s*:?\s*", re.IGNORECASE)
# A number (digits, perhaps followed by "-QĐ" as Party bodies write), a slash, a symbol of
# letters, digits, hyphens, dots, ampersands, slashes and single spaces.
_REFERENCE = re.compile(r"^\d+[\w.\-]*\s*/\s*[\w][\w.\-&/ ]*$")
MAX_LENGTH = 80


class Problem(StrEnum):
    EMPTY = "empty"
    NO_NUMBER = "no_number"
    NO_SYMBOL = "no_symbol"
    BAD_CHARACTERS = "bad_characters"
    TOO_LONG = "too_long"


def clean_reference(text: str | None) -> str:
    """NFC, single spaces, without a leading "Số:" / "số" ("Số: 972/KH-CTĐ7" → "972/KH-CTĐ7")."""
    value = _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()
    stripped = _LEADING_SO.sub("", value, count=1)
    # Only drop "Số" when what follows starts with the number.
    return stripped if stripped[:1].isdigit() else value


def reference_problem(text: str) -> Problem | None:
    """None when ``text`` (already cleaned) can be a document's number and symbol."""
    if not text:
        return Problem.EMPTY
    if len(text) > MAX_LENGTH:
        return Problem.TOO_LONG
    if not text[:1].isdigit():
        return Problem.NO_NUMBER
    if "/" not in text or not text.split("/", 1)[1].strip():
        return Problem.NO_SYMBOL
    if not _REFERENCE.match(text):
        return Problem.BAD_CHARACTERS
    return None


# The kind of a document, read off its symbol ("972/KH-CTĐ7" is a Kế hoạch), for "Căn cứ" lines.
_TYPE_WORDS = {
    "KH": "Kế hoạch",
    "QĐ": "Quyết định",
    "QC": "Quy chế",
    "CV": "Công văn",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CT": "Chỉ thị",
    "NQ": "Nghị quyết",
    "BC": "Báo cáo",
    "TTr": "Tờ trình",
}


def type_word(reference: str, default: str) -> str:
    """ "Kế hoạch" for "972/KH-CTĐ7", "Quyết định" for "580/QĐ-CTĐ 7" or "108-QĐ/VPTU"."""
    for part in re.split(r"[/\-\s]+", reference or ""):
        if part in _TYPE_WORDS:
            return _TYPE_WORDS[part]
    return default


def short_date(value) -> str:
    """ "04/4/2023", "05/02/2024": days below 10 and months 1 and 2 take a leading zero."""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{value.day:02d}/{month}/{value.year}"
