"""The proposal (đề nghị khen thưởng): built from the ranking or the ballot, checked line by line,
approved by that year's chair only, issued as a frozen dossier, decided into the registry."""

import datetime as dt
import io
import zipfile

import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards import dossier, services
from awards.models import AwardRecord, AwardType, Proposal, ProposalLine, ProposalTransition
from blocs.models import ChairTerm, VetoCondition
from core.models import FrozenDocument
from scoring import services as scoring_services
from tests.conftest import THIS_YEAR
from tests.scoring.test_ranking_runs import bloc_year  # noqa: F401  (the fixture)

FLAG = "co_thi_dua_tinh"
MERIT = "bang_khen_chu_tich_tinh"
GOV = "co_thi_dua_chinh_phu"


def award(code):
    return AwardType.objects.get(code=code)


@pytest.fixture
def ranked(world, bloc_year):  # noqa: F811
    secretariat = bloc_year[0]
    scoring_services.ranking_compute(
        actor=secretariat, bloc=world.bloc_x, year=THIS_YEAR, today=dt.date(THIS_YEAR, 12, 20)
    )
    return world


def text_of(document: FrozenDocument) -> str:
    with document.file.open("rb") as handle, pdfplumber.open(io.BytesIO(handle.read())) as pdf:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)


def test_a_proposal_is_built_from_the_ranking_leader_flag_others_merit(ranked):
    world = ranked
    proposal, left_out = services.proposal_build(
        actor=world.users["secretariat_x"], bloc=world.bloc_x, year=THIS_YEAR
    )
    lines = {(line.unit_id, line.award_type.code) for line in proposal.lines.all()}
    # A 105,5 leads; C 98 follows; D has no accepted report and is not ranked.
    assert lines == {(world.unit_a.pk, FLAG), (world.unit_c.pk, MERIT)}
    assert left_out == []
    first = proposal.lines.get(unit=world.unit_a)
    assert first.rank == 1 and str(first.total) == "105.50"
    assert first.eligibility["status"] in {"met", "not_met", "unknown"}
    assert ProposalTransition.objects.get(proposal=proposal).to_state == "draft"
    with pytest.raises(ValidationError):
        services.proposal_build(
            actor=world.users["secretariat_x"], bloc=world.bloc_x, year=THIS_YEAR
        )


def test_the_proposal_page_writes_totals_as_points_are_written(ranked, login):
    world = ranked
    services.proposal_build(actor=world.users["secretariat_x"], bloc=world.bloc_x, year=THIS_YEAR)
    page = (
        login(world.users["secretariat_x"])
        .get(reverse("awards:proposal_page", args=[world.bloc_x.pk, THIS_YEAR]))
        .content.decode()
    )
    # 105,5 as the ranking page and the documents write it, not the stored 105,50.
    assert '<td class="num">105,5</td>' in page
    assert "105,50" not in page


def _draft(world):
    proposal, _left = services.proposal_build(
        actor=world.users["secretariat_x"], bloc=world.bloc_x, year=THIS_YEAR
    )
    return proposal


def test_a_unit_under_a_veto_condition_is_refused_with_its_reason(world):
    VetoCondition.objects.create(
        unit=world.unit_d,
        year=THIS_YEAR,
        kind="complaint",
        description="Đơn thư đang xác minh",
        source="Công văn số 9/TTr",
        recorded_on=dt.date(THIS_YEAR, 3, 1),
    )
    proposal = _draft(world)
    with pytest.raises(ValidationError) as error:
        services.proposal_line_add(
            actor=world.users["secretariat_x"],
            proposal=proposal,
            unit=world.unit_d,
            award_type=award(MERIT),
            reason="Đề nghị thêm",
        )
    assert error.value.messages == [
        "Tòa án nhân dân tỉnh chưa được xét khen thưởng: có đơn thư khiếu nại, tố cáo đang được "
        "xem xét, giải quyết (Công văn số 9/TTr)."
    ]


