"""What the home page lists from the awards app: ballots the person's unit has to cast."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Ballot, VoterRollEntry
from blocs.models import Membership
from core.todo import TodoItem, todo_source


@todo_source
def ballots_to_cast(*, user, roles, today):
    """One query: open online ballots of a bloc-year the officer's units belong to, not yet voted."""
    if not roles.officer_unit_ids:
        return []
    items = []
    units = roles.officer_unit_ids
    ballots = (
        Ballot.objects.filter(state=Ballot.State.OPEN, mode=Ballot.Mode.ONLINE)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=timezone.now()))
        .filter(
            Exists(
                Membership.objects.filter(
                    bloc=OuterRef("bloc"), year=OuterRef("year"), unit_id__in=units
                )
            )
        )
        .exclude(Exists(VoterRollEntry.objects.filter(ballot=OuterRef("pk"), unit_id__in=units)))
        .select_related("bloc")
    )
    for ballot in ballots:
        due = timezone.localtime(ballot.closes_at).date() if ballot.closes_at else None
        items.append(
            TodoItem(
                title=_("Bỏ phiếu bình xét: {t}").format(t=ballot.title),
                url=reverse("awards:ballot_vote", args=[ballot.pk]),
                detail=ballot.bloc.name,
                due=due,
                urgent=due is not None and (due - today).days <= 1,
            )
        )
    return items
