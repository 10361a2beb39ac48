"""Who still has to sign, and is the pledge in force? Pure: no Django, no clock.

A pledge comes into force when every member unit of its bloc-year has a (not voided) signature;
it takes effect on the day the last of them signed. Units that signed but are no longer members
(they left the bloc that year) do not count either way.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class SigningStatus:
    members: tuple[int, ...]
    signed: frozenset[int]
    missing: tuple[int, ...]
    in_force: bool
    in_force_on: dt.date | None

    @property
    def signed_count(self) -> int:
        return len(self.members) - len(self.missing)


def signing_status(*, members: Iterable[int], signed_on: Mapping[int, dt.date]) -> SigningStatus:
    """``members``: the member units in the bloc-year's order; ``signed_on``: unit → day signed."""
    ordered = tuple(dict.fromkeys(members))
    missing = tuple(unit for unit in ordered if unit not in signed_on)
    complete = bool(ordered) and not missing
    return SigningStatus(
        members=ordered,
        signed=frozenset(unit for unit in ordered if unit in signed_on),
        missing=missing,
        in_force=complete,
        in_force_on=max(signed_on[unit] for unit in ordered) if complete else None,
    )
