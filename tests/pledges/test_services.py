"""The pledges services: plan and regulation, movements, the pledge from draft to in force and
its corrections, achieved values, and the reminder job."""

import datetime as dt
import hashlib
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from blocs.models import Membership, Role
from core import jobs
from core.models import Job
from pledges import services
from pledges.models import (
    Achievement,
    Movement,
    Pledge,
    PledgeTransition,
    Reminder,
    Signature,
    Target,
    YearDocument,
    YearDocumentTransition,
)
from tests.conftest import LAST_YEAR, THIS_YEAR, make_unit, make_user
from tests.pledges.factories import PDF_BYTES, draft, in_force, opened, scan, sign, target

PLAN = YearDocument.Kind.PLAN
REGULATION = YearDocument.Kind.REGULATION


def _secretariat(world):
    return world.users["secretariat_x"]


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


# Plan and regulation -----------------------------------------------------------------------------


def _plan(world, *, year=THIS_YEAR, title=None, theme="Kỷ cương, trách nhiệm"):
    return services.year_document_create(
        actor=_secretariat(world),
        bloc=world.bloc_x,
        year=year,
        kind=PLAN,
        title=title or f"Kế hoạch công tác thi đua, khen thưởng năm {year}",
        theme=theme,
        summary="Mục đích, yêu cầu\n\n  Nội dung thi đua  \n",
    )


def _issue(world, document, **overrides):
    values = {
        "actor": world.users["chair_this_year"],
        "document": document,
        "version": document.version,
        "issuer_unit": world.unit_c,
        "reference": "972/KH-CTĐ7",
        "issued_on": dt.date(document.year, 4, 4),
        "signer_prefix": "TM.",
        "signer_on_behalf_of": "Khối thi đua Nội chính",
        "signer_title": "Khối trưởng",
        "signer_name": "Giám đốc Công an tỉnh",
        "scan": scan("ke-hoach.pdf"),
    }
    values.update(overrides)
    return services.year_document_issue(**values)


def test_the_secretariat_drafts_a_plan_with_its_theme_and_paragraphs(world):
    plan = _plan(world)
    assert plan.state == YearDocument.State.DRAFT and plan.revision == 1
    assert plan.theme == "Kỷ cương, trách nhiệm"
    assert plan.summary == "Mục đích, yêu cầu\nNội dung thi đua"
    step = YearDocumentTransition.objects.get(document=plan)
    assert (step.from_state, step.to_state, step.actor) == ("", "draft", _secretariat(world))


def test_a_regulation_has_no_theme_and_a_title_is_required(world):
    regulation = services.year_document_create(
        actor=_secretariat(world),
        bloc=world.bloc_x,
        year=THIS_YEAR,
        kind=REGULATION,
        title="Quy chế hoạt động",
        theme="Chủ đề không thuộc quy chế",
    )
    assert regulation.theme == ""
    with pytest.raises(ValidationError) as excinfo:
        _plan(world, title="   ")
    assert "title" in _errors(excinfo)


def test_a_year_has_one_plan(world):
    _plan(world)
    with pytest.raises(ValidationError, match="Năm 2026 đã có văn bản này"):
        _plan(world)


def test_saving_a_draft_someone_else_saved_meanwhile_is_a_conflict(world):
    plan = _plan(world)
    services.year_document_update(
        actor=_secretariat(world), document=plan, version=plan.version, title="Tên mới"
    )
    with pytest.raises(services.ConflictError):
        services.year_document_update(
            actor=_secretariat(world), document=plan, version=plan.version, title="Tên khác"
        )
    plan.refresh_from_db()
    assert plan.title == "Tên mới" and plan.version == 2
    assert plan.history.count() == 2


def test_issuing_records_number_date_signer_and_the_scan_with_its_digest(world):
    plan = _issue(world, _plan(world))
    assert plan.state == YearDocument.State.ISSUED
    assert (plan.reference, plan.issued_on) == ("972/KH-CTĐ7", dt.date(THIS_YEAR, 4, 4))
    assert plan.issued_by == world.users["chair_this_year"] and plan.issuer_unit == world.unit_c
    with plan.scan.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == plan.scan_sha256
    assert plan.scan_sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert plan.scan_type == "application/pdf"
    assert list(plan.transitions.values_list("to_state", flat=True)) == ["draft", "issued"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reference": ""}, "reference"),
        ({"reference": "KH-CTĐ7"}, "reference"),
        ({"reference": "972/"}, "reference"),
        ({"reference": "972/KH<CTĐ7>"}, "reference"),
        ({"issued_on": dt.date(THIS_YEAR + 1, 1, 5)}, "issued_on"),
        ({"signer_on_behalf_of": ""}, "signer_on_behalf_of"),
        ({"signer_prefix": "", "signer_on_behalf_of": "Khối"}, "signer_prefix"),
        ({"signer_name": " "}, "signer_name"),
        ({"signer_title": ""}, "signer_title"),
        ({"scan": None}, "scan"),
    ],
)
def test_issuing_with_bad_particulars_names_the_field_and_changes_nothing(world, overrides, field):
    plan = _plan(world)
    with pytest.raises(ValidationError) as excinfo:
        _issue(world, plan, **overrides)
    assert field in _errors(excinfo)
    plan.refresh_from_db()
    assert plan.state == YearDocument.State.DRAFT and not plan.reference and not plan.scan


