import datetime as dt
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F

from blocs import services
from blocs.models import Bloc, ChairTerm, Membership, Unit, UnitName
from tests.conftest import THIS_YEAR, make_unit


@pytest.fixture
def actor(world):
    return world.users["secretariat_authority"]


def test_chair_and_vice_chair_must_be_distinct(world, actor):
    with pytest.raises(ValidationError) as error:
        services.chair_term_elect(
            actor=actor,
            bloc=world.bloc_x,
            year=THIS_YEAR + 1,
            chair=world.unit_a,
            vice_chair=world.unit_a,
            elected_on=None,
        )
    assert "hai đơn vị khác nhau" in str(error.value.message_dict)
    assert not ChairTerm.objects.filter(bloc=world.bloc_x, year=THIS_YEAR + 1).exists()


def test_chair_must_be_a_member_of_that_year(world, actor):
    Membership.objects.create(bloc=world.bloc_x, unit=world.unit_a, year=THIS_YEAR + 1)
    with pytest.raises(ValidationError) as error:
        services.chair_term_elect(
            actor=actor,
            bloc=world.bloc_x,
            year=THIS_YEAR + 1,
            chair=world.unit_b,
            vice_chair=world.unit_a,
            elected_on=None,
        )
    assert error.value.message_dict["chair"] == [
        f"Đơn vị được bầu Khối trưởng không phải thành viên năm {THIS_YEAR + 1}."
    ]
    assert not ChairTerm.objects.filter(bloc=world.bloc_x, year=THIS_YEAR + 1).exists()


def test_a_second_chair_term_for_the_same_year_is_refused(world, actor):
    with pytest.raises(ValidationError) as error:
        services.chair_term_elect(
            actor=actor,
            bloc=world.bloc_x,
            year=THIS_YEAR,
            chair=world.unit_a,
            vice_chair=None,
            elected_on=None,
        )
    assert "mỗi năm chỉ có một nhiệm kỳ" in " ".join(error.value.messages)
    term = ChairTerm.objects.get(bloc=world.bloc_x, year=THIS_YEAR)
    assert term.chair == world.unit_c  # unchanged


def test_correcting_an_election_records_old_and_new(world, actor):
    term = ChairTerm.objects.get(bloc=world.bloc_x, year=THIS_YEAR)
    services.chair_term_elect(
        actor=actor,
        bloc=world.bloc_x,
        year=THIS_YEAR,
        chair=world.unit_a,
        vice_chair=world.unit_c,
        elected_on=dt.date(THIS_YEAR - 1, 12, 16),
        term=term,
        version=term.version,
    )
    latest = term.history.first()
    assert latest.history_user == actor
    delta = latest.diff_against(latest.prev_record)
    assert {c.field for c in delta.changes} >= {"chair", "vice_chair", "elected_on"}


def test_a_unit_belongs_to_one_bloc_per_authority_per_year(world, actor):
    with pytest.raises(ValidationError) as error:
        services.membership_add(actor=actor, bloc=world.bloc_y, year=THIS_YEAR, unit=world.unit_a)
    assert "đã thuộc một khối khác" in error.value.messages[0]
    assert not Membership.objects.filter(bloc=world.bloc_y, unit=world.unit_a).exists()


def test_an_authority_may_allow_several_blocs(world, actor):
    world.authority.allows_multiple_blocs = True
    world.authority.save()
    world.bloc_y.refresh_from_db()
    services.membership_add(actor=actor, bloc=world.bloc_y, year=THIS_YEAR, unit=world.unit_a)
    assert Membership.objects.filter(unit=world.unit_a, year=THIS_YEAR).count() == 2


def test_a_unit_of_another_authority_cannot_join(world, actor):
    stranger = make_unit(world.other_authority, "Sở Y tế tỉnh Quảng An")
    with pytest.raises(ValidationError) as error:
        services.membership_add(actor=actor, bloc=world.bloc_x, year=THIS_YEAR, unit=stranger)
    assert "không thuộc Tỉnh Phú Thịnh" in error.value.messages[0]