def test_a_line_over_the_blocs_quota_is_refused(world):
    services.bloc_quotas_set(
        actor=world.users["secretariat_x"],
        bloc=world.bloc_x,
        year=THIS_YEAR,
        quotas={award(FLAG): (1, "Hướng dẫn 15/HD")},
    )
    proposal = _draft(world)
    actor = world.users["secretariat_x"]
    services.proposal_line_add(
        actor=actor, proposal=proposal, unit=world.unit_c, award_type=award(FLAG), reason="Dẫn đầu"
    )
    with pytest.raises(ValidationError) as error:
        services.proposal_line_add(
            actor=actor, proposal=proposal, unit=world.unit_d, award_type=award(FLAG), reason="Thêm"
        )
    assert "Năm 2026 khối được đề nghị tối đa 1 Cờ thi đua" in error.value.messages[0]


def test_the_government_flag_quota_is_checked_on_the_authoritys_selection(world, login):
    # Two blocs of the authority have members: 20 % of 2 leaders allows none. A bloc may still
    # propose it (DESIGN §7.7); the page says so, and the council's decision is refused.
    proposal = _draft(world)
    line = services.proposal_line_add(
        actor=world.users["secretariat_x"],
        proposal=proposal,
        unit=world.unit_c,
        award_type=award(GOV),
        reason="Xuất sắc",
    )
    page = (
        login(world.users["secretariat_x"])
        .get(reverse("awards:proposal_page", args=[world.bloc_x.pk, THIS_YEAR]))
        .content.decode()
    )
    assert "các khối, cụm đề nghị 1, được tặng tối đa 0" in page
    Proposal.objects.filter(pk=proposal.pk).update(
        state="sent", issued_on=dt.date(THIS_YEAR, 12, 18)
    )
    proposal.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.proposal_decide(
            actor=world.users["reviewer"],
            proposal=proposal,
            decision_number="1/QĐ-TTg",
            decision_date=dt.date(THIS_YEAR + 1, 3, 1),
            decision_body="Thủ tướng Chính phủ",
            awarded={line.pk},
        )
    assert "cả Tỉnh Phú Thịnh được tặng tối đa 0 đơn vị năm 2026" in error.value.messages[0]
    assert not AwardRecord.objects.exists()


def test_adding_or_removing_by_hand_needs_a_reason(world):
    proposal = _draft(world)
    actor = world.users["secretariat_x"]
    with pytest.raises(ValidationError):
        services.proposal_line_add(
            actor=actor, proposal=proposal, unit=world.unit_c, award_type=award(MERIT), reason=" "
        )
    line = services.proposal_line_add(
        actor=actor, proposal=proposal, unit=world.unit_c, award_type=award(MERIT), reason="Bổ sung"
    )
    with pytest.raises(ValidationError):
        services.proposal_line_remove(actor=actor, line=line, reason="")
    services.proposal_line_remove(actor=actor, line=line, reason="Trùng")
    assert not ProposalLine.objects.exists()
    assert ProposalLine.history.filter(history_type="-").get().history_change_reason == "Trùng"


def _submitted(world):
    proposal = _draft(world)
    services.proposal_line_add(
        actor=world.users["secretariat_x"],
        proposal=proposal,
        unit=world.unit_c,
        award_type=award(MERIT),
        reason="Bổ sung",
    )
    return services.proposal_submit(actor=world.users["secretariat_x"], proposal=proposal)