def test_issuing_from_a_stale_form_or_twice_is_refused(world):
    plan = _plan(world)
    with pytest.raises(services.ConflictError):
        _issue(world, plan, version=plan.version + 5)
    issued = _issue(world, plan)
    with pytest.raises(ValidationError):
        _issue(world, issued)
    with pytest.raises(ValidationError, match="không sửa được"):
        services.year_document_update(
            actor=_secretariat(world), document=issued, version=issued.version, title="Sửa"
        )


def test_an_amendment_is_a_new_revision_and_issuing_it_supersedes_the_old(world):
    first = _issue(world, _plan(world))
    with pytest.raises(ValidationError) as excinfo:
        services.year_document_amend(actor=_secretariat(world), document=first, reason=" ")
    assert "reason" in _errors(excinfo)
    amendment = services.year_document_amend(
        actor=_secretariat(world), document=first, reason="Bổ sung chỉ tiêu chuyển đổi số"
    )
    assert (amendment.revision, amendment.supersedes, amendment.state) == (2, first, "draft")
    assert amendment.title == first.title and amendment.theme == first.theme
    with pytest.raises(ValidationError, match="đang soạn"):
        services.year_document_amend(actor=_secretariat(world), document=first, reason="Lần nữa")
    first.refresh_from_db()
    assert first.state == YearDocument.State.ISSUED  # still the one in force
    _issue(world, amendment, reference="1010/KH-CTĐ7")
    first.refresh_from_db()
    assert first.state == YearDocument.State.SUPERSEDED
    assert first.reference == "972/KH-CTĐ7" and first.scan  # kept as it was
    step = first.transitions.get(to_state="superseded")
    assert step.reason == "Bổ sung chỉ tiêu chuyển đổi số"


def test_only_an_issued_document_can_be_amended(world):
    with pytest.raises(ValidationError, match="đã ban hành"):
        services.year_document_amend(
            actor=_secretariat(world), document=_plan(world), reason="Lý do"
        )


def test_a_year_starts_from_a_copy_of_last_years_plan_and_regulation(world):
    last = _issue(world, _plan(world, year=LAST_YEAR), reference="12/KH-KNC")
    services.year_document_create(
        actor=_secretariat(world),
        bloc=world.bloc_x,
        year=LAST_YEAR,
        kind=REGULATION,
        title=f"Quy chế hoạt động năm {LAST_YEAR}",
        summary=f"Áp dụng trong năm {LAST_YEAR}.",
    )
    created = services.year_documents_copy_previous(
        actor=_secretariat(world), bloc=world.bloc_x, year=THIS_YEAR
    )
    assert {d.kind for d in created} == {PLAN, REGULATION}
    plan = next(d for d in created if d.kind == PLAN)
    regulation = next(d for d in created if d.kind == REGULATION)
    assert plan.title == f"Kế hoạch công tác thi đua, khen thưởng năm {THIS_YEAR}"
    assert plan.theme == "" and plan.reference == "" and plan.issued_on is None
    assert plan.state == YearDocument.State.DRAFT and plan.year == THIS_YEAR
    assert regulation.summary == f"Áp dụng trong năm {THIS_YEAR}."
    assert "2025" in plan.transitions.get().reason
    last.refresh_from_db()
    assert last.title.endswith(str(LAST_YEAR))  # last year's stays as it was
    again = services.year_documents_copy_previous(
        actor=_secretariat(world), bloc=world.bloc_x, year=THIS_YEAR
    )
    assert again == [] and YearDocument.objects.filter(year=THIS_YEAR).count() == 2


# Movements ----------------------------------------------------------------------------------------


def _movement(world, **values):
    defaults = {
        "name": "Phong trào “Dân vận khéo”",
        "kind": Movement.Kind.THEMATIC,
        "launched_by": Movement.Launcher.AUTHORITY,
        "launched_by_unit": None,
        "starts_on": dt.date(THIS_YEAR, 3, 1),
        "ends_on": dt.date(THIS_YEAR, 9, 30),
        "description": "",
    }
    defaults.update(values)
    return services.movement_add(
        actor=_secretariat(world), bloc=world.bloc_x, year=THIS_YEAR, **defaults
    )


