"""What the year-end report of a bloc is made of, read from every app (and written by none).

``year_end_data`` gathers it into plain values; the same values are hashed (the report's
``data_sha256``) and rendered to PDF, DOCX and XLSX, so the three files always agree.
"""

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field

from blocs import selectors as blocs_selectors
from blocs.models import Bloc
from reports.models import ReportText, YearEndReport


@dataclass
class Member:
    number: int
    name: str
    office: str = ""


@dataclass
class ConferenceLine:
    date: dt.date
    kind: str
    place: str
    presiding: str


@dataclass
class YearEndData:
    bloc_name: str
    bloc_kind: str
    chair_word: str
    vice_chair_word: str
    authority_name: str
    people_committee_name: str
    tdkt_office_name: str
    council_name: str
    year: int
    members: list[Member]
    chair: str
    vice_chair: str
    conferences: list[ConferenceLine]
    next_chair: str
    next_vice_chair: str
    handover: str
    overview: str = ""
    direction: str = ""
    # Parts contributed by the other apps: section II (results: the pledge's targets against what
    # was achieved, the movements, the commendation work) and section III (the review: scores,
    # ranking, ballot, proposal, decision), each a dict with the "template" that prints it; and
    # the tables of the annexes and the XLSX (sheet, title, headers, rows, widths).
    documents: list = field(default_factory=list)  # the year's plan and regulation (section I)
    results: list = field(default_factory=list)
    review: list = field(default_factory=list)
    tables: list = field(default_factory=list)

    def canonical(self) -> bytes:
        """The data as canonical JSON: the same data always gives the same bytes."""
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False, default=str).encode()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()


def year_end_data(*, bloc: Bloc, year: int) -> YearEndData:
    detail = blocs_selectors.bloc_year_detail(user=None, bloc=bloc, year=year)
    chair_id = detail.term.chair_id if detail.term else None
    vice_id = detail.term.vice_chair_id if detail.term else None
    members = []
    for number, member in enumerate(detail.members, start=1):
        office = ""
        if member.pk == chair_id:
            office = str(bloc.chair_word)
        elif member.pk == vice_id:
            office = str(bloc.vice_chair_word)
        members.append(Member(number=number, name=member.name, office=office))
    names = {m.pk: m.name for m in detail.members}
    conferences = [
        ConferenceLine(
            date=c.held_on,
            kind=c.get_kind_display(),
            place=c.place,
            presiding=", ".join(
                p
                for p in (
                    names.get(c.presiding_unit_id, str(c.presiding_unit or "")),
                    c.presiding_person,
                )
                if p
            ),
        )
        for c in detail.conferences
    ]
    handover = ""
    next_term = detail.next_term
    if next_term and next_term.handover_on and detail.next_chair:
        handover = f"{next_term.handover_on:%d/%m/%Y}"
    text = ReportText.objects.filter(bloc=bloc, year=year).first()
    data = YearEndData(
        bloc_name=bloc.name,
        bloc_kind=bloc.kind,
        chair_word=str(bloc.chair_word),
        vice_chair_word=str(bloc.vice_chair_word),
        authority_name=bloc.authority.name,
        people_committee_name=bloc.authority.people_committee_name,
        tdkt_office_name=bloc.authority.tdkt_office_name,
        council_name=bloc.authority.council_name,
        year=year,
        members=members,
        chair=str(detail.chair or ""),
        vice_chair=str(detail.vice_chair or ""),
        conferences=conferences,
        next_chair=str(detail.next_chair or ""),
        next_vice_chair=str(detail.next_vice_chair or ""),
        handover=handover,
        overview=text.overview if text else "",
        direction=text.direction if text else "",
    )
    from reports.sections import SECTIONS

    for add in SECTIONS:
        add(data, bloc=bloc, year=year)
    return data


def report_versions(*, bloc: Bloc, year: int) -> list[YearEndReport]:
    return list(
        YearEndReport.objects.filter(bloc=bloc, year=year)
        .select_related("pdf", "docx", "xlsx", "created_by")
        .order_by("-version")
    )


def report_page(*, bloc: Bloc, year: int) -> dict:
    """The report page of a bloc-year: versions, the latest compilation job, the text. 3 queries."""
    from core.models import Job

    return {
        "versions": report_versions(bloc=bloc, year=year),
        "job": Job.objects.filter(key=f"reports.year_end:{bloc.pk}:{year}")
        .order_by("-created_at", "-pk")
        .first(),
        "text": ReportText.objects.filter(bloc=bloc, year=year).first(),
    }


def province_page(*, authority, year: int) -> dict:
    """Every bloc of the authority with members that year and its latest report; the batch job."""
    from django.db.models import Count, OuterRef, Q, Subquery

    from core.models import Job

    latest = YearEndReport.objects.filter(bloc=OuterRef("pk"), year=year).order_by("-version")
    blocs = list(
        Bloc.objects.filter(authority=authority)
        .annotate(
            members=Count("memberships", filter=Q(memberships__year=year)),
            latest_version=Subquery(latest.values("version")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
            latest_id=Subquery(latest.values("pk")[:1]),
        )
        .filter(members__gt=0)
        .order_by("kind", "code")
    )
    return {
        "blocs": blocs,
        "group": Job.objects.filter(key=f"reports.province:{authority.pk}:{year}")
        .order_by("-created_at", "-pk")
        .first(),
    }
