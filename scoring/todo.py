"""What the home page lists from the scoring app: the officer's reports to send, the secretariat's
reports to review."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from blocs.models import Membership
from core.todo import TodoItem, todo_source
from scoring.models import ReportingPeriod, UnitReport


@todo_source
def reports_to_send(*, user, roles, today):
    """Two queries: the officer's units in bloc-years with an open period, and those periods
    where a unit of theirs has not sent its report (none, a draft, or returned)."""
    if not roles.officer_unit_ids:
        return []
    items = []
    memberships = (
        Membership.objects.filter(unit_id__in=roles.officer_unit_ids)
        .filter(
            Exists(
                ReportingPeriod.objects.filter(
                    bloc=OuterRef("bloc"),
                    year=OuterRef("year"),
                    state=ReportingPeriod.State.OPEN,
                    opens_on__lte=today,
                )
            )
        )
        .select_related("bloc", "unit")
    )
    periods = {
        (p.bloc_id, p.year): p
        for p in ReportingPeriod.objects.filter(
            state=ReportingPeriod.State.OPEN,
            opens_on__lte=today,
            bloc_id__in=[m.bloc_id for m in memberships],
        ).exclude(
            Exists(
                UnitReport.objects.filter(
                    period=OuterRef("pk"),
                    unit_id__in=roles.officer_unit_ids,
                    state__in=[UnitReport.State.SUBMITTED, UnitReport.State.ACCEPTED],
                )
            )
        )
    }
    for membership in memberships:
        period = periods.get((membership.bloc_id, membership.year))
        if period is None:
            continue
        items.append(
            TodoItem(
                title=_("Gửi báo cáo {kind} {y}").format(
                    kind=period.get_kind_display().lower(), y=period.year
                ),
                url=reverse("scoring:period_detail", args=[period.pk]),
                detail=f"{membership.unit.full_name} — {membership.bloc.name}",
                due=period.deadline,
                urgent=(period.deadline - today).days <= 3,
            )
        )
    return items


@todo_source
def reports_to_review(*, user, roles, today):
    """One query: periods of the blocs the person keeps the secretariat of, with reports sent
    and not yet accepted or returned."""
    if not (roles.bloc_secretariat or roles.writable_authority_ids):
        return []
    scope = Q(bloc__authority_id__in=roles.writable_authority_ids)
    for bloc_id, years in roles.bloc_secretariat.items():
        scope |= Q(bloc_id=bloc_id) if years is None else Q(bloc_id=bloc_id, year__in=years)
    periods = (
        ReportingPeriod.objects.filter(scope)
        .filter(
            Exists(
                UnitReport.objects.filter(period=OuterRef("pk"), state=UnitReport.State.SUBMITTED)
            )
        )
        .select_related("bloc")
    )
    return [
        TodoItem(
            title=_("Thẩm định báo cáo {kind} {y}").format(
                kind=p.get_kind_display().lower(), y=p.year
            ),
            url=reverse("scoring:period_detail", args=[p.pk]),
            detail=p.bloc.name,
        )
        for p in periods
    ]
