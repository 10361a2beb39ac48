import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.admin_format import (
    NATIONAL_MOTTO,
    NATIONAL_NAME,
    ON_BEHALF,
    SIGNED_FOR,
    Signer,
    date_words,
    place_date_line,
    place_name,
    reference_line,
    upper,
)


@pytest.mark.parametrize(
    ("place", "date", "line"),
    [
        # DOMAIN §6's example.
        (
            "Thành phố Hồ Chí Minh",
            dt.date(2022, 12, 16),
            "Thành phố Hồ Chí Minh, ngày 16 tháng 12 năm 2022",
        ),
        # DESIGN §7.5: days below 10 and months 1 and 2 take a leading zero.
        ("Hà Nội", dt.date(2023, 4, 4), "Hà Nội, ngày 04 tháng 4 năm 2023"),
        ("Hà Nội", dt.date(2024, 2, 5), "Hà Nội, ngày 05 tháng 02 năm 2024"),
        ("Nghệ An", dt.date(2025, 1, 1), "Nghệ An, ngày 01 tháng 01 năm 2025"),
        ("Nghệ An", dt.date(2025, 1, 31), "Nghệ An, ngày 31 tháng 01 năm 2025"),
        ("Nghệ An", dt.date(2024, 2, 29), "Nghệ An, ngày 29 tháng 02 năm 2024"),
        ("Nghệ An", dt.date(2025, 3, 9), "Nghệ An, ngày 09 tháng 3 năm 2025"),
        ("Nghệ An", dt.date(2025, 3, 10), "Nghệ An, ngày 10 tháng 3 năm 2025"),
        ("Cần Thơ", dt.date(2025, 9, 30), "Cần Thơ, ngày 30 tháng 9 năm 2025"),
        ("Cần Thơ", dt.date(2025, 10, 1), "Cần Thơ, ngày 01 tháng 10 năm 2025"),
        ("Cần Thơ", dt.date(2025, 11, 5), "Cần Thơ, ngày 05 tháng 11 năm 2025"),
        ("Cần Thơ", dt.date(2025, 12, 31), "Cần Thơ, ngày 31 tháng 12 năm 2025"),
        # No place: the date alone.
        ("", dt.date(2023, 4, 4), "ngày 04 tháng 4 năm 2023"),
    ],
)
def test_place_date_line(place, date, line):
    assert place_date_line(place, date) == line


@pytest.mark.parametrize(
    ("month", "shown"),
    [(1, "01"), (2, "02"), (3, "3"), (4, "4"), (9, "9"), (10, "10"), (11, "11"), (12, "12")],
)
def test_only_months_1_and_2_take_a_leading_zero(month, shown):
    assert date_words(dt.date(2024, month, 15)) == f"ngày 15 tháng {shown} năm 2024"


@pytest.mark.parametrize(
    ("day", "shown"), [(1, "01"), (5, "05"), (9, "09"), (10, "10"), (21, "21"), (31, "31")]
)
def test_days_below_10_take_a_leading_zero(day, shown):
    assert date_words(dt.date(2024, 12, day)) == f"ngày {shown} tháng 12 năm 2024"


@given(st.dates(min_value=dt.date(1945, 9, 2), max_value=dt.date(2100, 12, 31)))
def test_date_words_round_trip(value):
    words = date_words(value).split(" ")
    assert words[0::2] == ["ngày", "tháng", "năm"]
    day, month, year = words[1], words[3], words[5]
    assert len(day) == 2 and (int(day), int(month), int(year)) == (
        value.day,
        value.month,
        value.year,
    )
    assert len(month) == (2 if value.month < 3 or value.month >= 10 else 1)


def test_a_decomposed_place_comes_out_composed():
    decomposed = unicodedata.normalize("NFD", "Thành phố Hồ Chí Minh")
    line = place_date_line(decomposed, dt.date(2022, 12, 16))
    assert line == "Thành phố Hồ Chí Minh, ngày 16 tháng 12 năm 2022"
    assert unicodedata.is_normalized("NFC", line)


@pytest.mark.parametrize(
    ("authority", "place"),
    [
        ("Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh"),  # named after a person: kept whole
        ("Thành phố Hà Nội", "Hà Nội"),
        ("Thành phố Cần Thơ", "Cần Thơ"),
        ("Tỉnh Nghệ An", "Nghệ An"),
        ("tỉnh Thanh Hóa", "Thanh Hóa"),
        ("Nghệ An", "Nghệ An"),
        ("Tỉnh (bài 001 không nêu tên)", "Tỉnh (bài 001 không nêu tên)"),  # not a name: as stored
        ("", ""),
    ],
)
def test_place_name(authority, place):
    assert place_name(authority) == place


@pytest.mark.parametrize(
    ("number", "symbol", "line"),
    [
        (12, "TTr-KTĐ8", "Số: 12/TTr-KTĐ8"),
        ("05", "BC-KTĐ", "Số: 05/BC-KTĐ"),
        (None, "TTr-KTĐ8", "Số:       /TTr-KTĐ8"),
        (7, "", "Số: 7"),
        (None, "", "Số:"),
    ],
)
def test_reference_line(number, symbol, line):
    assert reference_line(number, symbol) == line


def test_national_header_constants():
    assert NATIONAL_NAME == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert NATIONAL_MOTTO == "Độc lập - Tự do - Hạnh phúc"
    assert unicodedata.is_normalized("NFC", NATIONAL_NAME + NATIONAL_MOTTO)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Khối thi đua VIII", "KHỐI THI ĐUA VIII"),
        ("đảng ủy khối", "ĐẢNG ỦY KHỐI"),
        ("Cụm trưởng", "CỤM TRƯỞNG"),
        (unicodedata.normalize("NFD", "Tòa án nhân dân"), "TÒA ÁN NHÂN DÂN"),
    ],
)
def test_upper_is_composed(text, shown):
    assert upper(text) == shown
    assert unicodedata.is_normalized("NFC", upper(text))


@pytest.mark.parametrize(
    ("signer", "lines"),
    [
        (
            Signer(prefix=ON_BEHALF, on_behalf_of="Khối thi đua VIII", title="Khối trưởng"),
            ["TM. KHỐI THI ĐUA VIII", "KHỐI TRƯỞNG"],
        ),
        (
            Signer(prefix=SIGNED_FOR, on_behalf_of="Giám đốc", title="Phó Giám đốc"),
            ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
        ),
        (Signer(title="Viện trưởng", name="Nguyễn Văn A"), ["VIỆN TRƯỞNG"]),
    ],
)
def test_signer_lines(signer, lines):
    assert signer.lines == lines


@pytest.mark.parametrize(
    "kwargs",
    [
        {"prefix": "Q.", "on_behalf_of": "Giám đốc", "title": "Phó Giám đốc"},
        {"prefix": ON_BEHALF, "title": "Khối trưởng"},
    ],
)
def test_signer_refuses_an_unknown_prefix_or_a_missing_body(kwargs):
    with pytest.raises(ValueError):
        Signer(**kwargs)