def test_adding_a_member_twice_is_refused(world, actor):
    with pytest.raises(ValidationError) as error:
        services.membership_add(actor=actor, bloc=world.bloc_x, year=THIS_YEAR, unit=world.unit_a)
    assert "đã là thành viên" in error.value.messages[0]


def test_the_chair_cannot_be_removed_before_a_new_election(world, actor):
    with pytest.raises(ValidationError):
        services.membership_remove(
            actor=actor, bloc=world.bloc_x, year=THIS_YEAR, unit=world.unit_c
        )
    assert Membership.objects.filter(bloc=world.bloc_x, year=THIS_YEAR, unit=world.unit_c).exists()


def test_removing_a_member_keeps_a_deletion_record(world, actor):
    services.membership_remove(actor=actor, bloc=world.bloc_x, year=THIS_YEAR, unit=world.unit_d)
    record = Membership.history.filter(unit_id=world.unit_d.pk, year=THIS_YEAR).first()
    assert record.history_type == "-"
    assert record.history_user == actor


def test_new_unit_names_are_stored_composed(world, actor):
    typed = unicodedata.normalize("NFD", "Sở Tài nguyên và Môi trường")
    membership = services.membership_add_new_unit(
        actor=actor, bloc=world.bloc_x, year=THIS_YEAR, full_name=typed
    )
    assert membership.unit.full_name == unicodedata.normalize("NFC", typed)
    assert UnitName.objects.get(unit=membership.unit).full_name == "Sở Tài nguyên và Môi trường"


def test_renaming_keeps_the_old_name_for_earlier_years(world, actor):
    unit = services.unit_rename(
        actor=actor,
        unit=world.unit_a,
        version=world.unit_a.version,
        full_name="Viện Kiểm sát nhân dân khu vực 1",
        short_name="",
        effective_on=dt.date(THIS_YEAR, 7, 1),
    )
    names = list(
        UnitName.objects.filter(unit=unit)
        .order_by(F("valid_from").asc(nulls_first=True))
        .values_list("full_name", "valid_until")
    )
    assert names == [
        ("Viện kiểm sát nhân dân tỉnh", dt.date(THIS_YEAR, 6, 30)),
        ("Viện Kiểm sát nhân dân khu vực 1", None),
    ]
    assert "vien kiem sat nhan dan tinh" in unit.search_key  # still found by its old name


def test_a_merged_unit_cannot_join_later_years(world, actor):
    services.unit_merge(
        actor=actor, unit=world.unit_d, into=world.unit_c, effective_on=dt.date(THIS_YEAR, 12, 31)
    )
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            actor=actor, bloc=world.bloc_x, year=THIS_YEAR + 1, unit=world.unit_d
        )
    assert "sáp nhập" in error.value.messages[0]


def test_merging_refuses_a_unit_still_member_after_the_date(world, actor):
    with pytest.raises(ValidationError):
        services.unit_merge(
            actor=actor,
            unit=world.unit_d,
            into=world.unit_c,
            effective_on=dt.date(THIS_YEAR - 2, 1, 1),
        )
    world.unit_d.refresh_from_db()
    assert world.unit_d.merged_into is None


def test_merging_closes_the_name_with_a_history_record(world, actor):
    services.unit_merge(
        actor=actor, unit=world.unit_d, into=world.unit_c, effective_on=dt.date(THIS_YEAR + 1, 1, 1)
    )
    name = UnitName.objects.get(unit=world.unit_d)
    assert name.valid_until == dt.date(THIS_YEAR, 12, 31)
    record = name.history.first()
    assert record.history_user == actor and record.valid_until == dt.date(THIS_YEAR, 12, 31)


