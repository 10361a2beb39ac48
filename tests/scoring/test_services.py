"""The scoring workflow: tables and versions, periods, reports, self and verified scores."""

import datetime as dt
import os
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from blocs.models import Role
from scoring import services
from scoring.models import (
    CriteriaTable,
    Evidence,
    PeriodTransition,
    ReportingPeriod,
    ReportTransition,
    SelfScore,
    UnitReport,
    VerifiedScore,
)
from tests.conftest import LAST_YEAR, THIS_YEAR, make_user
from tests.scoring.factories import (
    FULL,
    build_table,
    evidence_file,
    fill,
    open_period,
    write,
)


@pytest.fixture
def setup(world):
    secretariat = world.users["secretariat_x"]
    table, leaves = build_table(secretariat, world.bloc_x)
    period = open_period(secretariat, world.bloc_x, table)
    report = services.report_start(actor=world.users["officer_a"], period=period, unit=world.unit_a)
    return secretariat, table, leaves, period, report


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# Criteria tables -------------------------------------------------------------------------------


def test_a_draft_table_is_edited_freely_and_a_frozen_one_refuses_every_change(world):
    actor = world.users["secretariat_x"]
    table, leaves = build_table(actor, world.bloc_x)
    services.criterion_update(
        actor=actor,
        criterion=leaves["I.2"],
        code="2",
        title="Cải cách hành chính",
        max_points="15",
    )
    services.criteria_table_freeze(actor=actor, table=table)
    table.refresh_from_db()
    assert table.state == CriteriaTable.State.FROZEN and table.frozen_at
    with pytest.raises(ValidationError, match="đã chốt"):
        services.criterion_add(actor=actor, table=table, parent=None, code="V", title="Nhóm mới")
    with pytest.raises(ValidationError, match="đã chốt"):
        services.criterion_remove(actor=actor, criterion=leaves["I.1"])
    assert table.history.filter(state="frozen").count() == 1


def test_criteria_codes_are_unique_among_siblings_and_leaves_have_no_children(world):
    actor = world.users["secretariat_x"]
    table, leaves = build_table(actor, world.bloc_x)
    group = leaves["I.1"].parent
    with pytest.raises(ValidationError) as error:
        services.criterion_add(actor=actor, table=table, parent=group, code="1", title="Trùng")
    assert error.value.message_dict["code"] == ["Đã có tiêu chí số 1 ở cùng cấp."]
    with pytest.raises(ValidationError) as error:
        services.criterion_add(
            actor=actor, table=table, parent=leaves["I.1"], code="a", title="Con"
        )
    assert "parent" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.criterion_add(
            actor=actor, table=table, parent=group, code="3", title="Sai", max_points="mười"
        )
    assert error.value.message_dict["max_points"] == [
        "Điểm tối đa là một số lớn hơn 0, ví dụ 10 hoặc 2,5."
    ]
    # A sub-criterion level works: a → under a group's criterion.
    criterion = services.criterion_add(
        actor=actor, table=table, parent=group, code="3", title="Khác"
    )
    services.criterion_add(
        actor=actor, table=table, parent=criterion, code="a", title="Tiểu mục", max_points="2,5"
    )


def test_removing_a_criterion_removes_what_is_under_it(world):
    actor = world.users["secretariat_x"]
    table, leaves = build_table(actor, world.bloc_x)
    services.criterion_remove(actor=actor, criterion=leaves["I.1"].parent)
    assert sorted(c.code for c in table.criteria.filter(parent=None)) == ["II", "III", "IV"]
    assert table.criteria.count() == 7


