"""Every read of the scoring app that pages, tasks and the other apps use. Fixed query counts.

Access is checked before these are called (scoring/access.py); they read what they are asked.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from blocs import rules as bloc_rules
from blocs import selectors as bloc_selectors
from blocs.models import Membership
from scoring import rules
from scoring.models import (
    BlocYearScoring,
    CriteriaTable,
    Criterion,
    Evidence,
    RankingRun,
    ReportingPeriod,
    ReportTransition,
    SelfScore,
    UnitReport,
    VerifiedScore,
)


@dataclass(frozen=True)
class MemberUnit:
    """A member unit of a bloc-year, with the name it carried that year."""

    id: int
    name: str


def _members(bloc_id: int, year: int) -> list[MemberUnit]:
    """Two queries: the memberships with their units, and the units' names."""
    memberships = list(
        Membership.objects.filter(bloc_id=bloc_id, year=year)
        .select_related("unit")
        .order_by("position", "unit__full_name")
    )
    names = bloc_selectors.names_by_unit(m.unit_id for m in memberships)
    return [
        MemberUnit(
            m.unit_id, bloc_rules.name_for_year(names.get(m.unit_id, []), year, m.unit.full_name)
        )
        for m in memberships
    ]


# The criteria tree --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TreeNode:
    criterion: Criterion
    path: str
    group: str
    depth: int

    @property
    def is_leaf(self) -> bool:
        return self.criterion.is_leaf


def criteria_tree(*, table: CriteriaTable) -> list[TreeNode]:
    """The table's nodes in reading order with their paths ("I.1.a"). One query."""
    nodes = list(Criterion.objects.filter(table=table).order_by())  # tree_order sorts
    by_id = {n.pk: n for n in nodes}
    return [
        TreeNode(by_id[p.id], p.path, p.group, p.depth)
        for p in rules.tree_order(
            rules.Node(n.pk, n.parent_id, n.code, n.position, n.is_leaf) for n in nodes
        )
    ]


# The ranking --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankingEntry:
    unit_id: int
    unit_name: str
    rank: int
    shared: bool  # đồng hạng: another unit holds the same rank
    total: Decimal
    vetoed: bool
    veto_reasons: tuple[str, ...]
    eligible: bool  # not vetoed: may be proposed for an award
    decided_by: str | None  # the tie-break rule that placed it below the unit before it


@dataclass(frozen=True)
class LeftOut:
    unit_id: int
    unit_name: str
    why: str  # a veto reason, or the state of its report ("none": no report)
    veto_reasons: tuple[str, ...] = ()
    total: Decimal | None = None


@dataclass(frozen=True)
class LatestRanking:
    run: RankingRun
    entries: tuple[RankingEntry, ...]
    removed: tuple[LeftOut, ...]  # vetoed units removed from the ranks (bloc setting "remove")
    not_ranked: tuple[LeftOut, ...]  # members without an accepted year-end report
    criteria_table_version: int
    tie_break: tuple[str, ...]
    vetoed_mode: str


def ranking_latest(*, bloc, year: int) -> LatestRanking | None:
    """The latest ranking run of a bloc-year, or None. One query.

    This is what the awards app reads. ``entries`` are in rank order, best first; each has the
    unit's id and its name in that year, its ``rank`` (an int; competition ranks: two units
    sharing rank 2 are followed by rank 4), ``shared`` (True when another unit holds the same rank:
    đồng hạng, for the ballot to settle — the order within a shared rank means nothing), the
    ``total`` (a Decimal), ``vetoed`` with the ``veto_reasons`` in force when the run was computed
    (a vetoed unit is listed but not ``eligible``), and ``decided_by`` (the tie-break rule, if any,
    that put it below the previous unit). Where the bloc-year removes vetoed units, they are in
    ``removed`` instead, with their reasons; members without an accepted report are in
    ``not_ranked``. The run itself (``run``) carries its inputs, rules, result and SHA-256.
    """
    run = (
        RankingRun.objects.filter(bloc=bloc, year=year)
        .select_related("criteria_table")
        .order_by("-created_at", "-pk")
        .first()
    )
    if run is None:
        return None
    result = run.result
    return LatestRanking(
        run=run,
        entries=tuple(
            RankingEntry(
                unit_id=e["unit_id"],
                unit_name=e["name"],
                rank=e["rank"],
                shared=e["shared"],
                total=Decimal(e["total"]),
                vetoed=e["vetoed"],
                veto_reasons=tuple(e["veto_reasons"]),
                eligible=e["eligible"],
                decided_by=e["decided_by"],
            )
            for e in result["entries"]
        ),
        removed=tuple(
            LeftOut(
                unit_id=r["unit_id"],
                unit_name=r["name"],
                why=r["veto_reasons"][0] if r["veto_reasons"] else "",
                veto_reasons=tuple(r["veto_reasons"]),
                total=Decimal(r["total"]),
            )
            for r in result["removed"]
        ),
        not_ranked=tuple(
            LeftOut(unit_id=r["unit_id"], unit_name=r["name"], why=r["why"])
            for r in result.get("not_ranked", [])
        ),
        criteria_table_version=run.criteria_table.version,
        tie_break=tuple(run.rules["tie_break"]),
        vetoed_mode=run.rules["vetoed_mode"],
    )