def test_a_movement_launched_by_the_province_keeps_no_unit(world):
    movement = _movement(world, launched_by_unit=world.unit_a)
    assert movement.launched_by_unit is None and movement.name == "Phong trào “Dân vận khéo”"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": "  "}, "name"),
        ({"launched_by": "unit"}, "launched_by_unit"),
        ({"ends_on": dt.date(THIS_YEAR, 2, 1)}, "ends_on"),
    ],
)
def test_a_movement_with_bad_values_names_the_field(world, values, field):
    with pytest.raises(ValidationError) as excinfo:
        _movement(world, **values)
    assert field in _errors(excinfo)
    assert not Movement.objects.exists()


def test_a_movement_launched_by_a_unit_needs_a_member_of_that_year(world):
    with pytest.raises(ValidationError) as excinfo:
        _movement(world, launched_by="unit", launched_by_unit=world.unit_b)
    assert "launched_by_unit" in _errors(excinfo)
    movement = _movement(world, launched_by="unit", launched_by_unit=world.unit_a)
    assert movement.launched_by_unit == world.unit_a


def test_editing_a_movement_from_a_stale_form_is_a_conflict(world):
    movement = _movement(world)
    values = {
        "name": "Phong trào thi đua “Dân vận khéo” năm 2026",
        "kind": Movement.Kind.THEMATIC,
        "launched_by": Movement.Launcher.BLOC,
    }
    updated = services.movement_update(
        actor=_secretariat(world), movement=movement, version=movement.version, **values
    )
    assert updated.version == 2 and updated.launched_by == "bloc"
    with pytest.raises(services.ConflictError):
        services.movement_update(
            actor=_secretariat(world), movement=movement, version=movement.version, **values
        )
    assert updated.history.count() == 2


# The pledge: creating and editing -----------------------------------------------------------------


def test_a_bloc_year_has_one_pledge_and_its_first_draft_is_empty(world):
    pledge = services.pledge_create(actor=_secretariat(world), bloc=world.bloc_x, year=THIS_YEAR)
    assert pledge.state == Pledge.State.DRAFT and pledge.revision == 1
    assert pledge.title == f"Bản giao ước thi đua năm {THIS_YEAR}"
    assert pledge.commitments == [] and not pledge.targets.exists()
    with pytest.raises(ValidationError, match="đã có bản giao ước"):
        services.pledge_create(actor=_secretariat(world), bloc=world.bloc_x, year=THIS_YEAR)


def test_copying_needs_last_years_pledge(world):
    with pytest.raises(ValidationError, match="chưa có bản giao ước"):
        services.pledge_create(
            actor=_secretariat(world), bloc=world.bloc_x, year=THIS_YEAR, copy_previous=True
        )
    assert not Pledge.objects.exists()


def test_a_pledge_copied_from_last_year_moves_the_year_on_and_drops_targets_of_former_members(
    world,
):
    draft(
        world,
        year=LAST_YEAR,
        commitments=[f"Hoàn thành nhiệm vụ năm {LAST_YEAR}."],
        targets=[
            target(f"Lao động tiên tiến năm {LAST_YEAR}"),
            target("Án tồn đọng", comparison="le", value="5", measure="vụ", unit=world.unit_d),
            target("Tổ chức đảng trong sạch", kind="qualitative", unit=world.unit_a),
        ],
    )
    Membership.objects.filter(bloc=world.bloc_x, year=THIS_YEAR, unit=world.unit_d).delete()
    pledge = services.pledge_create(
        actor=_secretariat(world), bloc=world.bloc_x, year=THIS_YEAR, copy_previous=True
    )
    assert pledge.commitments == [f"Hoàn thành nhiệm vụ năm {THIS_YEAR}."]
    assert "2025" in pledge.contents_source
    copied = list(pledge.targets.order_by("position"))
    assert [(t.position, t.text, t.unit_id) for t in copied] == [
        (1, f"Lao động tiên tiến năm {LAST_YEAR}", None),
        (2, "Tổ chức đảng trong sạch", world.unit_a.pk),
    ]
    assert copied[0].value == Decimal("90") and copied[0].measure == "%"
    assert all(t.copied_from_id is None for t in copied)  # a new year is not a revision


