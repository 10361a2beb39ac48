"""Writes of the awards app: the registry, its import, quotas and the secret ballot."""

import datetime as dt
import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from openpyxl import Workbook

from awards import selectors, services
from awards.models import (
    AwardRecord,
    AwardType,
    Ballot,
    BallotBoxEntry,
    BlocAwardQuota,
    VoterRollEntry,
)
from blocs.models import VetoCondition
from tests.conftest import THIS_YEAR, need

FLAG = "co_thi_dua_tinh"
MERIT = "bang_khen_chu_tich_tinh"


def award(code) -> AwardType:
    return AwardType.objects.get(code=code)


def record(world, unit, year, code=MERIT, number="1234/QĐ-UBND", actor="secretariat_authority"):
    return services.award_registry_record(
        actor=world.users[actor],
        unit=unit,
        year=year,
        award_type=award(code),
        decision_number=number,
        decision_date=dt.date(year + 1, 1, 5),
        issuing_body="Ủy ban nhân dân tỉnh Phú Thịnh",
    )


# Registry ---------------------------------------------------------------------------------------


def test_recording_the_same_decision_twice_writes_one_entry(world):
    first = record(world, world.unit_a, 2024)
    again = record(world, world.unit_a, 2024, number="Quyết định số 1234/QĐ-UBND")
    assert again == first and AwardRecord.objects.count() == 1
    assert first.history.latest().history_user == world.users["secretariat_authority"]


def test_a_different_decision_for_the_same_award_and_year_is_refused(world):
    record(world, world.unit_a, 2024)
    with pytest.raises(ValidationError) as error:
        record(world, world.unit_a, 2024, number="999/QĐ-UBND")
    assert "mỗi thành tích chỉ khen thưởng một lần" in error.value.messages[0]


def test_a_decision_dated_before_the_year_it_rewards_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.award_registry_record(
            actor=world.users["admin"],
            unit=world.unit_a,
            year=2024,
            award_type=award(MERIT),
            decision_number="1/QĐ-UBND",
            decision_date=dt.date(2023, 12, 1),
            issuing_body="UBND tỉnh",
        )
    assert "decision_date" in error.value.message_dict


def _workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "Đơn vị",
            "Năm",
            "Danh hiệu, hình thức",
            "Số quyết định",
            "Ngày quyết định",
            "Cơ quan ban hành",
        ]
    )
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_import_is_previewed_with_every_bad_row_and_written_only_when_confirmed(world):
    content = _workbook(
        [
            [
                "Viện kiểm sát nhân dân tỉnh",
                2023,
                "Bằng khen của Chủ tịch UBND tỉnh",
                "12/QĐ-UBND",
                "05/01/2024",
                "UBND tỉnh",
            ],
            [
                "Vien kiem sat nhan dan tinh",
                2022,
                "Cờ thi đua UBND tỉnh",
                "7/QĐ-UBND",
                "06/01/2023",
                "UBND tỉnh",
            ],
            [
                "Đơn vị không có",
                2023,
                "Bằng khen của Chủ tịch UBND tỉnh",
                "13/QĐ-UBND",
                "05/01/2024",
                "UBND tỉnh",
            ],
            ["Công an tỉnh", "hai nghìn", "Huân chương lạ", "", "31/02/2024", ""],
        ]
    )
    actor = world.users["secretariat_authority"]
    with pytest.raises(ValidationError):
        # Not a spreadsheet at all: refused as a whole.
        services.registry_import_preview(
            actor=actor, authority=world.authority, filename="x.pdf", content=b"%PDF-1.4"
        )
    batch = services.registry_import_preview(
        actor=actor, authority=world.authority, filename="khen-thuong.xlsx", content=content
    )
    assert AwardRecord.objects.count() == 0
    errors = {e["line"]: e["message"] for e in batch.plan["errors"]}
    assert set(errors) == {4, 5}
    assert errors[4] == "Không có đơn vị “Đơn vị không có” ở Tỉnh Phú Thịnh."
    for words in (
        "Năm “hai nghìn”",
        "Huân chương lạ",
        "thiếu số quyết định",
        "31/02/2024",
        "thiếu cơ quan ban hành",
    ):
        assert words in errors[5]
    with pytest.raises(ValidationError):
        services.registry_import_apply(actor=actor, batch=batch)  # rows with errors: nothing
    good = services.registry_import_preview(
        actor=actor,
        authority=world.authority,
        filename="k.xlsx",
        content=_workbook(
            [
                [
                    "Viện kiểm sát nhân dân tỉnh",
                    2023,
                    "Bằng khen của Chủ tịch UBND tỉnh",
                    "12/QĐ-UBND",
                    "05/01/2024",
                    "UBND tỉnh",
                ],
                [
                    "Vien kiem sat nhan dan tinh",
                    2022,
                    "Cờ thi đua UBND tỉnh",
                    "7/QĐ-UBND",
                    "06/01/2023",
                    "UBND tỉnh",
                ],
            ]
        ),
    )
    assert services.registry_import_apply(actor=actor, batch=good)["new"] == 2
    assert set(AwardRecord.objects.values_list("year", "source")) == {
        (2023, "import"),
        (2022, "import"),
    }


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh, thành phố", MERIT),
        ("Bằng khen Chủ tịch UBND tỉnh", MERIT),
        ("Bằng khen của Chủ tịch UBND tỉnh", MERIT),
        ("bang khen chu tich ubnd thanh pho", MERIT),
        ("Cờ thi đua của UBND tỉnh", FLAG),
        ("Cờ thi đua của Ủy ban nhân dân Thành phố", FLAG),
        ("Cờ thi đua của Chính phủ", "co_thi_dua_chinh_phu"),
    ],
)
def test_award_names_are_recognised_however_offices_write_them(db, written, code):
    keys = {}
    for item in AwardType.objects.all():
        for name in (item.code, item.name, item.short_name):
            keys.setdefault(services.award_key(name), item.code)
    assert keys[services.award_key(written)] == code