# The score grid -----------------------------------------------------------------------------------


@dataclass
class GridCell:
    self_points: Decimal | None = None
    self_version: int | None = None
    verified: Decimal | None = None  # the secretariat's, else the mean of the cross scores
    secretariat_points: Decimal | None = None
    secretariat_version: int | None = None
    cross: dict[int, Decimal] = field(default_factory=dict)  # scorer unit id → points

    @property
    def differs(self) -> bool:
        return (
            self.verified is not None
            and self.self_points is not None
            and self.verified != self.self_points
        )


@dataclass
class GridRow:
    unit: MemberUnit
    report: UnitReport | None
    cells: list[GridCell]
    self_total: Decimal = Decimal(0)
    verified_total: Decimal = Decimal(0)


@dataclass
class ScoreGrid:
    period: ReportingPeriod
    leaves: list[TreeNode]
    rows: list[GridRow]


def _signed(points: Decimal, kind: str) -> Decimal:
    return -points if kind == Criterion.Kind.DEDUCTION else points


def score_grid(*, bloc, year: int, period: ReportingPeriod) -> ScoreGrid:
    """Units × leaves of the period's table, with each cell's self score and verified values.

    Totals are base + bonus − deductions of what is there (uncapped sums of the cells; the
    ranking applies the table's cap). Six queries whatever the number of units and leaves:
    memberships, names, criteria, reports, self scores, verified scores."""
    members = _members(bloc.pk, year)
    leaves = [node for node in criteria_tree(table=period.criteria_table_id) if node.is_leaf]
    column = {node.criterion.pk: index for index, node in enumerate(leaves)}
    reports = {
        r.unit_id: r
        for r in UnitReport.objects.filter(
            period=period, unit_id__in=[m.id for m in members]
        ).order_by()
    }
    rows = {m.id: GridRow(m, reports.get(m.id), [GridCell() for _ in leaves]) for m in members}
    row_of_report = {r.pk: rows[unit_id] for unit_id, r in reports.items()}
    # .order_by(): the default ordering joins through report → period → bloc to sort rows that
    # only go into the cells.
    for report_id, criterion_id, points, version in (
        SelfScore.objects.filter(report_id__in=list(row_of_report), criterion_id__in=list(column))
        .order_by()
        .values_list("report_id", "criterion_id", "points", "version")
    ):
        cell = row_of_report[report_id].cells[column[criterion_id]]
        cell.self_points, cell.self_version = points, version
    for report_id, criterion_id, scorer_unit_id, points, version in (
        VerifiedScore.objects.filter(
            report_id__in=list(row_of_report), criterion_id__in=list(column)
        )
        .order_by()
        .values_list("report_id", "criterion_id", "scorer_unit_id", "points", "version")
    ):
        cell = row_of_report[report_id].cells[column[criterion_id]]
        if scorer_unit_id is None:
            cell.secretariat_points, cell.secretariat_version = points, version
        else:
            cell.cross[scorer_unit_id] = points
    for row in rows.values():
        for node, cell in zip(leaves, row.cells, strict=True):
            cell.verified = rules.verified_points(cell.secretariat_points, cell.cross.values())
            kind = node.criterion.kind
            if cell.self_points is not None:
                row.self_total += _signed(cell.self_points, kind)
            if cell.verified is not None:
                row.verified_total += _signed(cell.verified, kind)
    return ScoreGrid(period=period, leaves=leaves, rows=list(rows.values()))


# Open periods (for reminders and dashboards) ------------------------------------------------------


@dataclass(frozen=True)
class OpenPeriod:
    period: ReportingPeriod
    deadline: dt.date
    days_left: int  # negative once the deadline has passed
    members: tuple[MemberUnit, ...]
    not_submitted: tuple[MemberUnit, ...]  # no report, a draft, or returned and not sent again

    @property
    def late(self) -> bool:
        return self.days_left < 0


