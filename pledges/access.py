"""Who may see and do what with a bloc-year's plan, regulation, movements and pledge.

Deny by default. Reading a bloc-year's pledge is for the people who read the whole bloc (the
authority's secretariat and reviewers, the bloc's secretariat, administrators) and for the
people of the units that are members of the bloc **that year**: a unit that left the bloc, or
never was in it, gets 404. Then:

- the secretariat of the bloc-year (``Roles.can_write_bloc(bloc, year)``) drafts the plan, the
  regulation and the pledge, records movements, records paper signatures, sends reminders and
  may enter achieved values for any member;
- a unit's officer records the signature of their own unit's head, and their own unit's
  achieved values; never another unit's (404, as if the unit were not there);
- the representative of that year's chair unit issues the plan and the regulation.

Outsiders get 404, people who may read but not do the thing get 403. Each helper works from
what the page has already loaded (the bloc, the members of the year, the chair unit), so it adds
no query of its own beyond the roles.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404

from blocs.access import roles_of


@dataclass(frozen=True)
class BlocYearAccess:
    can_write: bool  # the bloc-year's secretariat (or the authority's, or an administrator)
    own_unit_ids: frozenset[int] = field(default_factory=frozenset)  # officer of these members
    is_chair_rep: bool = False  # represents that year's chair unit
    is_admin: bool = False
    reads_whole_bloc: bool = False
    member_unit_ids: frozenset[int] = field(default_factory=frozenset)  # the person's own units

    def may_sign_for(self, unit_id: int) -> bool:
        return unit_id in self.own_unit_ids

    def may_enter_results_for(self, unit_id: int) -> bool:
        return self.can_write or unit_id in self.own_unit_ids

    @property
    def may_issue(self) -> bool:
        return self.is_chair_rep or self.is_admin


def bloc_year_access(user, bloc, year: int, member_ids, chair_id: int | None) -> BlocYearAccess:
    """The person's rights on one bloc-year; Http404 when they may not see it at all.

    ``member_ids``: the member units of that year; ``chair_id``: that year's chair unit.
    """
    roles = roles_of(user)
    members = set(member_ids)
    reads_whole_bloc = (
        roles.is_admin
        or bloc.authority_id in roles.readable_authority_ids
        or bloc.pk in roles.bloc_secretariat
    )
    if not reads_whole_bloc and not (roles.member_unit_ids & members):
        raise Http404
    return BlocYearAccess(
        can_write=roles.can_write_bloc(bloc, year),
        own_unit_ids=frozenset(roles.officer_unit_ids & members),
        is_chair_rep=chair_id is not None and chair_id in roles.chair_rep_unit_ids,
        is_admin=roles.is_admin,
        reads_whole_bloc=reads_whole_bloc,
        member_unit_ids=frozenset(roles.member_unit_ids & members),
    )


def require(condition: bool) -> None:
    """403 for someone who may read the page but not do this."""
    if not condition:
        raise PermissionDenied


def require_member(unit_id: int, member_ids) -> None:
    """A unit that is not a member of the bloc-year is not there (404)."""
    if unit_id not in set(member_ids):
        raise Http404


def require_unit_visible(access: BlocYearAccess, unit_id: int) -> None:
    """For one unit's form: another member unit's people get 404, as if the unit were not there.

    People who read the whole bloc (secretariat, reviewers, administrators) and the people of that
    very unit get through; the caller then decides between the form and 403.
    """
    if not access.reads_whole_bloc and unit_id not in access.member_unit_ids:
        raise Http404
