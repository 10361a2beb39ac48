"""The fixed wording of Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP). Pure, no Django.

Everything here is the same for every document the app prints: the national header (Quốc hiệu
and Tiêu ngữ), the place-and-date line, the "Số:" line, the signer's "TM." / "KT." prefixes. The
caller passes the date; nothing here reads the clock.
"""

import datetime as dt
import unicodedata
from dataclasses import dataclass

# Quốc hiệu and Tiêu ngữ, exactly as Phụ lục I of Nghị định 30/2020/NĐ-CP writes them (the hyphens
# are plain hyphens with a space either side).
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"

# "Thay mặt" (on behalf of a collective body) and "Ký thay" (a deputy signing for the head).
ON_BEHALF = "TM."
SIGNED_FOR = "KT."
SIGNER_PREFIXES = (ON_BEHALF, SIGNED_FOR)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _day(value: int) -> str:
    """Days below 10 take a leading zero: "04"."""
    return f"{value:02d}"


def _month(value: int) -> str:
    """Months 1 and 2 take a leading zero ("02"); the others do not ("4", "12").

    The zero keeps "tháng 01"/"tháng 02" from being altered by hand into "tháng 11"/"tháng 12".
    """
    return f"{value:02d}" if value < 3 else str(value)


def date_words(value: dt.date) -> str:
    """ "ngày 04 tháng 4 năm 2023" (lower case, as it follows the place name)."""
    return f"ngày {_day(value.day)} tháng {_month(value.month)} năm {value.year}"


_PROVINCE_WORDS = ("Tỉnh ", "tỉnh ", "Thành phố ", "thành phố ")
# Cities named after a person keep "Thành phố" in their địa danh.
_KEEP_FULL_NAME = {"Hồ Chí Minh"}


def place_name(authority_name: str) -> str:
    """The địa danh of a province-level body's documents (ND 30, Phụ lục I, I.6.a).

    The proper name of the province or city, without "Tỉnh" / "Thành phố" ("Tỉnh Nghệ An" →
    "Nghệ An", "Thành phố Hà Nội" → "Hà Nội"), except for a city named after a person, which keeps
    its full name ("Thành phố Hồ Chí Minh"). Anything else is kept as stored.
    """
    name = _nfc(authority_name or "").strip()
    for word in _PROVINCE_WORDS:
        if name.startswith(word):
            rest = name.removeprefix(word).strip()
            if rest[:1].isalpha() and rest not in _KEEP_FULL_NAME:
                return rest
            break
    return name


def place_date_line(place: str, value: dt.date) -> str:
    """ "Thành phố Hồ Chí Minh, ngày 16 tháng 12 năm 2022"; without a place, the date alone."""
    place = _nfc(place or "").strip()
    words = date_words(value)
    return _nfc(f"{place}, {words}") if place else words


def reference_line(number: str | int | None, symbol: str = "") -> str:
    """ "Số: 12/TTr-KTĐ8"; before the register gives a number, the number is left blank to fill in."""
    number_text = str(number).strip() if number not in (None, "") else ""
    symbol = _nfc(symbol or "").strip()
    if number_text and symbol:
        body = f"{number_text}/{symbol}"
    elif symbol:
        # Unnumbered draft: room for the number, as offices leave it before registering.
        body = f"      /{symbol}"
    else:
        body = number_text
    return _nfc(f"Số: {body}".rstrip())


def upper(text: str) -> str:
    """Upper case for header and signer lines, composed (NFC) whatever the input."""
    return _nfc(_nfc(text or "").upper())


@dataclass(frozen=True)
class Signer:
    """The signer block: "TM. KHỐI THI ĐUA VIII" / "KHỐI TRƯỞNG" / (signature) / name."""

    title: str
    prefix: str = ""  # ON_BEHALF, SIGNED_FOR or ""
    on_behalf_of: str = ""  # the body after "TM." / the head after "KT."
    name: str = ""

    def __post_init__(self):
        if self.prefix and self.prefix not in SIGNER_PREFIXES:
            raise ValueError(f"Signer prefix must be one of {SIGNER_PREFIXES}, not {self.prefix!r}")
        if self.prefix and not self.on_behalf_of:
            raise ValueError("A TM. / KT. signer needs the body or head signed for")

    @property
    def lines(self) -> list[str]:
        """The upper-case bold lines above the signature space."""
        lines = []
        if self.prefix:
            lines.append(f"{self.prefix} {upper(self.on_behalf_of)}")
        lines.append(upper(self.title))
        return [line for line in lines if line.strip()]