def periods_open(*, today: dt.date) -> list[OpenPeriod]:
    """The periods open on ``today`` (state open, opening date reached), soonest deadline first,
    each with the member units that have not submitted. Four queries whatever their number."""
    periods = list(
        ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN, opens_on__lte=today)
        .select_related("bloc__authority")
        .order_by("deadline", "pk")
    )
    if not periods:
        return []
    pairs = Q(pk__in=[])
    for period in periods:
        pairs |= Q(bloc_id=period.bloc_id, year=period.year)
    memberships = list(
        Membership.objects.filter(pairs)
        .select_related("unit")
        .order_by("position", "unit__full_name")
    )
    names = bloc_selectors.names_by_unit(m.unit_id for m in memberships)
    sent = set(
        UnitReport.objects.filter(
            period__in=periods,
            state__in=[UnitReport.State.SUBMITTED, UnitReport.State.ACCEPTED],
        ).values_list("period_id", "unit_id")
    )
    members: dict[tuple[int, int], list[MemberUnit]] = {}
    for m in memberships:
        members.setdefault((m.bloc_id, m.year), []).append(
            MemberUnit(
                m.unit_id,
                bloc_rules.name_for_year(names.get(m.unit_id, []), m.year, m.unit.full_name),
            )
        )
    found = []
    for period in periods:
        of_year = tuple(members.get((period.bloc_id, period.year), []))
        found.append(
            OpenPeriod(
                period=period,
                deadline=period.deadline,
                days_left=(period.deadline - today).days,
                members=of_year,
                not_submitted=tuple(u for u in of_year if (period.pk, u.id) not in sent),
            )
        )
    return found


# Pages --------------------------------------------------------------------------------------------

_SENT = [UnitReport.State.SUBMITTED, UnitReport.State.ACCEPTED]


@dataclass(frozen=True)
class BlocYearOverview:
    settings: BlocYearScoring  # unsaved defaults (version 0) when none recorded
    tables: list[CriteriaTable]  # latest version first
    periods: list[ReportingPeriod]  # with .sent and .accepted counts
    member_count: int
    previous_year_table: bool
    latest_run: RankingRun | None


def bloc_year_overview(*, bloc, year: int) -> BlocYearOverview:
    """What the bloc-year's scoring page shows. Six queries."""
    settings = BlocYearScoring.objects.filter(bloc=bloc, year=year).first() or BlocYearScoring(
        bloc=bloc, year=year, version=0
    )
    tables = list(
        CriteriaTable.objects.filter(bloc=bloc, year=year)
        .annotate(leaves=Count("criteria", filter=Q(criteria__max_points__isnull=False)))
        .order_by("-version")
    )
    periods = list(
        ReportingPeriod.objects.filter(bloc=bloc, year=year)
        .select_related("criteria_table")
        .annotate(
            sent=Count("reports", filter=Q(reports__state__in=_SENT)),
            accepted=Count("reports", filter=Q(reports__state=UnitReport.State.ACCEPTED)),
        )
        .order_by("kind")
    )
    return BlocYearOverview(
        settings=settings,
        tables=tables,
        periods=periods,
        member_count=Membership.objects.filter(bloc=bloc, year=year).count(),
        previous_year_table=CriteriaTable.objects.filter(bloc=bloc, year=year - 1).exists(),
        latest_run=RankingRun.objects.filter(bloc=bloc, year=year)
        .order_by("-created_at", "-pk")
        .first(),
    )


@dataclass(frozen=True)
class DashboardRow:
    unit: MemberUnit
    report: UnitReport | None

    @property
    def sent(self) -> bool:
        return self.report is not None and self.report.state in _SENT


@dataclass(frozen=True)
class PeriodDashboard:
    period: ReportingPeriod
    rows: list[DashboardRow]
    days_left: int  # negative once the deadline has passed
    sent: int
    accepted: int

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)

    @property
    def late(self) -> list[DashboardRow]:
        return [r for r in self.rows if not r.sent] if self.days_left < 0 else []

    @property
    def waiting(self) -> list[DashboardRow]:
        return [r for r in self.rows if not r.sent]


def period_dashboard(*, period: ReportingPeriod, today: dt.date) -> PeriodDashboard:
    """Every member unit of the period's bloc-year with its report (or none). Three queries."""
    members = _members(period.bloc_id, period.year)
    reports = {
        r.unit_id: r
        for r in UnitReport.objects.filter(period=period, unit_id__in=[m.id for m in members])
    }
    rows = [DashboardRow(m, reports.get(m.id)) for m in members]
    return PeriodDashboard(
        period=period,
        rows=rows,
        days_left=(period.deadline - today).days,
        sent=sum(1 for r in rows if r.sent),
        accepted=sum(1 for r in rows if r.report and r.report.state == UnitReport.State.ACCEPTED),
    )


