"""What the home page lists from the pledges app: a pledge the officer's unit has to sign."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from blocs.models import Membership
from core.todo import TodoItem, todo_source
from pledges.models import Pledge, Signature


@todo_source
def pledges_to_sign(*, user, roles, today):
    """One query: pledges being signed in a bloc-year of the officer's units, unsigned by them."""
    if not roles.officer_unit_ids:
        return []
    units = roles.officer_unit_ids
    pledges = (
        Pledge.objects.filter(state=Pledge.State.OPEN)
        .filter(
            Exists(
                Membership.objects.filter(
                    bloc=OuterRef("bloc"), year=OuterRef("year"), unit_id__in=units
                )
            )
        )
        .exclude(
            Exists(
                Signature.objects.filter(
                    pledge=OuterRef("pk"), unit_id__in=units, voided_at__isnull=True
                )
            )
        )
        .select_related("bloc")
    )
    return [
        TodoItem(
            title=_("Ghi nhận chữ ký giao ước thi đua năm {y}").format(y=p.year),
            url=reverse("pledges:pledge_detail", args=[p.pk]),
            detail=p.bloc.name,
            due=p.signing_on,
            urgent=p.signing_on is not None and (p.signing_on - today).days <= 1,
        )
        for p in pledges
    ]