def test_saving_a_draft_keeps_its_targets_in_order_and_guards_the_version(world):
    pledge = draft(world)
    rows = list(pledge.targets.order_by("position"))
    assert [t.text for t in rows] == [
        "Cán bộ, công chức đạt danh hiệu Lao động tiên tiến",
        "Tổ chức đảng trong sạch, vững mạnh",
        "Vụ vi phạm kỷ luật",
    ]
    assert rows[1].comparison == "" and rows[1].value is None
    assert rows[2].unit == world.unit_a
    with pytest.raises(services.ConflictError):
        services.pledge_update(
            actor=_secretariat(world),
            pledge=pledge,
            version=pledge.version - 1,
            title="Tên khác",
            preamble="",
            closing="",
            contents_source="",
            conference=None,
            signing_on=None,
            signing_place="",
            presiding_unit=None,
            commitments=[],
            targets=[],
        )
    pledge.refresh_from_db()
    assert pledge.title == f"Bản giao ước thi đua năm {THIS_YEAR}"


def _update(world, pledge, **changes):
    values = {
        "actor": _secretariat(world),
        "pledge": pledge,
        "version": pledge.version,
        "title": pledge.title,
        "preamble": "",
        "closing": "",
        "contents_source": "",
        "conference": None,
        "signing_on": None,
        "signing_place": "",
        "presiding_unit": None,
        "commitments": ["Một nội dung."],
        "targets": [],
    }
    values.update(changes)
    return services.pledge_update(**values)


@pytest.mark.parametrize(
    "problem",
    ["no_value", "no_comparison", "outsider_target", "outsider_presiding", "bad_year", "no_title"],
)
def test_a_draft_with_bad_contents_is_refused_and_stays_as_it_was(world, problem):
    pledge = draft(world)
    before = pledge.version
    changes = {
        "no_value": {"targets": [target("Lao động tiên tiến", value=None)]},
        "no_comparison": {"targets": [target("Lao động tiên tiến", comparison="")]},
        "outsider_target": {"targets": [target("Chỉ tiêu riêng", unit=world.unit_b)]},
        "outsider_presiding": {"presiding_unit": world.unit_b},
        "bad_year": {"signing_on": dt.date(THIS_YEAR - 3, 1, 1)},
        "no_title": {"title": "  "},
    }[problem]
    with pytest.raises(ValidationError):
        _update(world, pledge, **changes)
    pledge.refresh_from_db()
    assert pledge.version == before and pledge.targets.count() == 3


def test_an_empty_pledge_cannot_be_opened(world):
    pledge = services.pledge_create(actor=_secretariat(world), bloc=world.bloc_x, year=THIS_YEAR)
    with pytest.raises(ValidationError, match="chưa có nội dung"):
        services.pledge_open(actor=_secretariat(world), pledge=pledge)


def test_opening_fixes_the_contents(world):
    pledge = opened(world)
    assert pledge.state == Pledge.State.OPEN
    with pytest.raises(ValidationError, match="không sửa được"):
        _update(world, pledge)
    with pytest.raises(ValidationError):
        services.pledge_open(actor=_secretariat(world), pledge=pledge)
    assert list(pledge.transitions.values_list("to_state", flat=True)) == ["draft", "open"]


# Signing ------------------------------------------------------------------------------------------


def test_a_signature_is_refused_before_the_pledge_is_open(world):
    pledge = draft(world)
    with pytest.raises(ValidationError, match="không ở giai đoạn ký kết"):
        sign(world, pledge, world.unit_a)
    assert not Signature.objects.exists()


def test_a_unit_outside_the_bloc_that_year_cannot_sign(world):
    pledge = opened(world)
    with pytest.raises(ValidationError, match="không phải thành viên"):
        sign(world, pledge, world.unit_b)
    assert not Signature.objects.exists()


def _record(world, pledge, unit, **overrides):
    values = {
        "actor": world.users["officer_a"],
        "pledge": pledge,
        "unit": unit,
        "method": Signature.Method.RECORDED,
        "signer_name": "Nguyễn Văn An",
        "signer_title": "Viện trưởng",
        "signer_prefix": "",
        "signer_on_behalf_of": "",
        "signed_on": dt.date(THIS_YEAR, 3, 15),
        "scan": None,
        "today": dt.date(THIS_YEAR, 3, 20),
    }
    values.update(overrides)
    return services.signature_record(**values)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"signer_name": " "}, "signer_name"),
        ({"signer_title": ""}, "signer_title"),
        ({"signer_prefix": "XX."}, "signer_prefix"),
        ({"signer_prefix": "KT."}, "signer_on_behalf_of"),
        ({"signed_on": dt.date(THIS_YEAR, 3, 21)}, "signed_on"),
        ({"signed_on": dt.date(THIS_YEAR - 2, 3, 1)}, "signed_on"),
        ({"method": Signature.Method.PAPER}, "scan"),
    ],
)
def test_a_signature_with_bad_particulars_names_the_field(world, overrides, field):
    pledge = opened(world)
    with pytest.raises(ValidationError) as excinfo:
        _record(world, pledge, world.unit_a, **overrides)
    assert field in _errors(excinfo)
    assert not Signature.objects.exists()


