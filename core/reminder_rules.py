"""When a reminder is due. Pure: dates in, a decision out; no Django, no clock."""

import datetime as dt
from collections.abc import Sequence

# Days before a deadline at which people are reminded; 0 is the day itself.
DEFAULT_DAYS_BEFORE = (7, 3, 1, 0)


def reminder_stage(
    *, deadline: dt.date, today: dt.date, days_before: Sequence[int] = DEFAULT_DAYS_BEFORE
) -> int | None:
    """The reminder stage due today (days before the deadline), or None.

    The stage is the nearest one already reached, so a day the sender did not run (a holiday, a
    stopped server) delays a reminder to the next run instead of losing it, and a stage is never
    sent again once a later one has been reached (the caller records each stage once).
    """
    if today > deadline:
        return None
    reached = [days for days in days_before if deadline - dt.timedelta(days=days) <= today]
    return min(reached) if reached else None
