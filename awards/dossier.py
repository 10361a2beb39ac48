"""The proposal's dossier (hồ sơ đề nghị khen thưởng): the Tờ trình, the Danh sách, the two Biên
bản and one Báo cáo thành tích per proposed unit, as Vietnamese administrative documents
(Nghị định 30/2020/NĐ-CP), plus the Word twin of the Tờ trình and one ZIP of everything.

Each document's context is built from the database here (one place), rendered by
``core.documents`` with templates under ``templates/pdf/``, and frozen when the proposal is
issued: SHA-256, and a verification code printed at the foot of every page. Documents are
Vietnamese whatever the reader's language.
"""

import io
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from awards import selectors
from awards.models import Proposal, ProposalLine, VoterRollEntry
from blocs.models import ChairTerm, Conference, Membership
from blocs.selectors import unit_year_facts
from core import admin_format, documents
from core.admin_format import ON_BEHALF, Signer, upper
from core.uploads import DOCX


@dataclass(frozen=True)
class Rendered:
    kind: str
    title: str
    filename: str
    template: str
    context: dict


def _number(value) -> str:
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _common(proposal: Proposal) -> dict:
    """What every document of the dossier shares: the issuing chair unit, the place and date."""
    bloc = proposal.bloc
    term = ChairTerm.objects.filter(bloc=bloc, year=proposal.year).select_related("chair").first()
    names = {unit.pk: name for unit, name in selectors.bloc_members(bloc=bloc, year=proposal.year)}
    chair_name = names.get(term.chair_id, str(term.chair)) if term else ""
    day = proposal.issued_on or timezone.localdate()
    return {
        "bloc": bloc,
        "year": proposal.year,
        "word": "cụm" if bloc.kind == bloc.Kind.CLUSTER else "khối",
        "issuer_parent": upper(bloc.name) if chair_name else "",
        "issuer_name": upper(chair_name or bloc.name),
        "chair_name": chair_name,
        "place_date": admin_format.place_date_line(
            admin_format.place_name(bloc.authority.name), day
        ),
        "day": day,
        "names": names,
        "signer": Signer(
            prefix=proposal.signer_prefix or ON_BEHALF,
            on_behalf_of=bloc.name,
            title=proposal.signer_title or str(bloc.chair_word),
            name=proposal.signer_name,
        ),
    }


def _lines_by_award(proposal: Proposal, names: dict) -> list[dict]:
    groups = OrderedDict()
    authority = proposal.bloc.authority
    for line in proposal.lines.select_related("unit", "award_type").order_by(
        "award_type__order", "order", "pk"
    ):
        group = groups.setdefault(
            line.award_type_id, {"award": line.award_type.name_for(authority), "lines": []}
        )
        achievement = []
        if line.total is not None:
            achievement.append(f"{_number(line.total)} điểm")
        if line.rank is not None:
            achievement.append(f"xếp thứ {line.rank}")
        if line.votes is not None:
            achievement.append(f"{line.votes} phiếu đồng ý ({_number(line.votes_percent)}%)")
        group["lines"].append(
            {
                "unit": names.get(line.unit_id, line.unit.full_name),
                "achievement": ", ".join(achievement),
                "note": line.added_reason,
                "line": line,
            }
        )
    return list(groups.values())


def to_trinh(proposal: Proposal, *, common: dict | None = None) -> Rendered:
    common = common or _common(proposal)
    bloc, year = proposal.bloc, proposal.year
    bases = selectors.legal_basis_lines(authority=bloc.authority, on=common["day"])
    from pledges.selectors import year_documents_in_force

    for document in year_documents_in_force(bloc=bloc, year=year).values():
        when = f" ngày {document.issued_on:%d/%m/%Y}" if document.issued_on else ""
        bases.append(
            f"Căn cứ {document.get_kind_display()} số {document.reference}{when} của {bloc.name}"
        )
    conference = (
        Conference.objects.filter(bloc=bloc, year=year, kind=Conference.Kind.YEAR_END)
        .order_by("held_on")
        .first()
    )
    review = f"Căn cứ kết quả chấm điểm, bình xét thi đua năm {year} của {bloc.name}"
    if conference:
        review += f" tại Hội nghị tổng kết ngày {conference.held_on:%d/%m/%Y}"
    bases.append(review)
    groups = _lines_by_award(proposal, common["names"])
    summary = [line for line in proposal.summary.splitlines() if line.strip()] or [
        f"Năm {year}, các đơn vị thành viên {bloc.name} đã thực hiện tốt các nội dung giao ước "
        "thi đua, hoàn thành nhiệm vụ được giao. Trên cơ sở kết quả chấm điểm và bình xét, "
        f"{bloc.name} đã thống nhất đề nghị khen thưởng các tập thể có thành tích xuất sắc."
    ]
    reference = admin_format.reference_line(proposal.number or None, proposal.symbol or "TTr")
    return Rendered(
        kind="awards.to_trinh",
        title=f"Tờ trình đề nghị khen thưởng năm {year} — {bloc.name}",
        filename=f"to-trinh-{bloc.pk}-{year}.pdf",
        template="pdf/to_trinh.html",
        context={
            **common,
            "doc_title": "TỜ TRÌNH",
            "reference": reference,
            "subtitle": f"Về việc đề nghị khen thưởng năm {year}",
            "addressee": bloc.authority.council_name,
            "bases": bases,
            "summary": summary,
            "groups": groups,
            "total": sum(len(g["lines"]) for g in groups),
            "recipients": [
                "Như trên;",
                f"Các đơn vị thành viên {common['word'].capitalize()};",
                "Lưu: VT.",
            ],
        },
    )


