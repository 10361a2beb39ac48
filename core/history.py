"""History for writes that bypass Model.save(): conditional and bulk updates.

django-simple-history records on save() and delete(); a queryset.update() (the optimistic-lock
path) would slip past it, so every such update goes through update_with_history.
"""

from django.db import transaction


@transaction.atomic
def update_with_history(queryset, *, actor, reason: str = "", **changes) -> int:
    """Apply ``changes`` to the rows of ``queryset`` and record one history row per changed row.

    Returns the number of rows updated (0 when a version guard in the queryset did not match).
    """
    model = queryset.model
    pks = list(queryset.select_for_update().values_list("pk", flat=True))
    if not pks:
        return 0
    updated = model._default_manager.filter(pk__in=pks).update(**changes)
    model.history.bulk_history_create(
        list(model._default_manager.filter(pk__in=pks)),
        update=True,
        default_user=actor,
        default_change_reason=reason or None,
    )
    return updated