def test_a_unit_signs_once(world):
    pledge = opened(world)
    first = _record(
        world, pledge, world.unit_a, signer_prefix="KT.", signer_on_behalf_of="Viện trưởng"
    )
    assert (first.signer_prefix, first.signer_on_behalf_of) == ("KT.", "Viện trưởng")
    assert first.recorded_by == world.users["officer_a"] and not first.scan
    with pytest.raises(ValidationError, match="đã ký"):
        _record(world, pledge, world.unit_a, signer_name="Người khác")
    assert Signature.objects.count() == 1


def test_the_pledge_is_in_force_when_every_member_of_the_year_has_signed(world):
    pledge = opened(world)
    sign(world, pledge, world.unit_a, day=dt.date(THIS_YEAR, 3, 15))
    sign(world, pledge, world.unit_d, day=dt.date(THIS_YEAR, 3, 19))
    pledge.refresh_from_db()
    assert pledge.state == Pledge.State.OPEN and pledge.document is None
    sign(world, pledge, world.unit_c, day=dt.date(THIS_YEAR, 3, 17))
    pledge.refresh_from_db()
    assert pledge.state == Pledge.State.IN_FORCE
    assert pledge.in_force_on == dt.date(THIS_YEAR, 3, 19)  # the last day anyone signed
    frozen = pledge.document
    with frozen.file.open("rb") as stored:
        data = stored.read()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == frozen.sha256
    assert frozen.kind == "pledges.pledge" and frozen.size == len(data)
    assert list(pledge.transitions.values_list("to_state", flat=True)) == [
        "draft",
        "open",
        "in_force",
    ]


def test_last_years_members_do_not_count_towards_this_year(world):
    Membership.objects.filter(bloc=world.bloc_x, year=THIS_YEAR, unit=world.unit_d).delete()
    pledge = opened(world)
    sign(world, pledge, world.unit_a)
    sign(world, pledge, world.unit_c)
    pledge.refresh_from_db()
    assert pledge.is_in_force


def test_a_pledge_in_force_cannot_be_edited_signed_again_or_reopened(world):
    pledge = in_force(world)
    frozen = (pledge.document_id, pledge.document.sha256)
    with pytest.raises(ValidationError):
        _update(world, pledge, title="Sửa sau khi ký")
    with pytest.raises(ValidationError):
        sign(world, pledge, world.unit_a)
    with pytest.raises(ValidationError):
        services.pledge_reopen(actor=_secretariat(world), pledge=pledge, reason="Sửa")
    with pytest.raises(ValidationError):
        services.pledge_open(actor=_secretariat(world), pledge=pledge)
    pledge.refresh_from_db()
    assert pledge.state == Pledge.State.IN_FORCE
    assert (pledge.document_id, pledge.document.sha256) == frozen
    assert Signature.objects.filter(pledge=pledge, voided_at__isnull=True).count() == 3


def test_reopening_voids_the_signatures_but_keeps_them(world):
    pledge = opened(world)
    signed = sign(world, pledge, world.unit_a)
    with pytest.raises(ValidationError) as excinfo:
        services.pledge_reopen(actor=_secretariat(world), pledge=pledge, reason="")
    assert "reason" in _errors(excinfo)
    services.pledge_reopen(
        actor=_secretariat(world), pledge=pledge, reason="Thêm chỉ tiêu chuyển đổi số"
    )
    pledge.refresh_from_db()
    assert pledge.state == Pledge.State.DRAFT
    signed.refresh_from_db()
    assert signed.voided_at is not None and signed.voided_reason == "Thêm chỉ tiêu chuyển đổi số"
    assert signed.history.first().history_user == _secretariat(world)
    step = pledge.transitions.get(from_state="open", to_state="draft")
    assert step.reason == "Thêm chỉ tiêu chuyển đổi số"
    # Open again: the unit signs anew beside its voided signature.
    services.pledge_open(actor=_secretariat(world), pledge=pledge)
    sign(world, pledge, world.unit_a, name="Trần Thị Bình")
    names = dict(
        Signature.objects.filter(unit=world.unit_a).values_list("signer_name", "voided_at")
    )
    assert set(names) == {"Nguyễn Văn An", "Trần Thị Bình"}
    assert names["Trần Thị Bình"] is None and names["Nguyễn Văn An"] is not None


def test_only_an_open_pledge_can_go_back_to_draft(world):
    with pytest.raises(ValidationError, match="đang ký kết"):
        services.pledge_reopen(actor=_secretariat(world), pledge=draft(world), reason="Lý do")