def test_only_this_years_chair_approves_and_a_return_needs_a_reason(world):
    proposal = _submitted(world)
    with pytest.raises(ValidationError) as error:
        services.proposal_approve(actor=world.users["chair_last_year"], proposal=proposal)
    assert error.value.messages == [
        "Chỉ đại diện Công an tỉnh, đơn vị Khối trưởng năm 2026, duyệt đề nghị này."
    ]
    with pytest.raises(ValidationError):
        services.proposal_return(actor=world.users["chair_this_year"], proposal=proposal, reason="")
    services.proposal_return(
        actor=world.users["chair_this_year"], proposal=proposal, reason="Thiếu minh chứng"
    )
    proposal.refresh_from_db()
    assert proposal.state == "returned" and proposal.editable
    services.proposal_submit(actor=world.users["secretariat_x"], proposal=proposal)
    services.proposal_approve(actor=world.users["chair_this_year"], proposal=proposal)
    proposal.refresh_from_db()
    steps = list(
        proposal.transitions.values_list("from_state", "to_state", "actor__username", "reason")
    )
    assert steps[-3:] == [
        ("submitted", "returned", "chu-tri-c", "Thiếu minh chứng"),
        ("returned", "submitted", "thu-ky-x", ""),
        ("submitted", "approved", "chu-tri-c", ""),
    ]


def _issued(world):
    proposal = _submitted(world)
    services.proposal_approve(actor=world.users["chair_this_year"], proposal=proposal)
    return services.proposal_issue(
        actor=world.users["secretariat_x"],
        proposal=proposal,
        number="12",
        symbol="TTr-KNC",
        issued_on=dt.date(THIS_YEAR, 12, 18),
        signer_prefix="TM.",
        signer_title="",
        signer_name="Đại tá Nguyễn Văn Bình",
    )


def test_issuing_freezes_the_dossier_with_codes_the_verification_page_knows(world, client):
    proposal = _issued(world)
    kinds = sorted(proposal.documents.values_list("kind", flat=True))
    assert kinds == sorted(
        [
            "awards.to_trinh",
            "awards.danh_sach",
            "awards.bien_ban_hop",
            "awards.bao_cao_thanh_tich",
            "awards.to_trinh.docx",
        ]
    )
    to_trinh = proposal.documents.get(kind="awards.to_trinh")
    text = text_of(to_trinh)
    assert "TỜ TRÌNH" in text and "Số: 12/TTr-KNC" in text
    assert (
        "ngày 18 tháng 12 năm 2026" in text
        and "Kính gửi: Hội đồng Thi đua - Khen thưởng tỉnh Phú Thịnh" in text
    )
    assert (
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh Phú Thịnh: 01 tập thể (Công an tỉnh)" in text
    )
    assert "TM. KHỐI THI ĐUA NỘI CHÍNH" in text and "Đại tá Nguyễn Văn Bình" in text
    assert to_trinh.verification_code in text
    body = client.get("/verify/", {"code": to_trinh.verification_code}).content.decode()
    assert "Mã hợp lệ" in body
    with pytest.raises(ValidationError):
        services.proposal_line_add(
            actor=world.users["secretariat_x"],
            proposal=proposal,
            unit=world.unit_d,
            award_type=award(MERIT),
            reason="Quá muộn",
        )


def test_the_danh_sach_groups_units_under_their_award_and_the_report_lists_past_awards(world):
    services.award_registry_record(
        actor=world.users["admin"],
        unit=world.unit_c,
        year=THIS_YEAR - 1,
        award_type=award(MERIT),
        decision_number="88/QĐ-UBND",
        decision_date=dt.date(THIS_YEAR, 1, 9),
        issuing_body="UBND tỉnh",
    )
    proposal = _issued(world)
    danh_sach = text_of(proposal.documents.get(kind="awards.danh_sach"))
    assert (
        "DANH SÁCH" in danh_sach
        and "Kèm theo Tờ trình số 12/TTr-KNC ngày 18 tháng 12 năm 2026" in danh_sach
    )
    assert "I Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh Phú Thịnh (01 tập thể)" in danh_sach
    report = text_of(proposal.documents.get(kind="awards.bao_cao_thanh_tich"))
    assert "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG" in report
    assert "Quyết định số 88/QĐ-UBND ngày 09/01/2026" in report


