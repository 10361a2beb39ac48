"""The pure rules of the pledges app: targets met, signing status, document references."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pledges import references, signing, targets

D = Decimal


# Targets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparison", "target", "achieved", "met"),
    [
        ("ge", D("90"), D("90"), True),
        ("ge", D("90"), D("89.999"), False),
        ("ge", D("90"), D("100"), True),
        ("le", D("0"), D("0"), True),
        ("le", D("2"), D("2.001"), False),
        ("le", D("2"), D("1"), True),
        ("eq", D("100"), D("100.000"), True),
        ("eq", D("100"), D("99"), False),
        ("ge", D("90"), None, None),
        ("ge", None, D("90"), None),
    ],
)
def test_a_quantitative_target_is_met_by_comparing_decimals(comparison, target, achieved, met):
    assert (
        targets.is_met(
            kind=targets.QUANTITATIVE, comparison=comparison, target=target, achieved=achieved
        )
        is met
    )


@pytest.mark.parametrize("judged", [True, False, None])
def test_a_qualitative_target_is_met_as_the_person_judged_it(judged):
    assert targets.is_met(kind=targets.QUALITATIVE, achieved=D("1"), judged_met=judged) is judged


decimals = st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False)


@given(target=decimals, achieved=decimals)
def test_at_least_and_at_most_agree_and_meet_at_equality(target, achieved):
    ge = targets.is_met(kind="quantitative", comparison="ge", target=target, achieved=achieved)
    le = targets.is_met(kind="quantitative", comparison="le", target=target, achieved=achieved)
    eq = targets.is_met(kind="quantitative", comparison="eq", target=target, achieved=achieved)
    assert ge or le
    assert (ge and le) == eq


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("90"), "90"),
        (D("90.000"), "90"),
        (D("2.50"), "2,5"),
        (D("1500"), "1.500"),
        (D("1234567.25"), "1.234.567,25"),
        (D("0.125"), "0,125"),
        (D("-3"), "-3"),
        (D("1E+2"), "100"),
    ],
)
def test_numbers_are_written_the_vietnamese_way(value, text):
    assert targets.format_number(value) == text


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("90", D("90")),
        ("90,5", D("90.5")),
        ("2.5", D("2.5")),
        ("1.500", D("1500")),
        ("1.234.567,25", D("1234567.25")),
        ("1 500", D("1500")),
        ("0.125", D("0.125")),
        ("90 %", D("90")),
        ("", None),
        ("chín mươi", None),
        ("NaN", None),
        ("Infinity", None),
    ],
)
def test_typed_numbers_are_read_as_people_type_them(typed, value):
    assert targets.parse_number(typed) == value


@given(st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False))
def test_a_written_number_reads_back_to_the_same_value(value):
    assert targets.parse_number(targets.format_number(value)) == value


@pytest.mark.parametrize(
    ("comparison", "value", "measure", "text"),
    [
        ("ge", D("90"), "%", "≥ 90 %"),
        ("le", D("0"), "vụ", "≤ 0 vụ"),
        ("eq", D("100"), "%", "= 100 %"),
        ("ge", D("2.5"), "", "≥ 2,5"),
    ],
)
def test_a_level_is_written_with_its_sign_and_measure(comparison, value, measure, text):
    assert (
        targets.level_text(kind="quantitative", comparison=comparison, value=value, measure=measure)
        == text
    )
    assert targets.level_text(kind="qualitative", comparison="", value=None, measure="") == ""


def test_a_common_target_binds_every_unit_and_a_unit_target_only_its_unit():
    assert targets.applies_to(target_unit_id=None, unit_id=7)
    assert targets.applies_to(target_unit_id=7, unit_id=7)
    assert not targets.applies_to(target_unit_id=8, unit_id=7)


# Signing -----------------------------------------------------------------------------------------


def test_the_pledge_is_in_force_on_the_day_the_last_member_signed():
    status = signing.signing_status(
        members=[1, 2, 3],
        signed_on={1: dt.date(2021, 4, 14), 2: dt.date(2021, 4, 16), 3: dt.date(2021, 4, 15)},
    )
    assert status.in_force and status.in_force_on == dt.date(2021, 4, 16)
    assert status.missing == () and status.signed_count == 3


def test_one_missing_member_keeps_it_out_of_force_and_is_named():
    status = signing.signing_status(members=[1, 2, 3], signed_on={1: dt.date(2021, 4, 14)})
    assert not status.in_force and status.in_force_on is None
    assert status.missing == (2, 3) and status.signed_count == 1


def test_a_signature_of_a_unit_that_left_does_not_count():
    status = signing.signing_status(
        members=[1, 2], signed_on={1: dt.date(2021, 4, 14), 9: dt.date(2021, 4, 1)}
    )
    assert status.missing == (2,) and status.signed == {1}


def test_a_bloc_year_without_members_is_never_in_force():
    assert not signing.signing_status(members=[], signed_on={}).in_force


@given(
    members=st.lists(st.integers(1, 30), unique=True, max_size=12),
    signers=st.sets(st.integers(1, 40)),
)
def test_in_force_exactly_when_every_member_signed(members, signers):
    day = dt.date(2023, 3, 31)
    status = signing.signing_status(members=members, signed_on=dict.fromkeys(signers, day))
    assert status.in_force == (bool(members) and set(members) <= signers)
    assert set(status.missing) == set(members) - signers
    assert list(status.missing) == [m for m in members if m not in signers]


# References ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("972/KH-CTĐ7", "972/KH-CTĐ7"),
        ("580/QĐ-CTĐ 7", "580/QĐ-CTĐ 7"),
        ("  580/QĐ-CTĐ   7 ", "580/QĐ-CTĐ 7"),
        ("Số: 972/KH-CTĐ7", "972/KH-CTĐ7"),
        ("số 12/TTr-KTĐ8", "12/TTr-KTĐ8"),
        ("01/2023/QĐ-UBND", "01/2023/QĐ-UBND"),
        ("108-QĐ/VPTU", "108-QĐ/VPTU"),
        ("05-KH/TU", "05-KH/TU"),
    ],
)
def test_references_are_kept_as_typed_and_accepted(typed, kept):
    cleaned = references.clean_reference(typed)
    assert cleaned == kept
    assert references.reference_problem(cleaned) is None


def test_a_decomposed_reference_is_composed():
    import unicodedata

    cleaned = references.clean_reference(unicodedata.normalize("NFD", "580/QĐ-CTĐ 7"))
    assert cleaned == "580/QĐ-CTĐ 7" and unicodedata.is_normalized("NFC", cleaned)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", references.Problem.EMPTY),
        ("KH-CTĐ7", references.Problem.NO_NUMBER),
        ("Số hiệu chưa có", references.Problem.NO_NUMBER),
        ("972", references.Problem.NO_SYMBOL),
        ("972/", references.Problem.NO_SYMBOL),
        ("972/KH<script>", references.Problem.BAD_CHARACTERS),
        ("972/" + "K" * 90, references.Problem.TOO_LONG),
    ],
)
def test_what_cannot_be_a_reference_is_refused_with_its_reason(typed, problem):
    assert references.reference_problem(references.clean_reference(typed)) == problem


@pytest.mark.parametrize(
    ("reference", "word"),
    [
        ("972/KH-CTĐ7", "Kế hoạch"),
        ("580/QĐ-CTĐ 7", "Quyết định"),
        ("108-QĐ/VPTU", "Quyết định"),
        ("12/TTr-KTĐ8", "Tờ trình"),
        ("7/XYZ", "Văn bản"),
    ],
)
def test_the_kind_of_a_document_is_read_off_its_symbol(reference, word):
    assert references.type_word(reference, "Văn bản") == word


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2023, 4, 4), "04/4/2023"),
        (dt.date(2024, 2, 5), "05/02/2024"),
        (dt.date(2021, 1, 14), "14/01/2021"),
        (dt.date(2022, 12, 16), "16/12/2022"),
    ],
)
def test_short_dates_take_the_leading_zeros_of_administrative_writing(day, text):
    assert references.short_date(day) == text