def test_a_bloc_secretariat_cannot_import_awards_of_units_it_does_not_serve(world):
    content = _workbook(
        [
            [
                "Sở Tài chính",
                2025,
                "Bằng khen của Chủ tịch UBND tỉnh",
                "12/QĐ-UBND",
                "05/01/2026",
                "UBND tỉnh",
            ]
        ]
    )
    batch = services.registry_import_preview(
        actor=world.users["secretariat_x"],
        authority=world.authority,
        filename="k.xlsx",
        content=content,
    )
    assert (
        batch.plan["errors"][0]["message"]
        == "Bạn không có quyền ghi khen thưởng của Sở Tài chính năm 2025."
    )


def test_quotas_are_set_changed_and_cleared_with_history(world):
    actor = world.users["secretariat_x"]
    services.bloc_quotas_set(
        actor=actor, bloc=world.bloc_x, year=THIS_YEAR, quotas={award(FLAG): (1, "Hướng dẫn 15/HD")}
    )
    assert selectors.bloc_quota_map(bloc=world.bloc_x, year=THIS_YEAR) == {FLAG: 1}
    services.bloc_quotas_set(
        actor=actor, bloc=world.bloc_x, year=THIS_YEAR, quotas={award(FLAG): (None, "")}
    )
    assert not BlocAwardQuota.objects.exists()
    assert BlocAwardQuota.history.count() == 2


# Ballot -------------------------------------------------------------------------------------------


def _ballot(world, *, mode=Ballot.Mode.ONLINE, threshold="50", strict=True, base=Ballot.Base.ALL):
    actor = world.users["secretariat_x"]
    ballot = services.ballot_create(
        actor=actor,
        bloc=world.bloc_x,
        year=THIS_YEAR,
        title="Bình xét khen thưởng năm 2026",
        mode=mode,
        base=base,
        threshold=threshold,
        threshold_strict=strict,
        closes_at=None,
        held_on=dt.date(THIS_YEAR, 12, 16),
    )
    flag = services.ballot_item_add(
        actor=actor, ballot=ballot, award_type=award(FLAG), max_choices=1
    )
    services.ballot_candidates_set(actor=actor, item=flag, units=[world.unit_a, world.unit_c])
    return services.ballot_open(actor=actor, ballot=ballot), flag


def _candidates(item):
    return {c.unit_id: c.pk for c in item.candidates.all()}


def test_a_ballot_cannot_open_without_candidates(world):
    ballot = services.ballot_create(
        actor=world.users["secretariat_x"],
        bloc=world.bloc_x,
        year=THIS_YEAR,
        title="Bình xét",
        mode="online",
        base="all",
        threshold="50",
        threshold_strict=True,
        closes_at=None,
        held_on=dt.date(THIS_YEAR, 12, 16),
    )
    with pytest.raises(ValidationError):
        services.ballot_open(actor=world.users["secretariat_x"], ballot=ballot)


def test_a_unit_under_a_veto_condition_cannot_be_a_candidate(world):
    VetoCondition.objects.create(
        unit=world.unit_c,
        year=THIS_YEAR,
        kind="investigation",
        description="Đang thanh tra",
        source="Quyết định số 15/QĐ-TTr",
        recorded_on=dt.date(THIS_YEAR, 3, 2),
    )
    with pytest.raises(ValidationError) as error:
        _ballot(world)
    message = error.value.messages[0]
    assert message.startswith("Công an tỉnh chưa được xét khen thưởng") and "15/QĐ-TTr" in message