def test_last_years_table_is_copied_with_its_whole_tree(world):
    actor = world.users["secretariat_x"]
    old, _leaves = build_table(actor, world.bloc_x, year=LAST_YEAR, capped=True)
    copy = services.criteria_table_copy_previous_year(
        actor=actor, bloc=world.bloc_x, year=THIS_YEAR
    )
    assert (copy.version, copy.state, copy.copied_from, copy.capped) == (1, "draft", old, True)
    assert copy.title == f"Bảng tiêu chí chấm điểm thi đua năm {THIS_YEAR}"

    def shape(table):
        return sorted(
            (c.parent.code if c.parent else "", c.code, c.max_points, c.kind, c.evidence_required)
            for c in table.criteria.select_related("parent")
        )

    assert shape(copy) == shape(old)
    with pytest.raises(ValidationError, match="đã có bảng tiêu chí"):
        services.criteria_table_copy_previous_year(actor=actor, bloc=world.bloc_x, year=THIS_YEAR)
    with pytest.raises(ValidationError, match="không có bảng tiêu chí năm 2024"):
        services.criteria_table_copy_previous_year(actor=actor, bloc=world.bloc_x, year=LAST_YEAR)


def test_a_new_version_needs_a_frozen_latest_table_and_a_reason(world):
    actor = world.users["secretariat_x"]
    table, _leaves = build_table(actor, world.bloc_x)
    with pytest.raises(ValidationError, match="vẫn là dự thảo"):
        services.criteria_table_new_version(actor=actor, table=table, reason="Sửa")
    services.criteria_table_freeze(actor=actor, table=table)
    with pytest.raises(ValidationError) as error:
        services.criteria_table_new_version(actor=actor, table=table, reason="  ")
    assert error.value.message_dict["reason"] == ["Hãy ghi lý do ban hành phiên bản mới."]
    new = services.criteria_table_new_version(
        actor=actor, table=table, reason="Bổ sung tiêu chí chuyển đổi số theo Kế hoạch của UBND"
    )
    assert (new.version, new.state, new.previous) == (2, "draft", table)
    assert new.criteria.count() == table.criteria.count()
    with pytest.raises(ValidationError, match="phiên bản 2 mới hơn"):
        services.criteria_table_new_version(actor=actor, table=table, reason="Lần nữa")


def test_the_first_self_score_freezes_the_draft_table_and_scores_keep_their_version(setup, world):
    secretariat, table, leaves, period, report = setup
    assert (
        CriteriaTable.objects.get(pk=table.pk).state == "draft"
    )  # a draft while the period is open
    services.self_score_save(
        actor=world.users["officer_a"],
        report=report,
        criterion=leaves["I.2"],
        points="15",
        comment="",
        version=None,
    )
    table.refresh_from_db()
    assert table.state == "frozen"
    assert table.history.first().history_change_reason == "Chốt khi đơn vị bắt đầu tự chấm điểm"
    new = services.criteria_table_new_version(
        actor=secretariat, table=table, reason="Điều chỉnh điểm tối đa"
    )
    services.period_use_table(actor=secretariat, period=period, table=new)
    score = SelfScore.objects.get(report=report)
    assert score.criterion.table == table  # the score stays with the version it was made against


# Periods ---------------------------------------------------------------------------------------


def test_a_period_moves_draft_open_closed_published_with_its_log(setup, world):
    secretariat, _table, _leaves, period, _report = setup
    with pytest.raises(ValidationError, match="hãy khóa sổ trước khi công bố"):
        services.period_publish(actor=secretariat, period=period)
    period = services.period_close(actor=secretariat, period=period)
    with pytest.raises(ValidationError) as error:
        services.period_reopen(actor=secretariat, period=period, reason="")
    assert "reason" in error.value.message_dict
    period = services.period_reopen(
        actor=secretariat, period=period, reason="Đơn vị Tòa án xin nộp muộn"
    )
    period = services.period_close(actor=secretariat, period=period)
    period = services.period_publish(actor=secretariat, period=period)
    assert period.state == "published"
    assert list(
        PeriodTransition.objects.filter(period=period).values_list("to_state", "reason")
    ) == [
        ("draft", ""),
        ("open", ""),
        ("closed", ""),
        ("open", "Đơn vị Tòa án xin nộp muộn"),
        ("closed", ""),
        ("published", ""),
    ]
    with pytest.raises(ValidationError):
        services.period_reopen(actor=secretariat, period=period, reason="Thử")