# Corrections -------------------------------------------------------------------------------------


def test_a_correction_is_a_new_linked_revision_and_the_old_one_stays_in_force_until_signed(world):
    first = in_force(world)
    with pytest.raises(ValidationError) as excinfo:
        services.pledge_correct(actor=_secretariat(world), pledge=first, reason="  ")
    assert "reason" in _errors(excinfo)
    second = services.pledge_correct(
        actor=_secretariat(world), pledge=first, reason="Sửa mức chỉ tiêu Lao động tiên tiến"
    )
    assert (second.revision, second.supersedes, second.state) == (2, first, "draft")
    assert second.correction_reason == "Sửa mức chỉ tiêu Lao động tiên tiến"
    assert second.commitments == first.commitments and second.document is None
    copies = list(second.targets.order_by("position"))
    assert [t.copied_from_id for t in copies] == list(
        first.targets.order_by("position").values_list("pk", flat=True)
    )
    with pytest.raises(ValidationError, match="đang soạn hoặc đang ký"):
        services.pledge_correct(actor=_secretariat(world), pledge=first, reason="Lần nữa")
    first.refresh_from_db()
    assert first.state == Pledge.State.IN_FORCE
    services.pledge_open(actor=_secretariat(world), pledge=second)
    for unit in (world.unit_a, world.unit_c, world.unit_d):
        sign(world, second, unit, day=dt.date(THIS_YEAR, 6, 1))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (Pledge.State.SUPERSEDED, Pledge.State.IN_FORCE)
    assert second.in_force_on == dt.date(THIS_YEAR, 6, 1)
    assert first.document_id != second.document_id and first.document.sha256
    assert first.transitions.get(to_state="superseded").reason == (
        "Sửa mức chỉ tiêu Lao động tiên tiến"
    )


def test_only_a_pledge_in_force_can_be_corrected(world):
    with pytest.raises(ValidationError, match="đang có hiệu lực"):
        services.pledge_correct(actor=_secretariat(world), pledge=opened(world), reason="Lý do")


def test_achieved_values_carry_over_to_the_correction_that_comes_into_force(world):
    first = in_force(world)
    common = first.targets.get(position=1)
    services.achievements_save(
        actor=world.users["officer_a"],
        pledge=first,
        unit=world.unit_a,
        rows=[services.AchievementInput(common, Decimal("93.5"), None, "Báo cáo 6 tháng", None)],
    )
    second = services.pledge_correct(actor=_secretariat(world), pledge=first, reason="Sửa")
    services.pledge_open(actor=_secretariat(world), pledge=second)
    for unit in (world.unit_a, world.unit_c, world.unit_d):
        sign(world, second, unit, day=dt.date(THIS_YEAR, 6, 1))
    carried = Achievement.objects.get(target__pledge=second, unit=world.unit_a)
    assert carried.target.copied_from == common
    assert (carried.value, carried.note) == (Decimal("93.500"), "Báo cáo 6 tháng")
    assert Achievement.objects.filter(target__pledge=first).count() == 1  # the old one stays


# Achieved values -------------------------------------------------------------------------------


def _targets(pledge):
    return list(pledge.targets.order_by("position"))


def test_achieved_values_are_only_for_the_pledge_in_force(world):
    pledge = opened(world)
    with pytest.raises(ValidationError, match="đang có hiệu lực"):
        services.achievements_save(
            actor=_secretariat(world),
            pledge=pledge,
            unit=world.unit_a,
            rows=[services.AchievementInput(_targets(pledge)[0], Decimal("95"), None, "", None)],
        )


def test_a_unit_records_a_value_and_a_judgement_and_unchanged_rows_are_not_written(world):
    pledge = in_force(world)
    quantitative, qualitative, own = _targets(pledge)
    rows = [
        services.AchievementInput(quantitative, Decimal("92"), True, " Báo cáo tổng kết ", None),
        services.AchievementInput(qualitative, Decimal("7"), True, "", None),
        services.AchievementInput(own, None, None, "", None),  # nothing entered: no row
    ]
    assert (
        services.achievements_save(
            actor=world.users["officer_a"], pledge=pledge, unit=world.unit_a, rows=rows
        )
        == 2
    )
    saved = {a.target_id: a for a in Achievement.objects.filter(unit=world.unit_a)}
    assert set(saved) == {quantitative.pk, qualitative.pk}
    assert (saved[quantitative.pk].value, saved[quantitative.pk].judged_met) == (
        Decimal("92"),
        None,
    )
    assert (saved[qualitative.pk].value, saved[qualitative.pk].judged_met) == (None, True)
    assert saved[quantitative.pk].note == "Báo cáo tổng kết"
    again = [
        services.AchievementInput(quantitative, Decimal("92"), None, "Báo cáo tổng kết", 1),
        services.AchievementInput(qualitative, None, True, "", 1),
    ]
    assert (
        services.achievements_save(
            actor=world.users["officer_a"], pledge=pledge, unit=world.unit_a, rows=again
        )
        == 0
    )


