"""Every read of the pledges pages, and what the year-end report reads.

Each page's query count is fixed whatever the number of members, targets or signatures; the
counts are asserted in tests/pledges/test_views.py.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from blocs.models import Bloc, ChairTerm, Conference, Membership, Unit
from blocs.selectors import name_in_year
from pledges import signing, targets
from pledges.models import Achievement, Movement, Pledge, Reminder, Signature, Target, YearDocument

# Members of a bloc-year -----------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A member unit as it was called that year, and the office it held in the bloc."""

    unit: Unit
    name: str
    office: str = ""  # "chair", "vice_chair" or ""

    @property
    def pk(self) -> int:
        return self.unit.pk

    def __str__(self) -> str:
        return self.name


def members_of_year(*, bloc: Bloc, year: int) -> list[Member]:
    """The member units of the bloc-year in their order, with that year's names. One query."""
    terms = ChairTerm.objects.filter(bloc=bloc, year=year)
    memberships = (
        Membership.objects.filter(bloc=bloc, year=year)
        .select_related("unit")
        .annotate(
            name_in_year=Coalesce(name_in_year(year), F("unit__full_name")),
            is_chair=Exists(terms.filter(chair=OuterRef("unit"))),
            is_vice_chair=Exists(terms.filter(vice_chair=OuterRef("unit"))),
        )
        .order_by("position", "unit__full_name")
    )
    return [
        Member(
            unit=m.unit,
            name=m.name_in_year,
            office="chair" if m.is_chair else "vice_chair" if m.is_vice_chair else "",
        )
        for m in memberships
    ]


def chair_id(members: list[Member]) -> int | None:
    return next((m.pk for m in members if m.office == "chair"), None)