def test_concurrent_bloc_edits_do_not_overwrite_each_other(world, actor):
    bloc = Bloc.objects.get(pk=world.bloc_x.pk)
    fields = {"kind": bloc.kind, "code": bloc.code, "rotation_rule": bloc.rotation_rule, "note": ""}
    services.bloc_update(
        actor=actor, bloc=bloc, version=bloc.version, name="Khối Nội chính (sửa lần 1)", **fields
    )
    with pytest.raises(services.ConflictError):
        services.bloc_update(
            actor=actor, bloc=bloc, version=bloc.version, name="Khối Nội chính (bản cũ)", **fields
        )
    bloc.refresh_from_db()
    assert bloc.name == "Khối Nội chính (sửa lần 1)"
    assert bloc.version == 2


def test_conditional_updates_are_in_the_history(world, actor):
    bloc = world.bloc_x
    fields = {
        "kind": bloc.kind,
        "code": bloc.code,
        "rotation_rule": "member_order",
        "note": "Ghi chú",
    }
    before = bloc.history.count()
    services.bloc_update(
        actor=actor, bloc=bloc, version=bloc.version, name="Khối thi đua Nội chính tỉnh", **fields
    )
    assert bloc.history.count() == before + 1
    record = bloc.history.first()
    assert record.history_user == actor
    assert record.history_type == "~"
    changed = {c.field for c in record.diff_against(record.prev_record).changes}
    assert {"name", "rotation_rule", "note"} <= changed
    assert Bloc.objects.get(pk=bloc.pk).search_key == "khoi thi dua noi chinh tinh x"


def test_bloc_codes_are_unique_per_authority(world, actor):
    with pytest.raises(ValidationError) as error:
        services.bloc_create(
            actor=actor,
            authority=world.authority,
            kind="khoi",
            code="X",
            name="Khối trùng",
            rotation_rule="vice_chair",
        )
    assert "code" in error.value.message_dict


def test_copying_last_years_members_skips_merged_units(world, actor):
    services.unit_merge(
        actor=actor, unit=world.unit_d, into=world.unit_c, effective_on=dt.date(THIS_YEAR, 6, 1)
    )
    added = services.membership_copy_previous_year(
        actor=actor, bloc=world.bloc_x, year=THIS_YEAR + 1
    )
    assert {m.unit for m in added} == {world.unit_a, world.unit_c}


def test_handover_is_recorded(world, actor):
    term = ChairTerm.objects.get(bloc=world.bloc_x, year=THIS_YEAR)
    services.chair_term_record_handover(
        actor=actor,
        term=term,
        version=term.version,
        handover_on=dt.date(THIS_YEAR - 1, 12, 20),
        from_unit=world.unit_d,
        to_unit=world.unit_c,
    )
    term.refresh_from_db()
    assert (term.handover_from, term.handover_to) == (world.unit_d, world.unit_c)
    assert term.version == 2


@pytest.mark.parametrize(
    ("from_unit", "to_unit", "on", "field", "message"),
    [
        (
            "unit_d",
            "unit_a",
            dt.date(THIS_YEAR - 1, 12, 20),
            "to_unit",
            "được trao cho đơn vị Khối trưởng năm",
        ),
        (
            "unit_a",
            "unit_c",
            dt.date(THIS_YEAR - 1, 12, 20),
            "from_unit",
            "Đơn vị trao cờ là đơn vị Khối trưởng năm",
        ),
        (
            "unit_d",
            "unit_c",
            dt.date(THIS_YEAR - 5, 1, 1),
            "handover_on",
            "Ngày trao cờ phải trong năm",
        ),
    ],
)
def test_the_flag_goes_from_last_years_chair_to_this_years(
    world, actor, from_unit, to_unit, on, field, message
):
    term = ChairTerm.objects.get(bloc=world.bloc_x, year=THIS_YEAR)
    with pytest.raises(ValidationError) as error:
        services.chair_term_record_handover(
            actor=actor,
            term=term,
            version=term.version,
            handover_on=on,
            from_unit=getattr(world, from_unit),
            to_unit=getattr(world, to_unit),
        )
    assert message in " ".join(error.value.message_dict[field])
    term.refresh_from_db()
    assert term.handover_on is None