def test_publishing_waits_for_every_submitted_report_to_be_decided(setup, world):
    secretariat, _table, leaves, period, report = setup
    fill(world.users["officer_a"], report, leaves, FULL)
    services.report_submit(actor=world.users["officer_a"], report=report)
    period = services.period_close(actor=secretariat, period=period)
    with pytest.raises(ValidationError, match="Viện kiểm sát nhân dân tỉnh"):
        services.period_publish(actor=secretariat, period=period)


def test_a_period_cannot_end_before_it_opens_and_each_kind_is_once_a_year(world):
    actor = world.users["secretariat_x"]
    table, _ = build_table(actor, world.bloc_x)
    with pytest.raises(ValidationError) as error:
        services.period_create(
            actor=actor,
            bloc=world.bloc_x,
            year=THIS_YEAR,
            kind="mid_year",
            opens_on=dt.date(2026, 6, 10),
            deadline=dt.date(2026, 6, 1),
        )
    assert error.value.message_dict["deadline"] == ["Hạn nộp phải từ ngày bắt đầu nhận trở đi."]
    open_period(actor, world.bloc_x, table, kind="mid_year")
    with pytest.raises(ValidationError, match="đã có kỳ Sơ kết 6 tháng năm 2026"):
        open_period(actor, world.bloc_x, table, kind="mid_year")


def test_a_period_uses_a_table_of_its_own_bloc_year(world):
    actor = world.users["secretariat_x"]
    other, _ = build_table(actor, world.bloc_x, year=LAST_YEAR)
    with pytest.raises(ValidationError) as error:
        services.period_create(
            actor=actor,
            bloc=world.bloc_x,
            year=THIS_YEAR,
            kind="year_end",
            opens_on=dt.date(2026, 11, 1),
            deadline=dt.date(2026, 11, 30),
            criteria_table=other,
        )
    assert "criteria_table" in error.value.message_dict


# Self scores -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "typed", "message"),
    [
        ("I.2", "25", "Điểm vượt mức tối đa 20 của tiêu chí 2."),
        ("I.2", "20,01", "Điểm vượt mức tối đa 20 của tiêu chí 2."),
        ("I.2", "-1", "Điểm không được âm: chỉ các tiêu chí điểm trừ mới ghi điểm bị trừ."),
        ("III.1", "−2", "Điểm không được âm: chỉ các tiêu chí điểm trừ mới ghi điểm bị trừ."),
        ("I.2", "mười", "“Điểm” phải là một số, ví dụ 8 hoặc 7,5."),
        ("I.2", "1e", "“Điểm” phải là một số, ví dụ 8 hoặc 7,5."),
        ("I.2", "NaN", "“Điểm” phải là một số, ví dụ 8 hoặc 7,5."),
        (
            "I.2",
            "1.000",
            "Điểm ghi tối đa hai chữ số sau dấu phẩy (ví dụ 7,25); không dùng dấu chấm ngăn cách "
            "hàng nghìn.",
        ),
        ("IV.1", "-6", "Điểm vượt mức tối đa 5 của tiêu chí 1."),
    ],
)
def test_bad_points_get_a_clear_vietnamese_message_and_nothing_is_saved(
    setup, world, path, typed, message
):
    _s, _t, leaves, _p, report = setup
    with pytest.raises(ValidationError) as error:
        services.self_score_save(
            actor=world.users["officer_a"],
            report=report,
            criterion=leaves[path],
            points=typed,
            comment="Giải trình kèm theo",
            version=None,
        )
    assert error.value.message_dict == {"points": [message]}
    assert not SelfScore.objects.exists()


@pytest.mark.parametrize(
    ("path", "typed", "stored"),
    [
        ("I.2", "19,5", D("19.5")),
        ("I.2", "19.5", D("19.5")),
        ("I.2", " 7,25 ", D("7.25")),
        ("I.2", "20", D(20)),
        ("I.2", "0", D(0)),
        ("IV.1", "-3", D(3)),  # a deduction written as negative is 3 points off
        ("IV.1", "3", D(3)),
        ("IV.1", "−2,5", D("2.5")),
        ("I.2", "", None),  # blank: not scored yet
    ],
)
def test_points_are_read_as_offices_write_them(setup, world, path, typed, stored):
    _s, _t, leaves, _p, report = setup
    score = services.self_score_save(
        actor=world.users["officer_a"],
        report=report,
        criterion=leaves[path],
        points=typed,
        comment="",
        version=None,
    )
    assert SelfScore.objects.get(pk=score.pk).points == stored