def danh_sach(proposal: Proposal, *, common: dict | None = None) -> Rendered:
    common = common or _common(proposal)
    tt = (
        f"Kèm theo Tờ trình số {proposal.number}/{proposal.symbol} {admin_format.date_words(proposal.issued_on)}"
        if proposal.number and proposal.issued_on
        else "Kèm theo Tờ trình"
    ) + f" của {proposal.bloc.name}"
    return Rendered(
        kind="awards.danh_sach",
        title=f"Danh sách đề nghị khen thưởng năm {proposal.year} — {proposal.bloc.name}",
        filename=f"danh-sach-{proposal.bloc.pk}-{proposal.year}.pdf",
        template="pdf/danh_sach_khen_thuong.html",
        context={
            **common,
            "doc_title": "DANH SÁCH",
            "subtitle": f"Đề nghị khen thưởng năm {proposal.year}",
            "attached_to": f"({tt})",
            "groups": _lines_by_award(proposal, common["names"]),
            "signer": common["signer"],
        },
    )


def _ranking_rows(proposal: Proposal, names: dict) -> list[dict]:
    from scoring.selectors import ranking_latest

    run = ranking_latest(bloc=proposal.bloc, year=proposal.year)
    if run is None:
        return []
    return [
        {
            "rank": e.rank,
            "unit": names.get(e.unit_id, e.unit_name),
            "total": _number(e.total),
            "note": "đồng hạng" if e.shared else ("chưa xét khen thưởng" if e.vetoed else ""),
        }
        for e in run.entries
    ]


def _ballot_items(proposal: Proposal) -> list[dict]:
    if proposal.ballot is None:
        return []
    detail = selectors.ballot_detail(ballot=proposal.ballot)
    items = []
    for item in detail.items:
        items.append(
            {
                "award": item.item.award_type.name_for(proposal.bloc.authority),
                "max_choices": item.item.max_choices,
                "candidates": [
                    {
                        "name": c.name,
                        "votes": (c.result or {}).get("total", 0),
                        "percent": _number(Decimal(str((c.result or {}).get("percent", 0)))),
                        "selected": (c.result or {}).get("selected", False),
                    }
                    for c in item.candidates
                ],
            }
        )
    return items