def test_each_member_unit_votes_once_and_the_tally_counts_the_box(world):
    ballot, flag = _ballot(world)
    candidates = _candidates(flag)
    for unit, choice in (
        (world.unit_a, world.unit_a),
        (world.unit_c, world.unit_a),
        (world.unit_d, world.unit_c),
    ):
        services.ballot_cast(
            actor=world.users["admin"],
            ballot=ballot,
            unit=unit,
            choices={str(flag.pk): [candidates[choice.pk]]},
        )
    with pytest.raises(ValidationError) as error:
        services.ballot_cast(
            actor=world.users["officer_a"],
            ballot=ballot,
            unit=world.unit_a,
            choices={str(flag.pk): []},
        )
    assert "mỗi đơn vị chỉ bỏ một phiếu" in error.value.messages[0]
    closed = services.ballot_close(actor=world.users["secretariat_x"], ballot=ballot)
    result = {c["candidate_id"]: c for c in closed.tally["items"][0]["candidates"]}
    a, c = result[candidates[world.unit_a.pk]], result[candidates[world.unit_c.pk]]
    assert (a["votes"], a["passed"], c["votes"], c["passed"]) == (2, True, 1, False)
    assert closed.tally["valid"] == 3 and closed.state == Ballot.State.CLOSED


def test_a_ballot_agreeing_with_more_units_than_allowed_is_refused(world):
    ballot, flag = _ballot(world)
    with pytest.raises(ValidationError):
        services.ballot_cast(
            actor=world.users["officer_a"],
            ballot=ballot,
            unit=world.unit_a,
            choices={str(flag.pk): list(_candidates(flag).values())},
        )
    assert not VoterRollEntry.objects.exists() and not BallotBoxEntry.objects.exists()


def test_nothing_stored_links_a_unit_to_its_choice(world):
    ballot, flag = _ballot(world)
    candidates = _candidates(flag)
    services.ballot_cast(
        actor=world.users["officer_a"],
        ballot=ballot,
        unit=world.unit_a,
        choices={str(flag.pk): [candidates[world.unit_a.pk]]},
    )
    services.ballot_cast(
        actor=world.users["admin"],
        ballot=ballot,
        unit=world.unit_c,
        choices={str(flag.pk): [candidates[world.unit_c.pk]]},
    )
    # The box table: only an id, the ballot and the choices: no unit, user, time or order.
    columns = {f.column for f in BallotBoxEntry._meta.concrete_fields}
    assert columns == {"id", "ballot_id", "choices"}
    assert not hasattr(BallotBoxEntry, "history")
    # The box rows were rewritten together at the last vote: their ids carry no order of arrival,
    # and the roll (which has times) shares no column with them but the ballot.
    roll_columns = {f.column for f in VoterRollEntry._meta.concrete_fields}
    assert roll_columns & columns == {"id", "ballot_id"}
    assert all(
        isinstance(pk, type(BallotBoxEntry.objects.first().pk))
        for pk in BallotBoxEntry.objects.values_list("pk", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {BallotBoxEntry._meta.db_table}")
        dumped = repr(cursor.fetchall())
    for unit in (world.unit_a, world.unit_c):
        assert unit.full_name not in dumped
    for user in world.users.values():
        if user:
            assert user.username not in dumped


def test_a_paper_ballot_takes_the_committees_totals_and_checks_they_add_up(world):
    ballot, flag = _ballot(world, mode=Ballot.Mode.PAPER)
    candidates = _candidates(flag)
    with pytest.raises(ValidationError) as error:
        services.ballot_close(
            actor=world.users["secretariat_x"],
            ballot=ballot,
            paper={"issued": 3, "returned": 3, "valid": 2, "invalid": 0},
            paper_votes={candidates[world.unit_a.pk]: 2, candidates[world.unit_c.pk]: 0},
        )
    assert "phải bằng số phiếu thu về" in error.value.messages[0]
    closed = services.ballot_close(
        actor=world.users["secretariat_x"],
        ballot=ballot,
        paper={"issued": 3, "returned": 3, "valid": 3, "invalid": 0},
        paper_votes={candidates[world.unit_a.pk]: 2, candidates[world.unit_c.pk]: 1},
    )
    assert closed.paper_valid == 3
    assert {c["votes"] for c in closed.tally["items"][0]["candidates"]} == {2, 1}


def test_an_absent_unit_is_recorded_with_its_written_opinion_and_cannot_vote(world):
    ballot, _flag = _ballot(world)
    services.ballot_record_absent(
        actor=world.users["secretariat_x"],
        ballot=ballot,
        unit=world.unit_d,
        written_opinion="Nhất trí đề nghị.",
    )
    with pytest.raises(ValidationError) as error:
        services.ballot_cast(
            actor=world.users["admin"], ballot=ballot, unit=world.unit_d, choices={}
        )
    assert "vắng mặt" in error.value.messages[0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_clicks_of_one_unit_leave_exactly_one_ballot(world, law):
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    ballot, flag = _ballot(world)
    choice = {str(flag.pk): [next(iter(_candidates(flag).values()))]}
    outcomes = []
    start = threading.Barrier(8)

    def click():
        try:
            start.wait()
            services.ballot_cast(
                actor=world.users["officer_a"], ballot=ballot, unit=world.unit_a, choices=choice
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] + ["refused"] * 7
    assert VoterRollEntry.objects.filter(ballot=ballot).count() == 1
    assert BallotBoxEntry.objects.filter(ballot=ballot).count() == 1