def test_a_stale_save_is_refused_with_both_values_and_the_history_keeps_every_change(setup, world):
    _s, _t, leaves, _p, report = setup
    officer = world.users["officer_a"]
    colleague = make_user("officer-a-2", full_name="Cán bộ A thứ hai")
    Role.objects.create(user=colleague, kind=Role.Kind.OFFICER, unit=world.unit_a)
    cell = {"report": report, "criterion": leaves["I.1"]}
    first = services.self_score_save(
        actor=officer, points="30", comment="Lần đầu", version=None, **cell
    )
    assert first.version == 1
    # Two tabs opened at version 1; the colleague saves first (the conditional-update path).
    second = services.self_score_save(
        actor=colleague, points="35", comment="Bổ sung số liệu", version=1, **cell
    )
    assert second.version == 2
    with pytest.raises(services.CellConflict) as conflict:
        services.self_score_save(actor=officer, points="32", comment="Của tôi", version=1, **cell)
    assert conflict.value.theirs.points == D(35)
    assert conflict.value.theirs.comment == "Bổ sung số liệu"
    assert conflict.value.theirs.version == 2
    assert conflict.value.theirs.by == "Cán bộ A thứ hai"
    assert conflict.value.mine.points == D(32) and conflict.value.mine.comment == "Của tôi"
    assert "Cán bộ A thứ hai vừa ghi điểm tự chấm tiêu chí này là 35" in conflict.value.messages[0]
    assert "(32)" in conflict.value.messages[0]

    score = SelfScore.objects.get(pk=first.pk)
    assert (score.points, score.version, score.updated_by) == (D(35), 2, colleague)
    history = list(score.history.order_by("history_date", "history_id"))
    assert [(h.history_type, h.points, h.version, h.history_user) for h in history] == [
        ("+", D(30), 1, officer),
        ("~", D(35), 2, colleague),
    ]
    # The officer saves again on the version they now see: recorded too.
    services.self_score_save(actor=officer, points="32", comment="Của tôi", version=2, **cell)
    assert score.history.count() == 3
    assert score.history.first().points == D(32)


def test_saving_what_is_already_there_is_no_conflict_even_from_an_old_tab(setup, world):
    _s, _t, leaves, _p, report = setup
    officer = world.users["officer_a"]
    cell = {"report": report, "criterion": leaves["I.1"]}
    services.self_score_save(actor=officer, points="30", comment="", version=None, **cell)
    services.self_score_save(actor=officer, points="31", comment="", version=1, **cell)
    again = services.self_score_save(actor=officer, points="31", comment="", version=1, **cell)
    assert again.version == 2 and again.history.count() == 2
    # A second tab that still thinks the cell is empty, typing a different value: a conflict.
    with pytest.raises(services.CellConflict):
        services.self_score_save(actor=officer, points="33", comment="", version=None, **cell)


def test_self_scores_are_refused_once_submitted_and_outside_an_open_period(setup, world):
    secretariat, _t, leaves, period, report = setup
    officer = world.users["officer_a"]
    fill(officer, report, leaves, FULL)
    report = services.report_submit(actor=officer, report=report)
    with pytest.raises(ValidationError, match="Đã gửi"):
        services.self_score_save(
            actor=officer, report=report, criterion=leaves["I.2"], points="1", comment="", version=1
        )
    services.period_close(actor=secretariat, period=period)
    with pytest.raises(ValidationError, match="Đã khóa sổ"):
        services.report_start(actor=world.users["officer_a"], period=period, unit=world.unit_c)