def bien_ban_hop(proposal: Proposal, *, common: dict | None = None) -> Rendered:
    common = common or _common(proposal)
    bloc, year = proposal.bloc, proposal.year
    conference = (
        Conference.objects.filter(bloc=bloc, year=year, kind=Conference.Kind.YEAR_END)
        .select_related("presiding_unit")
        .order_by("held_on")
        .first()
    )
    members = common["names"]
    absent = {}
    if proposal.ballot:
        absent = {
            e.unit_id: e.written_opinion
            for e in VoterRollEntry.objects.filter(
                ballot=proposal.ballot, kind=VoterRollEntry.Kind.ABSENT
            )
        }
    next_term = (
        ChairTerm.objects.filter(bloc=bloc, year=year + 1)
        .select_related("chair", "vice_chair")
        .first()
    )
    place = admin_format.place_name(bloc.authority.name)
    # Without a recorded conference, the ballot's day is the meeting's (the ballot is held there).
    ballot_day = proposal.ballot.held_on if proposal.ballot else None
    meeting_day = conference.held_on if conference else ballot_day or common["day"]
    return Rendered(
        kind="awards.bien_ban_hop",
        title=f"Biên bản họp bình xét thi đua năm {year} — {bloc.name}",
        filename=f"bien-ban-binh-xet-{bloc.pk}-{year}.pdf",
        template="pdf/bien_ban_binh_xet.html",
        context={
            **common,
            "place_date": admin_format.place_date_line(place, meeting_day),
            "doc_title": "BIÊN BẢN",
            "reference": "",
            "subtitle": f"Họp bình xét thi đua, khen thưởng năm {year}",
            "conference": conference,
            "ballot_day": ballot_day,
            "presiding": ", ".join(
                p
                for p in (
                    conference.presiding_person if conference else "",
                    members.get(conference.presiding_unit_id, "")
                    if conference and conference.presiding_unit_id
                    else "",
                )
                if p
            ),
            "present": [name for pk, name in members.items() if pk not in absent],
            "absent": [(members.get(pk, ""), opinion) for pk, opinion in absent.items()],
            "ranking": _ranking_rows(proposal, members),
            "ballot_items": _ballot_items(proposal),
            "groups": _lines_by_award(proposal, members),
            "next_term": next_term,
            "next_chair": str(next_term.chair) if next_term else "",
            "next_vice_chair": str(next_term.vice_chair)
            if next_term and next_term.vice_chair
            else "",
        },
    )


def bien_ban_kiem_phieu(proposal: Proposal, *, common: dict | None = None) -> Rendered | None:
    if proposal.ballot is None:
        return None
    common = common or _common(proposal)
    ballot = proposal.ballot
    tally = ballot.tally or {}
    return Rendered(
        kind="awards.bien_ban_kiem_phieu",
        title=f"Biên bản kiểm phiếu năm {proposal.year} — {proposal.bloc.name}",
        filename=f"bien-ban-kiem-phieu-{proposal.bloc.pk}-{proposal.year}.pdf",
        template="pdf/bien_ban_kiem_phieu.html",
        context={
            **common,
            "place_date": admin_format.place_date_line(
                admin_format.place_name(proposal.bloc.authority.name), ballot.held_on
            ),
            "doc_title": "BIÊN BẢN KIỂM PHIẾU",
            "reference": "",
            "subtitle": f"Bình xét thi đua, khen thưởng năm {proposal.year}",
            "ballot": ballot,
            "committee": [line for line in ballot.counting_committee.splitlines() if line.strip()],
            "tally": tally,
            "threshold": selectors.threshold_words(ballot),
            "items": _ballot_items(proposal),
        },
    )


def bao_cao_thanh_tich(line: ProposalLine, *, facts=None, records=None) -> Rendered:
    proposal = line.proposal
    unit = line.unit
    year = proposal.year
    facts = (
        facts if facts is not None else unit_year_facts(unit_ids=[unit.pk], year=year).get(unit.pk)
    )
    records = (
        records
        if records is not None
        else [r for r in selectors.unit_awards(unit=unit) if r.year < year]
    )
    report = getattr(line, "report", None)
    achievements = [
        text
        for text in ((report.achievements if report else "") or "").splitlines()
        if text.strip()
    ]
    if not achievements:
        if line.total is not None and line.rank is not None:
            achievements.append(
                f"Năm {year}, đơn vị đạt {_number(line.total)} điểm theo bảng tiêu chí chấm điểm của "
                f"{proposal.bloc.name}, xếp thứ {line.rank}/{Membership.objects.filter(bloc=proposal.bloc, year=year).count()} đơn vị."
            )
        if line.votes is not None:
            achievements.append(
                f"Được {line.votes} phiếu đồng ý ({_number(line.votes_percent)}%) tại cuộc bỏ phiếu "
                "bình xét của khối."
            )
    award_name = line.award_type.name_for(proposal.bloc.authority)
    return Rendered(
        kind="awards.bao_cao_thanh_tich",
        title=f"Báo cáo thành tích đề nghị tặng {award_name} năm {year} — {unit.full_name}",
        filename=f"bao-cao-thanh-tich-{unit.pk}-{year}-{line.award_type.code}.pdf",
        template="pdf/bao_cao_thanh_tich.html",
        context={
            "doc_title": "BÁO CÁO THÀNH TÍCH",
            "subtitle": f"Đề nghị tặng {award_name} năm {year}",
            "issuer_parent": upper(unit.parent_body),
            "issuer_name": upper(unit.full_name),
            "place_date": admin_format.place_date_line(
                admin_format.place_name(proposal.bloc.authority.name),
                proposal.issued_on or timezone.localdate(),
            ),
            "unit": unit,
            "facts": facts,
            "achievements": achievements,
            "records": records,
            "signer": Signer(title=unit.head_title or "Thủ trưởng đơn vị"),
        },
    )