def test_the_decision_feeds_the_registry_once_and_cannot_be_recorded_twice(world):
    proposal = _issued(world)
    services.proposal_send(actor=world.users["secretariat_x"], proposal=proposal)
    line = proposal.lines.get()
    services.proposal_decide(
        actor=world.users["reviewer"],
        proposal=proposal,
        decision_number="Quyết định số 150/QĐ-UBND",
        decision_date=dt.date(THIS_YEAR + 1, 1, 15),
        decision_body="Ủy ban nhân dân tỉnh Phú Thịnh",
        awarded={line.pk},
    )
    record = AwardRecord.objects.get()
    assert (record.unit, record.year, record.decision_number, record.source) == (
        world.unit_c,
        THIS_YEAR,
        "150/QĐ-UBND",
        "proposal",
    )
    with pytest.raises(ValidationError) as error:
        services.proposal_decide(
            actor=world.users["reviewer"],
            proposal=proposal,
            decision_number="151/QĐ-UBND",
            decision_date=dt.date(THIS_YEAR + 1, 1, 16),
            decision_body="UBND",
            awarded=set(),
        )
    assert "Đã có quyết định" in error.value.messages[0]
    assert AwardRecord.objects.count() == 1


def test_the_zip_holds_every_frozen_document(world, login):
    proposal = _issued(world)
    response = login(world.users["secretariat_x"]).get(
        reverse("awards:proposal_zip", args=[proposal.pk])
    )
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert len(names) == proposal.documents.count()
    assert any(name.endswith(".docx") for name in names)


def test_the_chair_approves_through_the_page(world, login):
    proposal = _submitted(world)
    other = login(world.users["chair_last_year"]).post(
        reverse("awards:proposal_approve", args=[proposal.pk])
    )
    assert other.status_code == 403
    response = login(world.users["chair_this_year"]).post(
        reverse("awards:proposal_approve", args=[proposal.pk])
    )
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).state == "approved"


def test_the_proposal_page_has_a_fixed_query_count(world, login):
    from blocs.models import Membership
    from tests.blocs.test_views import _queries
    from tests.conftest import make_unit

    proposal = _draft(world)
    client = login(world.users["secretariat_x"])
    url = reverse("awards:proposal_page", args=[world.bloc_x.pk, THIS_YEAR])
    services.proposal_line_add(
        actor=world.users["secretariat_x"],
        proposal=proposal,
        unit=world.unit_c,
        award_type=award(MERIT),
        reason="x",
    )
    small = _queries(client, url)
    for n in range(6):
        unit = make_unit(world.authority, f"Sở thêm {n}")
        Membership.objects.create(bloc=world.bloc_x, unit=unit, year=THIS_YEAR)
        services.proposal_line_add(
            actor=world.users["secretariat_x"],
            proposal=proposal,
            unit=unit,
            award_type=award(MERIT),
            reason="x",
        )
    assert _queries(client, url) == small
    # Members, lines, quotas, award types, rules, the chair of the year, transitions, documents.
    assert small <= 10


def test_documents_render_before_issue_as_drafts(world, login):
    proposal = _draft(world)
    response = login(world.users["secretariat_x"]).get(
        reverse("awards:proposal_preview", args=[proposal.pk, "to-trinh"])
    )
    assert response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        assert "DỰ THẢO" in pdf.pages[0].extract_text()
    assert ChairTerm.objects.filter(bloc=world.bloc_x, year=THIS_YEAR).exists()
    assert dossier.bien_ban_kiem_phieu(proposal) is None  # no ballot: no tally report


def test_the_administrator_sees_proposal_lines_in_the_admin_but_cannot_change_them(world, login):
    proposal = _draft(world)
    line = services.proposal_line_add(
        actor=world.users["secretariat_x"],
        proposal=proposal,
        unit=world.unit_c,
        award_type=award(MERIT),
        reason="x",
    )
    client = login(world.users["admin"])
    changelist = reverse("admin:awards_proposalline_changelist")
    response = client.get(changelist, {"proposal__id__exact": proposal.pk})
    assert response.status_code == 200
    assert 'id="changelist"' in response.content.decode()
    assert client.get(reverse("admin:awards_proposalline_add")).status_code == 403
    assert world.unit_c.full_name in response.content.decode()
    page = client.get(reverse("admin:awards_proposalline_change", args=[line.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