def test_a_stale_chair_term_correction_is_refused(world, actor):
    term = ChairTerm.objects.get(bloc=world.bloc_x, year=THIS_YEAR)
    stale = term.version
    kwargs = {
        "actor": actor,
        "bloc": world.bloc_x,
        "year": THIS_YEAR,
        "elected_on": None,
        "term": term,
    }
    services.chair_term_elect(chair=world.unit_c, vice_chair=world.unit_d, version=stale, **kwargs)
    with pytest.raises(services.ConflictError):
        services.chair_term_elect(
            chair=world.unit_a, vice_chair=world.unit_c, version=stale, **kwargs
        )
    term.refresh_from_db()
    assert (term.chair, term.vice_chair) == (world.unit_c, world.unit_d)


def test_electing_next_years_chair_carries_the_members_over(world, actor):
    term = services.chair_term_elect(
        actor=actor,
        bloc=world.bloc_x,
        year=THIS_YEAR + 1,
        chair=world.unit_a,
        vice_chair=world.unit_c,
        elected_on=None,
    )
    assert term.chair == world.unit_a
    assert set(
        Membership.objects.filter(bloc=world.bloc_x, year=THIS_YEAR + 1).values_list(
            "unit", flat=True
        )
    ) == {
        world.unit_a.pk,
        world.unit_c.pk,
        world.unit_d.pk,
    }


def test_a_new_unit_with_an_existing_name_is_refused(world, actor):
    with pytest.raises(ValidationError) as error:
        services.membership_add_new_unit(
            actor=actor, bloc=world.bloc_x, year=THIS_YEAR + 1, full_name="  cong an  TINH"
        )
    assert "Đã có đơn vị “Công an tỉnh”" in error.value.message_dict["new_full_name"][0]
    assert Unit.objects.filter(full_name__iexact="cong an tinh").count() == 0


def test_a_merged_unit_is_not_merged_again(world, actor):
    services.unit_merge(
        actor=actor, unit=world.unit_d, into=world.unit_c, effective_on=dt.date(THIS_YEAR + 1, 1, 1)
    )
    world.unit_d.refresh_from_db()
    with pytest.raises(ValidationError):
        services.unit_merge(
            actor=actor,
            unit=world.unit_d,
            into=world.unit_a,
            effective_on=dt.date(THIS_YEAR + 1, 1, 1),
        )
    world.unit_d.refresh_from_db()
    assert world.unit_d.merged_into == world.unit_c


def test_a_merge_before_the_current_name_is_refused_not_crashed(world, actor):
    unit = services.unit_rename(
        actor=actor,
        unit=world.unit_d,
        version=world.unit_d.version,
        full_name="Tòa án nhân dân khu vực 1",
        short_name="",
        effective_on=dt.date(THIS_YEAR, 7, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.unit_merge(
            actor=actor, unit=unit, into=world.unit_c, effective_on=dt.date(THIS_YEAR, 3, 1)
        )
    assert "effective_on" in error.value.message_dict


def test_a_rename_not_yet_in_effect_is_refused(world, actor):
    with pytest.raises(ValidationError) as error:
        services.unit_rename(
            actor=actor,
            unit=world.unit_a,
            version=world.unit_a.version,
            full_name="Tên tương lai",
            short_name="",
            effective_on=dt.date.today() + dt.timedelta(days=30),
        )
    assert "effective_on" in error.value.message_dict


def test_a_unit_merged_on_new_years_day_cannot_join_that_year(world, actor):
    services.unit_merge(
        actor=actor, unit=world.unit_e, into=world.unit_b, effective_on=dt.date(THIS_YEAR + 1, 1, 1)
    )
    with pytest.raises(ValidationError):
        services.membership_add(
            actor=actor, bloc=world.bloc_y, year=THIS_YEAR + 1, unit=world.unit_e
        )


def test_unit_is_not_merged_into_itself(world, actor):
    with pytest.raises(ValidationError):
        services.unit_merge(
            actor=actor, unit=world.unit_a, into=world.unit_a, effective_on=dt.date(THIS_YEAR, 1, 1)
        )
    assert Unit.objects.get(pk=world.unit_a.pk).merged_into is None
