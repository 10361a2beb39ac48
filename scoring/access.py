"""Who may see and do what with reports, scores, evidence and results.

Deny by default. For a unit report (and the self scores, verified scores and evidence in it):

- a unit's officer sees and writes their own unit's reports only; the unit's representative
  (chair_rep) reads them. Another unit's report does not exist for them (404) — except, where the
  bloc-year has cross-scoring on, the submitted or accepted reports of the other members of a
  bloc-year their unit belongs to, which they read in order to score them (never a draft);
- the secretariat of the bloc-year (``Roles.can_write_bloc(bloc, year)``: the bloc's secretariat
  for that year, the authority's secretariat, an administrator) reads and writes;
- people who read the whole bloc (the authority's reviewers, the bloc's secretariat of other
  years) read, and get 403 when they try to write.

Results (the ranking of a bloc-year): the people who read the whole bloc see them at any time;
the people of the member units of that year see them once the year-end period is published.

``can_write`` says the person may act on the report in their own capacity (the unit: edit and
submit; the secretariat: verify, return, accept); the states are the services' to check.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from blocs.access import roles_of
from blocs.models import Membership
from scoring.models import BlocYearScoring, CriteriaTable, Evidence, ReportingPeriod, UnitReport


def _whole_bloc_readers(roles) -> Q:
    return Q(period__bloc__authority_id__in=roles.readable_authority_ids) | Q(
        period__bloc_id__in=list(roles.bloc_secretariat)
    )


def reports_visible_to(user):
    """The unit reports the person may open."""
    roles = roles_of(user)
    if roles.is_admin:
        return UnitReport.objects.all()
    if not roles.is_anybody:
        return UnitReport.objects.none()
    scope = _whole_bloc_readers(roles) | Q(unit_id__in=roles.member_unit_ids)
    if roles.officer_unit_ids:
        cross_scoring = BlocYearScoring.objects.filter(
            bloc_id=OuterRef("period__bloc_id"), year=OuterRef("period__year"), cross_scoring=True
        )
        own_unit_is_member = Membership.objects.filter(
            bloc_id=OuterRef("period__bloc_id"),
            year=OuterRef("period__year"),
            unit_id__in=roles.officer_unit_ids,
        )
        scope |= (
            Q(Exists(cross_scoring))
            & Q(Exists(own_unit_is_member))
            & Q(state__in=[UnitReport.State.SUBMITTED, UnitReport.State.ACCEPTED])
        )
    return UnitReport.objects.filter(scope)


@dataclass(frozen=True)
class ReportRights:
    own_unit: bool  # an officer of the report's unit
    secretariat: bool  # may verify, return and accept
    cross_scorer_unit_ids: frozenset[int]  # the person's units that may cross-score it

    @property
    def can_write(self) -> bool:
        return self.own_unit or self.secretariat


def report_rights(
    user, report: UnitReport, *, cross_scoring: bool = False, member_ids=()
) -> ReportRights:
    """What the person may do with a report they can see (no query beyond the roles).

    ``cross_scoring`` and ``member_ids`` (the bloc-year's member units): read by the caller with
    the page's data. Nobody verifies their own unit: the secretariat's officer of a member unit
    does not verify that unit's report."""
    roles = roles_of(user)
    of_the_unit = report.unit_id in roles.member_unit_ids
    writes_bloc = roles.can_write_bloc(report.period.bloc, report.period.year)
    cross = frozenset()
    if (
        cross_scoring
        and not of_the_unit
        and report.state
        in (
            UnitReport.State.SUBMITTED,
            UnitReport.State.ACCEPTED,
        )
    ):
        cross = frozenset(roles.officer_unit_ids & set(member_ids))
    return ReportRights(
        own_unit=report.unit_id in roles.officer_unit_ids,
        secretariat=writes_bloc and not of_the_unit,
        cross_scorer_unit_ids=cross,
    )


def get_report_for_user(user, pk, write: bool = False) -> tuple[UnitReport, bool]:
    """The report and whether the person may write on it; 404 when they may not see it, 403 when
    ``write`` is asked of someone who may only read."""
    try:
        report = (
            reports_visible_to(user)
            .select_related("period__bloc__authority", "period__criteria_table", "unit")
            .get(pk=pk)
        )
    except (UnitReport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    can_write = report_rights(user, report).can_write
    if write and not can_write:
        raise PermissionDenied
    return report, can_write


def get_evidence_for_user(user, pk, write: bool = False) -> tuple[Evidence, bool]:
    """An evidence file, with the rights of the report it belongs to."""
    try:
        evidence = Evidence.objects.select_related("self_score").get(
            pk=pk, report__in=reports_visible_to(user)
        )
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    report, can_write = get_report_for_user(user, evidence.report_id, write=write)
    evidence.report = report
    return evidence, can_write


def can_read_results(user, *, bloc, year: int, member_ids, published: bool) -> bool:
    """Whether the person may read the ranking of a bloc-year; Http404 when the bloc-year is
    none of their business.

    ``member_ids``: the member units of that year; ``published``: whether the year-end period is
    published."""
    roles = roles_of(user)
    if (
        roles.is_admin
        or bloc.authority_id in roles.readable_authority_ids
        or bloc.pk in roles.bloc_secretariat
    ):
        return True
    if not roles.member_unit_ids & set(member_ids):
        raise Http404
    return published


def period_readable(user, period: ReportingPeriod, member_ids) -> bool:
    """Whether the person may see the period at all (its dates and state): whole-bloc readers and
    the people of that year's member units."""
    roles = roles_of(user)
    return bool(
        roles.is_admin
        or period.bloc.authority_id in roles.readable_authority_ids
        or period.bloc_id in roles.bloc_secretariat
        or roles.member_unit_ids & set(member_ids)
    )


def _reads_whole_bloc(roles, bloc) -> bool:
    return bool(
        roles.is_admin
        or bloc.authority_id in roles.readable_authority_ids
        or bloc.pk in roles.bloc_secretariat
    )


def bloc_year_readable(user, bloc, year: int) -> bool:
    """Whether the person may see a bloc-year's scoring setup (its tables and periods): the
    whole-bloc readers and the people of that year's member units. One query at most."""
    roles = roles_of(user)
    if _reads_whole_bloc(roles, bloc):
        return True
    return (
        bool(roles.member_unit_ids)
        and Membership.objects.filter(
            bloc=bloc, year=year, unit_id__in=roles.member_unit_ids
        ).exists()
    )


def get_period_for_user(user, pk, write: bool = False) -> tuple[ReportingPeriod, bool]:
    """The period and whether the person may manage it (the bloc-year's secretariat); 404 when
    they may not see it, 403 when ``write`` is asked of someone who may only read."""
    try:
        period = ReportingPeriod.objects.select_related("bloc__authority", "criteria_table").get(
            pk=pk
        )
    except (ReportingPeriod.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not bloc_year_readable(user, period.bloc, period.year):
        raise Http404
    can_write = roles_of(user).can_write_bloc(period.bloc, period.year)
    if write and not can_write:
        raise PermissionDenied
    return period, can_write


def get_table_for_user(user, pk, write: bool = False) -> tuple[CriteriaTable, bool]:
    """A criteria table, readable like its bloc-year; written by the bloc-year's secretariat."""
    try:
        table = CriteriaTable.objects.select_related("bloc__authority").get(pk=pk)
    except (CriteriaTable.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not bloc_year_readable(user, table.bloc, table.year):
        raise Http404
    can_write = roles_of(user).can_write_bloc(table.bloc, table.year)
    if write and not can_write:
        raise PermissionDenied
    return table, can_write


def may_open_report(user, period: ReportingPeriod, unit_id: int) -> bool:
    """Whether the person may start (or open) the unit's report for the period: its officers,
    and the bloc-year's secretariat (who enters a report brought on paper)."""
    roles = roles_of(user)
    return unit_id in roles.officer_unit_ids or roles.can_write_bloc(period.bloc, period.year)