def test_a_new_value_raises_the_version_and_keeps_the_old_one_in_history(world):
    pledge = in_force(world)
    quantitative = _targets(pledge)[0]
    officer = world.users["officer_a"]
    services.achievements_save(
        actor=officer,
        pledge=pledge,
        unit=world.unit_a,
        rows=[services.AchievementInput(quantitative, Decimal("88"), None, "", None)],
    )
    services.achievements_save(
        actor=_secretariat(world),
        pledge=pledge,
        unit=world.unit_a,
        rows=[services.AchievementInput(quantitative, Decimal("91"), None, "Đã thẩm định", 1)],
    )
    achievement = Achievement.objects.get()
    assert (achievement.value, achievement.version) == (Decimal("91"), 2)
    assert achievement.entered_by == _secretariat(world)
    values = list(achievement.history.order_by("history_id").values_list("value", flat=True))
    assert values == [Decimal("88"), Decimal("91")]


def test_a_value_someone_else_saved_meanwhile_is_a_conflict_and_nothing_is_written(world):
    pledge = in_force(world)
    quantitative, qualitative, _own = _targets(pledge)
    officer = world.users["officer_a"]
    services.achievements_save(
        actor=officer,
        pledge=pledge,
        unit=world.unit_a,
        rows=[services.AchievementInput(quantitative, Decimal("88"), None, "", None)],
    )
    # A form opened before that save: the row had no version yet.
    with pytest.raises(services.ConflictError):
        services.achievements_save(
            actor=_secretariat(world),
            pledge=pledge,
            unit=world.unit_a,
            rows=[
                services.AchievementInput(qualitative, None, True, "", None),
                services.AchievementInput(quantitative, Decimal("70"), None, "", None),
            ],
        )
    assert Achievement.objects.get().value == Decimal("88")
    with pytest.raises(services.ConflictError):
        services.achievements_save(
            actor=_secretariat(world),
            pledge=pledge,
            unit=world.unit_a,
            rows=[services.AchievementInput(quantitative, Decimal("70"), None, "", 7)],
        )
    assert Achievement.objects.get().value == Decimal("88")


def test_a_units_own_target_takes_no_value_from_another_unit(world):
    pledge = in_force(world)
    own_of_a = _targets(pledge)[2]
    with pytest.raises(ValidationError, match="không áp dụng"):
        services.achievements_save(
            actor=_secretariat(world),
            pledge=pledge,
            unit=world.unit_c,
            rows=[services.AchievementInput(own_of_a, Decimal("0"), None, "", None)],
        )
    assert not Achievement.objects.exists()


# Reminders ----------------------------------------------------------------------------------------


def _officer(world, unit, username, email, *, active=True):
    user = make_user(username, email=email, full_name=username, is_active=active)
    Role.objects.create(user=user, kind=Role.Kind.OFFICER, unit=unit)
    return user


def _remind(world, pledge, day=dt.date(THIS_YEAR, 3, 16)):
    return services.reminder_request(
        actor=_secretariat(world),
        pledge=pledge,
        today=day,
        page_url="https://thiduea.example/blocs/1/2026/pledge/",
    )


def test_a_reminder_is_only_for_a_pledge_being_signed(world):
    with pytest.raises(ValidationError, match="đang ký kết"):
        _remind(world, draft(world))
    assert not Reminder.objects.exists() and not Job.objects.exists()


def test_a_reminder_asked_from_a_page_loaded_before_the_last_signature_is_refused(world):
    pledge = opened(world)
    loaded = Pledge.objects.get(pk=pledge.pk)  # the page's copy, still "open"
    for unit in (world.unit_a, world.unit_c, world.unit_d):
        sign(world, pledge, unit)
    with pytest.raises(ValidationError, match="đang ký kết"):
        _remind(world, loaded)
    assert not Reminder.objects.exists() and not Job.objects.exists()


def test_one_reminder_per_pledge_and_day(world):
    pledge = opened(world)
    first, created = _remind(world, pledge)
    assert created and first.job.kind == "pledges.remind"
    assert first.job.params["reminder_id"] == first.pk
    again, created_again = _remind(world, pledge)
    assert again == first and not created_again
    assert Reminder.objects.count() == 1 and Job.objects.count() == 1
    tomorrow, created_tomorrow = _remind(world, pledge, dt.date(THIS_YEAR, 3, 17))
    assert created_tomorrow and tomorrow != first and Job.objects.count() == 2