def bloc_or_404(pk) -> Bloc:
    try:
        return Bloc.objects.select_related("authority").get(pk=pk)
    except (Bloc.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# Plan, regulation, movements ------------------------------------------------------------------


@dataclass
class PlanPage:
    bloc: Bloc
    year: int
    members: list[Member]
    documents: list[YearDocument]  # this year's, every revision
    previous_year_documents: int
    movements: list[Movement]

    def current(self, kind: str) -> YearDocument | None:
        """The issued revision, else the draft, else None."""
        mine = [d for d in self.documents if d.kind == kind]
        issued = next((d for d in mine if d.state == YearDocument.State.ISSUED), None)
        return issued or next((d for d in mine if d.state == YearDocument.State.DRAFT), None)

    def draft(self, kind: str) -> YearDocument | None:
        return next(
            (d for d in self.documents if d.kind == kind and d.state == YearDocument.State.DRAFT),
            None,
        )

    def older(self, kind: str) -> list[YearDocument]:
        return [
            d for d in self.documents if d.kind == kind and d.state == YearDocument.State.SUPERSEDED
        ]

    @property
    def plan(self):
        return self.current(YearDocument.Kind.PLAN)

    @property
    def regulation(self):
        return self.current(YearDocument.Kind.REGULATION)

    @property
    def plan_draft(self):
        return self.draft(YearDocument.Kind.PLAN)

    @property
    def regulation_draft(self):
        return self.draft(YearDocument.Kind.REGULATION)

    @property
    def theme(self) -> str:
        plan = self.plan
        return plan.theme if plan else ""

    @property
    def can_copy_previous(self) -> bool:
        return bool(self.previous_year_documents) and not self.documents


def plan_page(*, bloc: Bloc, year: int, members: list[Member]) -> PlanPage:
    """Two queries: the documents of the year (and a count of last year's), the movements."""
    documents = list(
        YearDocument.objects.filter(bloc=bloc, year__in=[year - 1, year])
        .select_related("issuer_unit", "issued_by")
        .order_by("kind", "-revision")
    )
    movements = list(
        Movement.objects.filter(bloc=bloc, year=year)
        .select_related("launched_by_unit")
        .annotate(unit_name=name_in_year(year, "launched_by_unit"))
        .order_by(F("starts_on").asc(nulls_last=True), "pk")
    )
    return PlanPage(
        bloc=bloc,
        year=year,
        members=members,
        documents=[d for d in documents if d.year == year],
        previous_year_documents=sum(1 for d in documents if d.year == year - 1),
        movements=movements,
    )


def year_movements(*, bloc: Bloc, year: int) -> list[Movement]:
    """The movements of a bloc-year, for the year-end report (issue 6). One query.

    Each carries ``unit_name``: the launching unit's name that year, when a unit launched it.
    """
    return list(
        Movement.objects.filter(bloc=bloc, year=year)
        .select_related("launched_by_unit")
        .annotate(unit_name=name_in_year(year, "launched_by_unit"))
        .order_by(F("starts_on").asc(nulls_last=True), "pk")
    )


def year_documents_in_force(*, bloc: Bloc, year: int) -> dict[str, YearDocument]:
    """kind → the issued plan and regulation of the year (for the pledge's "Căn cứ")."""
    return {
        d.kind: d
        for d in YearDocument.objects.filter(bloc=bloc, year=year, state=YearDocument.State.ISSUED)
    }


# The pledge -------------------------------------------------------------------------------------


def pledges_of_year(*, bloc: Bloc, year: int) -> list[Pledge]:
    """Every revision of the bloc-year's pledge, newest first, with its last reminder day."""
    last_reminder = Reminder.objects.filter(pledge=OuterRef("pk")).order_by("-day").values("day")
    return list(
        Pledge.objects.filter(bloc=bloc, year=year)
        .select_related("presiding_unit", "conference", "document", "supersedes")
        .annotate(
            last_reminder_day=Subquery(last_reminder[:1]),
            presiding_name=name_in_year(year, "presiding_unit"),
        )
        .order_by("-revision")
    )


def current_pledge(versions: list[Pledge]) -> Pledge | None:
    """The revision people work on: the draft or open one, else the one in force."""
    for state in (Pledge.State.DRAFT, Pledge.State.OPEN, Pledge.State.IN_FORCE):
        found = next((p for p in versions if p.state == state), None)
        if found:
            return found
    return versions[0] if versions else None


def pledge_or_404(pk) -> Pledge:
    """The pledge with what every pledges page reads of it (its bloc and authority, its frozen
    PDF, the presiding unit) in the same query."""
    try:
        return Pledge.objects.select_related(
            "bloc__authority", "document", "presiding_unit", "supersedes"
        ).get(pk=pk)
    except (Pledge.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class TargetRow:
    target: Target
    level: str
    applies_to: str  # "" for every member, else the unit's name that year

    @property
    def pk(self):
        return self.target.pk


@dataclass
class StatusRow:
    member: Member
    signature: Signature | None


@dataclass
class ResultCell:
    achievement: Achievement | None
    met: bool | None
    shown: str  # the achieved value as written, or Đạt/Không đạt for a qualitative target


@dataclass
class ResultRow:
    member: Member
    cells: list[ResultCell | None]  # one per target; None where the target does not apply


@dataclass
class PledgePage:
    bloc: Bloc
    year: int
    members: list[Member]
    versions: list[Pledge]
    pledge: Pledge | None
    target_rows: list[TargetRow] = field(default_factory=list)
    status_rows: list[StatusRow] = field(default_factory=list)
    status: signing.SigningStatus | None = None
    result_rows: list[ResultRow] = field(default_factory=list)

    @property
    def signed_count(self) -> int:
        return self.status.signed_count if self.status else 0

    @property
    def missing_count(self) -> int:
        return len(self.status.missing) if self.status else 0

    @property
    def in_force_revision(self) -> Pledge | None:
        return next((p for p in self.versions if p.state == Pledge.State.IN_FORCE), None)

    @property
    def has_working_revision(self) -> bool:
        return any(p.state in Pledge.WORKING for p in self.versions)


def _names(members: list[Member]) -> dict[int, str]:
    return {m.pk: m.name for m in members}


def target_rows(targets_list, names: dict[int, str]) -> list[TargetRow]:
    return [
        TargetRow(
            target=t,
            level=targets.level_text(
                kind=t.kind, comparison=t.comparison, value=t.value, measure=t.measure
            ),
            applies_to=(names.get(t.unit_id) or t.unit.full_name) if t.unit_id else "",
        )
        for t in targets_list
    ]


def _result_cell(target: Target, achievement: Achievement | None) -> ResultCell:
    if achievement is None:
        return ResultCell(None, None, "")
    met = targets.is_met(
        kind=target.kind,
        comparison=target.comparison,
        target=target.value,
        achieved=achievement.value,
        judged_met=achievement.judged_met,
    )
    if target.is_quantitative:
        shown = targets.format_number(achievement.value)
        if shown and target.measure.strip() == "%":
            shown = f"{shown} %"
        elif shown and target.measure:
            shown = f"{shown} {target.measure}"
    else:
        shown = ""
    return ResultCell(achievement, met, shown)


def pledge_page(
    *,
    bloc: Bloc,
    year: int,
    members: list[Member],
    versions: list[Pledge],
    pledge: Pledge | None,
    results: bool = True,
) -> PledgePage:
    """The pledge page: three queries more (targets, signatures, and achieved values once in
    force, unless ``results`` is False, as for the printed pledge, which does not show them)."""
    page = PledgePage(bloc=bloc, year=year, members=members, versions=versions, pledge=pledge)
    if pledge is None:
        return page
    names = _names(members)
    target_list = list(pledge.targets.select_related("unit").order_by("position", "pk"))
    page.target_rows = target_rows(target_list, names)
    signatures = {
        s.unit_id: s
        for s in Signature.objects.filter(pledge=pledge, voided_at__isnull=True).select_related(
            "recorded_by"
        )
    }
    page.status_rows = [StatusRow(m, signatures.get(m.pk)) for m in members]
    page.status = signing.signing_status(
        members=[m.pk for m in members],
        signed_on={unit: s.signed_on for unit, s in signatures.items()},
    )
    if results and pledge.state in (Pledge.State.IN_FORCE, Pledge.State.SUPERSEDED):
        page.result_rows = _result_rows(target_list, members)
    return page


def _result_rows(target_list: list[Target], members: list[Member]) -> list[ResultRow]:
    achieved = {
        (a.target_id, a.unit_id): a
        for a in Achievement.objects.filter(target__in=[t.pk for t in target_list])
    }
    return [
        ResultRow(
            member=m,
            cells=[
                _result_cell(t, achieved.get((t.pk, m.pk)))
                if targets.applies_to(target_unit_id=t.unit_id, unit_id=m.pk)
                else None
                for t in target_list
            ],
        )
        for m in members
    ]


def signature_of(*, pledge: Pledge, unit_id: int) -> Signature | None:
    return Signature.objects.filter(pledge=pledge, unit_id=unit_id, voided_at__isnull=True).first()


def start_conferences(*, bloc: Bloc, year: int):
    return Conference.objects.filter(
        bloc=bloc, year=year, kind=Conference.Kind.START_OF_YEAR
    ).order_by("held_on")


def targets_for_unit(*, pledge: Pledge, unit_id: int) -> list[tuple[Target, Achievement | None]]:
    """The targets binding a unit (common ones and its own) with what it achieved. Two queries."""
    target_list = list(
        pledge.targets.filter(Q(unit__isnull=True) | Q(unit_id=unit_id)).order_by("position", "pk")
    )
    achieved = {
        a.target_id: a
        for a in Achievement.objects.filter(target__in=[t.pk for t in target_list], unit_id=unit_id)
    }
    return [(t, achieved.get(t.pk)) for t in target_list]


def transitions_of(pledges: list[Pledge]):
    from pledges.models import PledgeTransition

    labels = dict(Pledge.State.choices)
    steps = list(
        PledgeTransition.objects.filter(pledge__in=[p.pk for p in pledges])
        .select_related("actor", "pledge")
        .order_by("at", "pk")
    )
    for step in steps:
        step.from_label = labels.get(step.from_state, "")
        step.to_label = labels.get(step.to_state, step.to_state)
    return steps


# What the year-end report reads (issue 6) --------------------------------------------------------


@dataclass(frozen=True)
class TargetResult:
    """One target for one member unit: the level promised, what was achieved, whether it was met."""

    target_id: int
    position: int
    text: str
    kind: str
    level: str  # "≥ 90 %"; "" for a qualitative target
    comparison: str
    target_value: Decimal | None
    measure: str
    unit_id: int
    unit_name: str  # as the unit was called that year
    common: bool  # a target of every member, or this unit's own
    achieved: Decimal | None
    judged_met: bool | None
    met: bool | None  # None: nothing entered yet
    note: str


def pledge_results(*, bloc: Bloc, year: int) -> list[TargetResult]:
    """Per target and member unit of the pledge in force: target, achieved value, met.

    Empty when the bloc-year has no pledge in force. Four queries whatever the size.
    """
    pledge = Pledge.objects.filter(bloc=bloc, year=year, state=Pledge.State.IN_FORCE).first()
    if pledge is None:
        return []
    members = members_of_year(bloc=bloc, year=year)
    target_list = list(pledge.targets.order_by("position", "pk"))
    achieved = {
        (a.target_id, a.unit_id): a
        for a in Achievement.objects.filter(target__in=[t.pk for t in target_list])
    }
    results = []
    for target in target_list:
        level = targets.level_text(
            kind=target.kind,
            comparison=target.comparison,
            value=target.value,
            measure=target.measure,
        )
        for member in members:
            if not targets.applies_to(target_unit_id=target.unit_id, unit_id=member.pk):
                continue
            achievement = achieved.get((target.pk, member.pk))
            results.append(
                TargetResult(
                    target_id=target.pk,
                    position=target.position,
                    text=target.text,
                    kind=target.kind,
                    level=level,
                    comparison=target.comparison,
                    target_value=target.value,
                    measure=target.measure,
                    unit_id=member.pk,
                    unit_name=member.name,
                    common=target.unit_id is None,
                    achieved=achievement.value if achievement else None,
                    judged_met=achievement.judged_met if achievement else None,
                    met=targets.is_met(
                        kind=target.kind,
                        comparison=target.comparison,
                        target=target.value,
                        achieved=achievement.value if achievement else None,
                        judged_met=achievement.judged_met if achievement else None,
                    ),
                    note=achievement.note if achievement else "",
                )
            )
    return results