def documents_of(proposal: Proposal) -> list[Rendered]:
    common = _common(proposal)
    rendered = [to_trinh(proposal, common=common), danh_sach(proposal, common=common)]
    rendered.append(bien_ban_hop(proposal, common=common))
    kiem_phieu = bien_ban_kiem_phieu(proposal, common=common)
    if kiem_phieu:
        rendered.append(kiem_phieu)
    lines = list(
        proposal.lines.select_related("unit", "award_type", "proposal__bloc__authority").order_by(
            "award_type__order", "order"
        )
    )
    facts = unit_year_facts(unit_ids=[line.unit_id for line in lines], year=proposal.year)
    for line in lines:
        rendered.append(bao_cao_thanh_tich(line, facts=facts.get(line.unit_id)))
    return rendered


def render(item: Rendered, *, verification_code: str = "") -> bytes:
    return documents.render_pdf(
        item.template, {**item.context, "verification_code": verification_code}
    )


def to_trinh_docx(proposal: Proposal) -> bytes:
    from core import docx as w

    item = to_trinh(proposal)
    c = item.context
    doc = w.new_document()
    w.header_table(
        doc,
        issuer_name=c["issuer_name"],
        issuer_parent=c["issuer_parent"],
        reference=c["reference"],
        place_date=c["place_date"],
    )
    w.title(doc, c["doc_title"], c["subtitle"])
    w.paragraph(doc, f"Kính gửi: {c['addressee']}.", indent=False)
    for number, line in enumerate(c["bases"]):
        w.paragraph(doc, line + (";" if number < len(c["bases"]) - 1 else "."), italic=False)
    for line in c["summary"]:
        w.paragraph(doc, line)
    w.paragraph(doc, f"{proposal.bloc.name} kính đề nghị {c['addressee']} xem xét, khen thưởng:")
    for number, group in enumerate(c["groups"], start=1):
        units = ", ".join(line["unit"] for line in group["lines"])
        w.paragraph(
            doc, f"{number}. {group['award']}: {len(group['lines']):02d} tập thể ({units})."
        )
    w.paragraph(doc, "(Có danh sách và hồ sơ kèm theo)", italic=True)
    w.closing(doc, recipients=c["recipients"], signer=c["signer"])
    return w.to_bytes(doc)


def freeze_dossier(*, proposal: Proposal, actor) -> list:
    """Render and freeze every document of the dossier; each prints its own verification code."""
    frozen = []
    for item in documents_of(proposal):
        code = documents.new_verification_code()
        frozen.append(
            documents.freeze(
                kind=item.kind,
                title=item.title,
                content=render(item, verification_code=code),
                filename=item.filename,
                issuer=proposal.bloc.name,
                actor=actor,
                verification_code=code,
            )
        )
    frozen.append(
        documents.freeze(
            kind="awards.to_trinh.docx",
            title=f"Tờ trình đề nghị khen thưởng năm {proposal.year} (bản Word) — {proposal.bloc.name}",
            content=to_trinh_docx(proposal),
            filename=f"to-trinh-{proposal.bloc.pk}-{proposal.year}.docx",
            content_type=DOCX.content_type,
            issuer=proposal.bloc.name,
            actor=actor,
        )
    )
    return frozen


def dossier_zip(proposal: Proposal) -> bytes:
    """Every frozen document of the proposal and the evidence files of the proposed units'
    accepted year-end reports, in one ZIP."""
    from scoring.models import Evidence, ReportingPeriod, UnitReport

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for document in proposal.documents.order_by("pk"):
            with document.file.open("rb") as handle:
                archive.writestr(f"{document.pk:04d}-{document.filename}", handle.read())
        evidence = Evidence.objects.filter(
            report__period__bloc=proposal.bloc,
            report__period__year=proposal.year,
            report__period__kind=ReportingPeriod.Kind.YEAR_END,
            report__state=UnitReport.State.ACCEPTED,
            report__unit_id__in=proposal.lines.values("unit_id"),
        ).select_related("report__unit")
        for item in evidence:
            with item.file.open("rb") as handle:
                archive.writestr(
                    f"minh-chung/{item.report.unit.short_name or item.report.unit_id}/{item.pk}-{item.original_name}",
                    handle.read(),
                )
    return out.getvalue()
