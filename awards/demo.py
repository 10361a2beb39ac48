"""Awards of the seed blocs (SCENARIOS.md A and C): registry, quotas, a ballot and proposals.

INVENTED where the articles are silent, and marked as such here:

- the award registry of scenario A's six units for 2020 and 2021 and of scenario C's boards
  for 2021 (decision numbers and dates are invented; they give the "consecutive years" rules
  something to read);
- which of scenario A's units belong to the armed forces is a fact (the city command, the
  border guard, the police); their profile is set so the Đơn vị quyết thắng rules apply;
- scenario A's ballot at the year-end conference of 16/12/2022: the article says the proposal
  was unanimous, so every unit's ballot agrees with it; the Tờ trình's number (25/TTr-KTĐVIII)
  and date (20/12/2022) are invented, the signer is the chair's representative the article
  names (Thiếu tướng Phan Văn Xựng);
- scenario C (seed 002) reports 1 Cờ thi đua của Chính phủ, 2 Cờ thi đua của UBND tỉnh and
  3 Bằng khen but not which boards: the assignment to boards is invented. The province in the
  demo has only that bloc, so the page shows the Government flag over the province's quota.

Idempotent: every step looks for what it would create first. It runs after the scoring demo
(scenario A's ranking).
"""

import datetime as dt

from django.contrib.auth import get_user_model

from awards import services
from awards.models import AwardRecord, AwardType, Ballot, Proposal
from blocs.models import Authority, Bloc, Membership, Role, Unit

FLAG = "co_thi_dua_tinh"
MERIT = "bang_khen_chu_tich_tinh"
GOV = "co_thi_dua_chinh_phu"


def _award(code):
    return AwardType.objects.get(code=code)


def _bloc(authority_code, bloc_code):
    authority = Authority.objects.filter(code=authority_code).first()
    return Bloc.objects.filter(authority=authority, code=bloc_code).first() if authority else None


def _members(bloc, year):
    return [
        m.unit
        for m in Membership.objects.filter(bloc=bloc, year=year)
        .select_related("unit")
        .order_by("position")
    ]


def _record(actor, unit, year, code, number, day, body):
    if AwardRecord.objects.filter(unit=unit, year=year, award_type__code=code).exists():
        return
    services.award_registry_record(
        actor=actor,
        unit=unit,
        year=year,
        award_type=_award(code),
        decision_number=number,
        decision_date=day,
        issuing_body=body,
        note="Dữ liệu minh họa",
    )


def _registry(actor, bloc_a, bloc_c):
    if bloc_a:
        body = "Ủy ban nhân dân Thành phố Hồ Chí Minh"
        for index, unit in enumerate(_members(bloc_a, 2022)):
            for year in (2020, 2021):
                code = FLAG if (year == 2021 and index == 0) else MERIT
                number = f"{(year - 2000) * 100 + index + 1}/QĐ-UBND"
                _record(actor, unit, year, code, number, dt.date(year + 1, 1, 15 + index), body)
        for name in (
            "Bộ Tư lệnh Thành phố",
            "Bộ Chỉ huy Bộ đội Biên phòng Thành phố",
            "Công an Thành phố",
        ):
            unit = Unit.objects.filter(authority=bloc_a.authority, full_name=name).first()
            if unit:
                services.unit_profile_set(actor=actor, unit=unit, armed_forces=True)
    if bloc_c:
        for index, unit in enumerate(_members(bloc_c, 2022)[:4]):
            _record(
                actor,
                unit,
                2021,
                MERIT,
                f"{120 + index}/QĐ-UBND",
                dt.date(2022, 1, 20),
                "Ủy ban nhân dân tỉnh",
            )