def test_the_reminder_job_mails_only_the_officers_of_units_that_have_not_signed(world):
    world.users["officer_a"].email = "canbo-a@vks.gov.vn"
    world.users["officer_a"].save()
    _officer(world, world.unit_a, "officer-a2", "canbo-a2@vks.gov.vn")
    _officer(world, world.unit_a, "officer-a-old", "nghi-huu@vks.gov.vn", active=False)
    _officer(world, world.unit_c, "officer-c", "canbo-c@ca.gov.vn")
    _officer(world, world.unit_b, "officer-b2", "canbo-b@stc.gov.vn")  # another bloc
    pledge = opened(world)
    sign(world, pledge, world.unit_c)
    reminder, _created = _remind(world, pledge)
    assert jobs.run(reminder.job.pk, task_id="t1") == "done"
    assert len(mail.outbox) == 1  # unit A only; D has no officer with an email
    (message,) = mail.outbox
    assert sorted(message.to) == ["canbo-a2@vks.gov.vn", "canbo-a@vks.gov.vn"]
    assert "Viện kiểm sát nhân dân tỉnh" in message.body
    assert "https://thiduea.example/blocs/1/2026/pledge/" in message.body
    assert "2026" in message.subject and "Khối thi đua Nội chính" in message.subject
    reminder.refresh_from_db()
    assert reminder.sent_at is not None
    assert [d["unit_id"] for d in reminder.deliveries] == [world.unit_a.pk, world.unit_d.pk]
    job = Job.objects.get(pk=reminder.job.pk)
    assert job.state == Job.State.DONE
    assert job.result["without_email"] == ["Tòa án nhân dân tỉnh"]
    # The same message delivered again finds the job done and sends nothing.
    assert jobs.run(reminder.job.pk, task_id="t2") == "skipped"
    assert len(mail.outbox) == 1


def test_a_reminder_run_cut_off_and_run_again_mails_no_unit_twice(world):
    _officer(world, world.unit_a, "officer-a2", "canbo-a@vks.gov.vn")
    _officer(world, world.unit_c, "officer-c", "canbo-c@ca.gov.vn")
    _officer(world, world.unit_d, "officer-d", "canbo-d@toaan.gov.vn")
    pledge = opened(world)
    reminder, _created = _remind(world, pledge)
    real_send = mail.EmailMessage.send
    sent = []

    def send_then_fail(message, *args, **kwargs):
        if len(sent) == 2:
            raise ConnectionError("SMTP went away")
        sent.append(message.to)
        return real_send(message, *args, **kwargs)

    with mock.patch.object(mail.EmailMessage, "send", send_then_fail):
        assert jobs.run(reminder.job.pk, task_id="t1") == "failed"
    assert [m.to for m in mail.outbox] == [["canbo-a@vks.gov.vn"], ["canbo-c@ca.gov.vn"]]
    job = Job.objects.get(pk=reminder.job.pk)
    jobs.job_retry(job=job, actor=_secretariat(world))
    assert jobs.run(job.pk, task_id="t2") == "done"
    recipients = [m.to[0] for m in mail.outbox]
    assert recipients == ["canbo-a@vks.gov.vn", "canbo-c@ca.gov.vn", "canbo-d@toaan.gov.vn"]
    reminder.refresh_from_db()
    assert len(reminder.deliveries) == 3 and reminder.sent_at


def test_a_reminder_run_after_everyone_signed_mails_nobody(world):
    _officer(world, world.unit_a, "officer-a2", "canbo-a@vks.gov.vn")
    pledge = opened(world)
    reminder, _created = _remind(world, pledge)
    for unit in (world.unit_a, world.unit_c, world.unit_d):
        sign(world, pledge, unit)
    assert jobs.run(reminder.job.pk, task_id="t1") == "done"
    assert mail.outbox == []


def test_a_late_joiner_without_officers_is_reported_without_email(world):
    late = make_unit(world.authority, "Sở Ngoại vụ")
    Membership.objects.create(bloc=world.bloc_x, unit=late, year=THIS_YEAR, position=9)
    pledge = opened(world)
    for unit in (world.unit_a, world.unit_c, world.unit_d):
        sign(world, pledge, unit)
    reminder, _created = _remind(world, pledge)
    jobs.run(reminder.job.pk, task_id="t1")
    assert Job.objects.get(pk=reminder.job.pk).result["without_email"] == ["Sở Ngoại vụ"]
    assert PledgeTransition.objects.filter(pledge=pledge, to_state="in_force").count() == 0
    assert Target.objects.filter(pledge=pledge).count() == 3