@dataclass
class SheetRow:
    """A node of the report's criteria tree with what the report holds for it (leaves only)."""

    node: TreeNode
    self_score: SelfScore | None = None
    evidence: list = field(default_factory=list)
    secretariat: VerifiedScore | None = None
    cross: list = field(default_factory=list)  # VerifiedScore by member units
    # What a refused plain-form save typed, shown again with its error (the page, not the data).
    error: str = ""
    typed_points: str | None = None
    typed_comment: str | None = None
    evidence_error: str = ""

    @property
    def verified_points(self) -> Decimal | None:
        return rules.verified_points(
            self.secretariat.points if self.secretariat else None, [c.points for c in self.cross]
        )

    @property
    def differs(self) -> bool:
        verified = self.verified_points
        own = self.self_score.points if self.self_score else None
        return verified is not None and own is not None and verified != own


@dataclass
class ReportSheet:
    report: UnitReport
    rows: list[SheetRow]
    general_evidence: list  # files attached to the report as a whole
    log: list  # (ReportTransition, the label of the state it moved to)
    self_total: Decimal = Decimal(0)
    verified_total: Decimal = Decimal(0)
    scored: int = 0
    leaves: int = 0

    def row_of(self, criterion_id: int) -> SheetRow | None:
        return next((r for r in self.rows if r.node.criterion.pk == criterion_id), None)


def _state_label(state: str) -> str:
    return UnitReport.State(state).label if state in UnitReport.State.values else state


def report_sheet(*, report: UnitReport) -> ReportSheet:
    """The report's criteria tree with self scores, evidence and verified scores, and its log.
    Five queries whatever the size of the table."""
    rows = [SheetRow(node) for node in criteria_tree(table=report.period.criteria_table_id)]
    leaf_rows = {r.node.criterion.pk: r for r in rows if r.node.is_leaf}
    # .order_by(): into a dict; the model's ordering joins six tables to sort 60 rows.
    for score in SelfScore.objects.filter(report=report).select_related("updated_by").order_by():
        if score.criterion_id in leaf_rows:
            leaf_rows[score.criterion_id].self_score = score
    general = []
    by_score = {r.self_score.pk: r for r in leaf_rows.values() if r.self_score}
    for evidence in Evidence.objects.filter(report=report).order_by("uploaded_at", "pk"):
        row = by_score.get(evidence.self_score_id)
        (row.evidence if row else general).append(evidence)
    for score in (
        VerifiedScore.objects.filter(report=report)
        .select_related("scored_by", "scorer_unit")
        .order_by("scorer_unit_id", "pk")
    ):
        row = leaf_rows.get(score.criterion_id)
        if row is None:
            continue
        if score.scorer_unit_id is None:
            row.secretariat = score
        else:
            row.cross.append(score)
    sheet = ReportSheet(
        report=report,
        rows=rows,
        general_evidence=general,
        log=[
            (step, _state_label(step.to_state))
            for step in ReportTransition.objects.filter(report=report)
            .select_related("actor")
            .order_by("at", "pk")
        ],
        leaves=len(leaf_rows),
    )
    for row in leaf_rows.values():
        kind = row.node.criterion.kind
        if row.self_score and row.self_score.points is not None:
            sheet.scored += 1
            sheet.self_total += _signed(row.self_score.points, kind)
        if row.verified_points is not None:
            sheet.verified_total += _signed(row.verified_points, kind)
    return sheet


def unit_reports(*, unit, visible) -> list[UnitReport]:
    """The unit's reports among ``visible`` (a queryset from scoring.access), latest year first.
    One query."""
    return list(
        visible.filter(unit=unit)
        .select_related("period__bloc")
        .order_by("-period__year", "-period__kind")[:20]
    )


def unit_name_in_year(*, unit, year: int) -> str:
    """The unit's name as it was in ``year``. One query."""
    return bloc_rules.name_for_year(
        bloc_selectors.names_by_unit([unit.pk]).get(unit.pk, []), year, unit.full_name
    )


def tables_to_copy(*, authority, before_year: int) -> list[CriteriaTable]:
    """The latest version of each bloc-year's table of the authority before ``before_year``,
    newest year first: what a new table may be copied from. One query."""
    tables = (
        CriteriaTable.objects.filter(bloc__authority=authority, year__lt=before_year)
        .select_related("bloc")
        .order_by("-year", "bloc__name", "-version")
    )
    seen, latest = set(), []
    for table in tables[:500]:
        if (table.bloc_id, table.year) not in seen:
            seen.add((table.bloc_id, table.year))
            latest.append(table)
    return latest


def newer_table(*, period: ReportingPeriod) -> CriteriaTable | None:
    """A later version of the period's table that the period does not use yet. One query."""
    if period.state not in (ReportingPeriod.State.DRAFT, ReportingPeriod.State.OPEN):
        return None
    return (
        CriteriaTable.objects.filter(
            bloc_id=period.bloc_id, year=period.year, version__gt=period.criteria_table.version
        )
        .order_by("-version")
        .first()
    )