def _ballot_a(actor, bloc):
    if Ballot.objects.filter(bloc=bloc, year=2022).exists():
        return
    units = _members(bloc, 2022)
    ballot = services.ballot_create(
        actor=actor,
        bloc=bloc,
        year=2022,
        title="Bình xét thi đua, khen thưởng năm 2022",
        mode=Ballot.Mode.ONLINE,
        base=Ballot.Base.ALL,
        threshold="50",
        threshold_strict=True,
        closes_at=None,
        held_on=dt.date(2022, 12, 16),
        counting_committee="Trưởng ban: đại diện Viện kiểm sát nhân dân Thành phố\n"
        "Thành viên: đại diện Cục Thi hành án dân sự Thành phố",
    )
    flag = services.ballot_item_add(
        actor=actor, ballot=ballot, award_type=_award(FLAG), max_choices=1
    )
    merit = services.ballot_item_add(
        actor=actor, ballot=ballot, award_type=_award(MERIT), max_choices=5
    )
    services.ballot_candidates_set(actor=actor, item=flag, units=units[:1])
    services.ballot_candidates_set(actor=actor, item=merit, units=units[1:])
    ballot = services.ballot_open(actor=actor, ballot=ballot)
    choices = {
        str(flag.pk): list(flag.candidates.values_list("pk", flat=True)),
        str(merit.pk): list(merit.candidates.values_list("pk", flat=True)),
    }
    officers = {
        role.unit_id: role.user
        for role in Role.objects.filter(kind=Role.Kind.OFFICER, unit__in=units).select_related(
            "user"
        )
    }
    for unit in units:
        services.ballot_cast(
            actor=officers.get(unit.pk, actor), ballot=ballot, unit=unit, choices=choices
        )
    services.ballot_close(actor=actor, ballot=ballot)


def _proposal_a(secretariat, bloc):
    User = get_user_model()
    chair = User.objects.filter(username="chutri-a").first()
    proposal = Proposal.objects.filter(bloc=bloc, year=2022).first()
    if proposal is None:
        proposal, _left = services.proposal_build(actor=secretariat, bloc=bloc, year=2022)
        proposal.summary = (
            "Năm 2022, các đơn vị thành viên Khối thi đua VIII thực hiện tốt giao ước thi đua, "
            "hoàn thành xuất sắc nhiệm vụ chính trị được giao, bảo đảm quốc phòng, an ninh và "
            "trật tự, an toàn xã hội trên địa bàn Thành phố. Tại Hội nghị tổng kết ngày "
            "16/12/2022, các đơn vị thống nhất 100% đề nghị khen thưởng như sau."
        )
        proposal.save(update_fields=["summary"])
    if proposal.state == Proposal.State.DRAFT:
        proposal = services.proposal_submit(actor=secretariat, proposal=proposal)
    if proposal.state == Proposal.State.SUBMITTED and chair:
        proposal = services.proposal_approve(actor=chair, proposal=proposal)
    if proposal.state == Proposal.State.APPROVED:
        services.proposal_issue(
            actor=secretariat,
            proposal=proposal,
            number="25",
            symbol="TTr-KTĐVIII",
            issued_on=dt.date(2022, 12, 20),
            signer_prefix="TM.",
            signer_title="",
            signer_name="Thiếu tướng Phan Văn Xựng",
        )


def _proposal_c(secretariat, bloc):
    if Proposal.objects.filter(bloc=bloc, year=2022).exists():
        return
    services.bloc_quotas_set(
        actor=secretariat,
        bloc=bloc,
        year=2022,
        quotas={
            _award(GOV): (1, "Theo kết quả hội nghị tổng kết ngày 01/12/2022 (minh họa)"),
            _award(FLAG): (2, "Theo kết quả hội nghị tổng kết ngày 01/12/2022 (minh họa)"),
            _award(MERIT): (3, "Theo kết quả hội nghị tổng kết ngày 01/12/2022 (minh họa)"),
        },
    )
    proposal, _left = services.proposal_build(actor=secretariat, bloc=bloc, year=2022)
    units = _members(bloc, 2022)
    plan = [(units[0], GOV)] + [(u, FLAG) for u in units[1:3]] + [(u, MERIT) for u in units[3:6]]
    for unit, code in plan:
        services.proposal_line_add(
            actor=secretariat,
            proposal=proposal,
            unit=unit,
            award_type=_award(code),
            reason="Theo biên bản hội nghị tổng kết ngày 01/12/2022 (đơn vị cụ thể: minh họa)",
        )


def load() -> list:
    User = get_user_model()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    secretariat = User.objects.filter(username="thuky").first() or admin
    bloc_a = _bloc("hcm", "VIII")
    bloc_c = _bloc("tinh-ban-dang", "BĐ")
    _registry(admin, bloc_a, bloc_c)
    if bloc_a:
        _ballot_a(secretariat, bloc_a)
        _proposal_a(secretariat, bloc_a)
    if bloc_c:
        _proposal_c(secretariat, bloc_c)
    return []