def test_a_criterion_of_another_table_or_a_group_cannot_be_scored(setup, world):
    secretariat, _t, leaves, _p, report = setup
    _other, other_leaves = build_table(secretariat, world.bloc_x, year=LAST_YEAR)
    for criterion, message in (
        (other_leaves["I.1"], "không thuộc bảng"),
        (leaves["I.1"].parent, "tiêu chí con"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.self_score_save(
                actor=world.users["officer_a"],
                report=report,
                criterion=criterion,
                points="1",
                comment="",
                version=None,
            )


def test_a_unit_outside_the_bloc_year_has_no_report(setup, world):
    _s, _t, _l, period, _r = setup
    with pytest.raises(ValidationError, match="không phải thành viên"):
        services.report_start(actor=world.users["officer_b"], period=period, unit=world.unit_b)


# Evidence and the written report ------------------------------------------------------------------


def test_an_executable_renamed_pdf_is_refused_as_evidence(setup, world):
    _s, _t, leaves, _p, report = setup
    upload = SimpleUploadedFile("minh-chung.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(ValidationError) as error:
        services.evidence_add(
            actor=world.users["officer_a"], report=report, upload=upload, criterion=leaves["I.1"]
        )
    assert error.value.message_dict["file"] == [
        "Tệp là chương trình chạy được, không phải tài liệu; tệp không được nhận."
    ]
    assert not Evidence.objects.exists()


def test_evidence_is_stored_privately_with_its_hash_and_may_come_before_the_points(
    setup, world, settings
):
    _s, _t, leaves, _p, report = setup
    evidence = services.evidence_add(
        actor=world.users["officer_a"],
        report=report,
        upload=evidence_file("Biên bản kiểm tra.pdf"),
        criterion=leaves["I.1"],
    )
    assert evidence.original_name == "Biên bản kiểm tra.pdf"
    assert evidence.file.name.startswith("scoring/evidence/") and "Bi" not in evidence.file.name
    assert len(evidence.sha256) == 64 and evidence.content_type == "application/pdf"
    assert evidence.self_score.points is None  # a blank cell holds it until the points come
    stored = evidence.file.path
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.evidence_remove(actor=world.users["officer_a"], evidence=evidence)
    assert not Evidence.objects.exists()
    assert not os.path.exists(stored)


def test_the_written_report_keeps_its_text_and_refuses_a_stale_save(setup, world):
    _s, _t, _l, _p, report = setup
    officer = world.users["officer_a"]
    updated = services.report_update(
        actor=officer,
        report=report,
        version=report.version,
        text="Năm 2026, đơn vị hoàn thành xuất sắc nhiệm vụ.",
        upload=evidence_file("bao-cao.pdf"),
    )
    assert updated.file_name == "bao-cao.pdf" and updated.version == 2
    with pytest.raises(services.ConflictError):
        services.report_update(actor=officer, report=report, version=1, text="Bản cũ")
    folder = os.path.dirname(UnitReport.objects.get(pk=report.pk).file.path)
    with pytest.raises(services.ConflictError):
        services.report_update(
            actor=officer, report=report, version=1, text="Bản cũ", upload=evidence_file("cu.pdf")
        )
    assert len(os.listdir(folder)) == 1  # the refused file is not left behind
    assert UnitReport.objects.get(pk=report.pk).text.startswith("Năm 2026")
    assert updated.history.count() == 2


# Submit, return, accept ------------------------------------------------------------------------


def test_submit_says_exactly_which_leaves_are_unscored_and_which_evidence_is_missing(setup, world):
    _s, _t, leaves, _p, report = setup
    officer = world.users["officer_a"]
    fill(officer, report, leaves, {"I.1": "38", "II.1": "20", "III.1": "5"}, evidence=False)
    with pytest.raises(services.ReportIncomplete) as error:
        services.report_submit(actor=officer, report=report)
    assert not error.value.missing_text
    assert error.value.unscored == [
        ("I.2", "Cải cách hành chính, chuyển đổi số"),
        ("II.2", "Công đoàn, Đoàn thanh niên vững mạnh"),
        ("IV.1", "Có cán bộ bị kỷ luật"),
    ]
    assert error.value.evidence_missing == [
        ("I.1", "Hoàn thành các chỉ tiêu, nhiệm vụ được giao"),
        ("III.1", "Được tặng Cờ thi đua của UBND"),
    ]
    assert error.value.messages[0] == (
        "Chưa chấm điểm 3 tiêu chí: I.2 (Cải cách hành chính, chuyển đổi số); II.2 (Công đoàn, "
        "Đoàn thanh niên vững mạnh); IV.1 (Có cán bộ bị kỷ luật). Chưa có minh chứng bắt buộc "
        "cho 2 tiêu chí: I.1 (Hoàn thành các chỉ tiêu, nhiệm vụ được giao); III.1 (Được tặng Cờ "
        "thi đua của UBND)."
    )
    assert UnitReport.objects.get(pk=report.pk).state == "draft"


def test_a_report_without_its_written_report_is_not_sent(setup, world):
    _s, _t, leaves, _p, report = setup
    officer = world.users["officer_a"]
    fill(officer, report, leaves, FULL, text=False)
    with pytest.raises(services.ReportIncomplete) as error:
        services.report_submit(actor=officer, report=report)
    assert error.value.missing_text and not error.value.unscored
    assert error.value.messages == [
        "Chưa có nội dung báo cáo: hãy viết báo cáo hoặc đính kèm tệp báo cáo."
    ]
    report.refresh_from_db()
    services.report_update(
        actor=officer,
        report=report,
        version=report.version,
        text="",
        upload=evidence_file("bc.pdf"),
    )
    assert services.report_submit(actor=officer, report=report).state == "submitted"


def test_a_period_of_written_reports_takes_no_scores_and_leaves_the_draft_table_alone(world):
    secretariat = world.users["secretariat_x"]
    table, leaves = build_table(secretariat, world.bloc_x)
    period = services.period_create(
        actor=secretariat,
        bloc=world.bloc_x,
        year=THIS_YEAR,
        kind="mid_year",
        opens_on=dt.date(THIS_YEAR, 6, 1),
        deadline=dt.date(THIS_YEAR, 6, 20),
        self_scoring=False,
    )
    period = services.period_open(actor=secretariat, period=period)
    officer = world.users["officer_a"]
    report = services.report_start(actor=officer, period=period, unit=world.unit_a)
    with pytest.raises(ValidationError, match="không tự chấm điểm"):
        services.self_score_save(
            actor=officer,
            report=report,
            criterion=leaves["I.1"],
            points="1",
            comment="",
            version=None,
        )
    write(officer, report, "Sáu tháng đầu năm, đơn vị góp ý dự thảo bảng tiêu chí như sau: …")
    assert services.report_submit(actor=officer, report=report).state == "submitted"
    table.refresh_from_db()
    assert table.state == "draft"


def test_a_report_is_submitted_returned_with_a_reason_resubmitted_and_accepted(setup, world):
    secretariat, _t, leaves, _p, report = setup
    officer = world.users["officer_a"]
    fill(officer, report, leaves, FULL)
    report = services.report_submit(actor=officer, report=report)
    assert report.state == "submitted" and report.submitted_at
    with pytest.raises(ValidationError) as error:
        services.report_return(actor=secretariat, report=report, reason=" ")
    assert error.value.message_dict["reason"] == [
        "Hãy ghi lý do trả lại để đơn vị biết cần bổ sung gì."
    ]
    report = services.report_return(
        actor=secretariat, report=report, reason="Bổ sung minh chứng tiêu chí I.1"
    )
    score = SelfScore.objects.get(report=report, criterion=leaves["I.2"])
    services.self_score_save(
        actor=officer,
        report=report,
        criterion=leaves["I.2"],
        points="18",
        comment="",
        version=score.version,
    )
    report = services.report_submit(actor=officer, report=report)
    report = services.report_accept(actor=secretariat, report=report)
    assert report.state == "accepted"
    log = list(
        ReportTransition.objects.filter(report=report).values_list(
            "from_state", "to_state", "reason", "actor"
        )
    )
    assert log == [
        ("", "draft", "", officer.pk),
        ("draft", "submitted", "", officer.pk),
        ("submitted", "returned", "Bổ sung minh chứng tiêu chí I.1", secretariat.pk),
        ("returned", "submitted", "", officer.pk),
        ("submitted", "accepted", "", secretariat.pk),
    ]
    # Accepting confirmed every self score as verified, by the person accepting.
    verified = VerifiedScore.objects.filter(report=report)
    assert sorted(verified.values_list("criterion_id", "points", "scored_by")) == sorted(
        (score.criterion_id, score.points, secretariat.pk)
        for score in SelfScore.objects.filter(report=report)
    )
    assert verified.get(criterion=leaves["I.2"]).points == D(18)


def test_a_report_cannot_be_accepted_before_it_is_submitted(setup, world):
    secretariat, _t, _l, _p, report = setup
    with pytest.raises(ValidationError, match="chỉ chấp nhận được báo cáo đã gửi"):
        services.report_accept(actor=secretariat, report=report)


# Verified scores -------------------------------------------------------------------------------


def test_a_verified_score_different_from_the_self_score_needs_a_reason(setup, world):
    secretariat, _t, leaves, period, _report = setup
    report = UnitReport.objects.get(period=period, unit=world.unit_a)
    fill(world.users["officer_a"], report, leaves, FULL)
    report = services.report_submit(actor=world.users["officer_a"], report=report)
    cell = {"report": report, "criterion": leaves["I.2"]}
    with pytest.raises(ValidationError) as error:
        services.verified_score_save(
            actor=secretariat, points="18", reason="", version=None, **cell
        )
    assert error.value.message_dict["reason"] == [
        "Điểm thẩm định khác điểm tự chấm (19,5): hãy ghi lý do."
    ]
    same = services.verified_score_save(
        actor=secretariat, points="19,5", reason="", version=None, **cell
    )
    assert same.points == D("19.5") and same.justification == ""
    lowered = services.verified_score_save(
        actor=secretariat,
        points="18",
        reason="Chưa hoàn thành số hóa hồ sơ",
        version=same.version,
        **cell,
    )
    assert (lowered.points, lowered.version, lowered.justification) == (
        D(18),
        2,
        "Chưa hoàn thành số hóa hồ sơ",
    )
    history = list(lowered.history.order_by("history_date", "history_id"))
    assert [(h.points, h.history_change_reason) for h in history] == [
        (D("19.5"), None),
        (D(18), "Chưa hoàn thành số hóa hồ sơ"),
    ]
    with pytest.raises(services.CellConflict) as conflict:
        services.verified_score_save(
            actor=secretariat, points="17", reason="Khác", version=1, **cell
        )
    assert conflict.value.theirs.points == D(18)
    with pytest.raises(ValidationError) as error:
        services.verified_score_save(actor=secretariat, points="25", reason="x", version=2, **cell)
    assert error.value.message_dict == {"points": ["Điểm vượt mức tối đa 20 của tiêu chí 2."]}


def test_nobody_verifies_their_own_unit_even_as_secretariat(setup, world):
    _s, _t, leaves, _period, report = setup
    fill(world.users["officer_a"], report, leaves, FULL)
    report = services.report_submit(actor=world.users["officer_a"], report=report)
    # The secretariat of the bloc is often an officer of a member unit.
    Role.objects.create(
        user=world.users["officer_a"], kind=Role.Kind.SECRETARIAT, bloc=world.bloc_x
    )
    world.users["officer_a"] = type(world.users["officer_a"]).objects.get(
        pk=world.users["officer_a"].pk
    )
    for action in (
        lambda: services.verified_score_save(
            actor=world.users["officer_a"],
            report=report,
            criterion=leaves["I.2"],
            points="20",
            reason="",
            version=None,
        ),
        lambda: services.report_accept(actor=world.users["officer_a"], report=report),
    ):
        with pytest.raises(ValidationError, match="chính đơn vị mình"):
            action()


def test_verification_waits_for_the_report_to_be_sent(setup, world):
    secretariat, _t, leaves, _p, report = setup
    with pytest.raises(ValidationError, match="chưa thẩm định được"):
        services.verified_score_save(
            actor=secretariat,
            report=report,
            criterion=leaves["I.2"],
            points="20",
            reason="",
            version=None,
        )


def test_cross_scoring_is_by_another_member_unit_and_only_where_the_bloc_has_it(setup, world):
    secretariat, _t, leaves, _period, report = setup
    fill(world.users["officer_a"], report, leaves, FULL)
    report = services.report_submit(actor=world.users["officer_a"], report=report)
    officer_c = make_user("officer-c", full_name="Cán bộ C")
    Role.objects.create(user=officer_c, kind=Role.Kind.OFFICER, unit=world.unit_c)
    cell = {"report": report, "criterion": leaves["II.2"], "version": None}
    with pytest.raises(ValidationError, match="không chấm chéo"):
        services.verified_score_save(
            actor=officer_c, points="18", reason="", scorer_unit=world.unit_c, **cell
        )
    services.scoring_settings_set(
        actor=secretariat,
        bloc=world.bloc_x,
        year=THIS_YEAR,
        cross_scoring=True,
        vetoed_units="rank_with_flag",
        tie_break=["group:I", "women_70"],
        version=None,
    )
    score = services.verified_score_save(
        actor=officer_c, points="18", reason="", scorer_unit=world.unit_c, **cell
    )
    assert (score.scorer_unit, score.scored_by) == (world.unit_c, officer_c)
    with pytest.raises(ValidationError, match="chính đơn vị mình"):
        services.verified_score_save(
            actor=world.users["officer_a"], points="18", reason="", scorer_unit=world.unit_a, **cell
        )
    with pytest.raises(ValidationError, match="không phải thành viên"):
        services.verified_score_save(
            actor=officer_c, points="18", reason="", scorer_unit=world.unit_b, **cell
        )
    # The secretariat's own score on the same cell is a separate one.
    services.verified_score_save(
        actor=secretariat, points="17", reason="Thiếu biên bản đại hội công đoàn", **cell
    )
    assert VerifiedScore.objects.filter(report=report, criterion=leaves["II.2"]).count() == 2


def test_bloc_settings_refuse_an_unknown_tie_break_and_a_stale_save(world):
    actor = world.users["secretariat_x"]
    values = {
        "actor": actor,
        "bloc": world.bloc_x,
        "year": THIS_YEAR,
        "cross_scoring": False,
        "vetoed_units": "remove",
    }
    with pytest.raises(ValidationError) as error:
        services.scoring_settings_set(tie_break=["alphabetical"], version=None, **values)
    assert "tie_break" in error.value.message_dict
    setting = services.scoring_settings_set(tie_break=["fewer_deductions"], version=None, **values)
    services.scoring_settings_set(tie_break=["women_70"], version=setting.version, **values)
    with pytest.raises(services.ConflictError):
        services.scoring_settings_set(tie_break=["group:I"], version=setting.version, **values)


def test_nothing_changes_once_the_period_is_published(setup, world):
    secretariat, _t, leaves, period, report = setup
    fill(world.users["officer_a"], report, leaves, FULL)
    report = services.report_submit(actor=world.users["officer_a"], report=report)
    report = services.report_accept(actor=secretariat, report=report)
    period = services.period_close(actor=secretariat, period=period)
    services.period_publish(actor=secretariat, period=period)
    report = UnitReport.objects.select_related("period").get(pk=report.pk)
    score = VerifiedScore.objects.get(report=report, criterion=leaves["I.2"])
    with pytest.raises(ValidationError, match="đã công bố"):
        services.verified_score_save(
            actor=secretariat,
            report=report,
            criterion=leaves["I.2"],
            points="1",
            reason="x",
            version=score.version,
        )
    with pytest.raises(ValidationError, match="đã công bố"):
        services.report_return(actor=secretariat, report=report, reason="Sửa")
    assert ReportingPeriod.objects.get(pk=period.pk).state == "published"


def test_points_typed_after_an_evidence_upload_on_an_empty_cell_are_no_conflict(setup, world):
    _s, _t, leaves, _p, report = setup
    officer = world.users["officer_a"]
    services.evidence_add(
        actor=officer, report=report, upload=evidence_file(), criterion=leaves["I.1"]
    )
    score = services.self_score_save(
        actor=officer, report=report, criterion=leaves["I.1"], points="39", comment="", version=None
    )
    assert (score.points, score.version, score.evidence.count()) == (D(39), 2, 1)
