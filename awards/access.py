"""Who may see and do what with award types, rules, the registry, quotas and ballots.

Built on the roles of ``blocs.access``: outsiders get 404, people who may read but not write 403.

- The catalogue (award types, rules, legal bases) is read by anybody with a role; national data is
  edited by administrators, an authority's own legal bases also by its secretariat.
- The registry of a unit is read by whoever sees the unit. Entries are recorded by
  administrators, the authority's secretariat, its reviewer (who records the council's
  decisions, DESIGN §7.6), and the secretariat of a bloc the unit belonged to that year.
- Quotas and ballots belong to the bloc-year: its secretariat manages them; member units'
  officers cast their unit's ballot.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from awards.models import AwardRecord, Ballot, BallotItem, LegalBasis, RegistryImport
from blocs.access import blocs_visible_to, roles_of, units_visible_to
from blocs.models import Membership, Unit


def require_reader(user) -> None:
    if not roles_of(user).is_anybody:
        raise PermissionDenied


def can_edit_catalogue(user) -> bool:
    return roles_of(user).is_admin


def require_catalogue_editor(user) -> None:
    require_reader(user)
    if not can_edit_catalogue(user):
        raise PermissionDenied


def legal_basis_authorities(user):
    """The authorities whose own legal bases the person may add (administrators: all)."""
    from blocs.access import authorities_writable_by

    return authorities_writable_by(user)


def can_edit_legal_basis(user, basis: LegalBasis) -> bool:
    roles = roles_of(user)
    if roles.is_admin:
        return True
    return basis.authority_id is not None and basis.authority_id in roles.writable_authority_ids


def get_legal_basis_for_user(user, pk) -> LegalBasis:
    require_reader(user)
    try:
        basis = LegalBasis.objects.select_related("authority").get(pk=pk)
    except (LegalBasis.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_edit_legal_basis(user, basis):
        raise PermissionDenied
    return basis


# Registry -------------------------------------------------------------------------------------------


def records_visible_to(user):
    return AwardRecord.objects.filter(unit__in=units_visible_to(user).values("pk"))


def can_record_any(user) -> bool:
    """Whether the person records registry entries somewhere (menus, the import page)."""
    roles = roles_of(user)
    return roles.is_admin or bool(roles.readable_authority_ids or roles.bloc_secretariat)


def registry_scope(user):
    """A test of (unit, year) → may the person record that unit's award of that year. The bloc
    secretariat's memberships are read once, so an import of many rows stays at one query."""
    roles = roles_of(user)
    served_pairs: set[tuple[int, int]] = set()
    if roles.bloc_secretariat and not roles.is_admin:
        scope = Q(pk__in=[])
        for bloc_id, years in roles.bloc_secretariat.items():
            scope |= Q(bloc_id=bloc_id) if years is None else Q(bloc_id=bloc_id, year__in=years)
        served_pairs = set(Membership.objects.filter(scope).values_list("unit_id", "year"))

    def allowed(unit: Unit, year: int) -> bool:
        if roles.is_admin or unit.authority_id in roles.readable_authority_ids:
            return True
        return (unit.pk, year) in served_pairs

    return allowed


def can_record_award(user, unit: Unit, year: int) -> bool:
    return registry_scope(user)(unit, year)


def get_record_for_user(user, pk, *, write: bool = False) -> tuple[AwardRecord, bool]:
    try:
        record = (
            records_visible_to(user)
            .select_related("unit", "unit__authority", "award_type", "bloc")
            .get(pk=pk)
        )
    except (AwardRecord.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    can_write = can_record_award(user, record.unit, record.year)
    if write and not can_write:
        raise PermissionDenied
    return record, can_write


def get_import_for_user(user, pk) -> RegistryImport:
    if not can_record_any(user):
        raise PermissionDenied
    try:
        return RegistryImport.objects.get(pk=pk, created_by=user)
    except (RegistryImport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# Ballots -------------------------------------------------------------------------------------------


def get_ballot_for_user(user, pk, *, manage: bool = False) -> tuple[Ballot, bool]:
    """The ballot and whether the person manages it (the bloc-year's secretariat); 404 when they
    may not see its bloc."""
    try:
        ballot = Ballot.objects.select_related("bloc", "bloc__authority").get(
            pk=pk, bloc__in=blocs_visible_to(user).values("pk")
        )
    except (Ballot.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return ballot, _ballot_manager_check(user, ballot, manage)


def get_ballot_item_for_user(user, pk, *, manage: bool = False) -> tuple[BallotItem, bool]:
    """One award of a ballot, read with its ballot (``item.ballot``), and whether the person
    manages the ballot; the same 404 and 403 as ``get_ballot_for_user``. One query."""
    try:
        item = BallotItem.objects.select_related(
            "award_type", "ballot", "ballot__bloc", "ballot__bloc__authority"
        ).get(pk=pk, ballot__bloc__in=blocs_visible_to(user).values("pk"))
    except (BallotItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return item, _ballot_manager_check(user, item.ballot, manage)


def _ballot_manager_check(user, ballot: Ballot, manage: bool) -> bool:
    can_manage = roles_of(user).can_write_bloc(ballot.bloc, ballot.year)
    if manage and not can_manage:
        raise PermissionDenied
    return can_manage


def voter_unit_ids(user, ballot: Ballot, member_ids) -> list[int]:
    """The member units this person casts the ballot for: those they are the officer of."""
    officer = roles_of(user).officer_unit_ids
    return sorted(set(member_ids) & officer)


# Proposals ---------------------------------------------------------------------------------------


def is_chair_of_year(user, bloc, year: int) -> bool:
    """The representative of the unit that chairs the bloc THAT year (one query, or none when
    the bloc came from ``get_bloc_for_user`` for that year)."""
    from blocs.models import ChairTerm

    roles = roles_of(user)
    if not roles.chair_rep_unit_ids:
        return False
    if getattr(bloc, "chair_year", None) == year:
        chair = bloc.chair_id_of_year  # read with the bloc by get_bloc_for_user
    else:
        chair = (
            ChairTerm.objects.filter(bloc=bloc, year=year)
            .values_list("chair_id", flat=True)
            .first()
        )
    return chair is not None and chair in roles.chair_rep_unit_ids


def proposal_rights(user, bloc, year: int) -> dict:
    """What the person may do with the bloc-year's proposal."""
    roles = roles_of(user)
    secretariat = roles.can_write_bloc(bloc, year)
    return {
        "edit": secretariat,
        "approve": is_chair_of_year(user, bloc, year) or roles.is_admin,
        "issue": secretariat,
        "decide": roles.is_admin or bloc.authority_id in roles.readable_authority_ids,
    }


def get_proposal_for_user(user, pk, *, need: str | None = None):
    """The proposal and the person's rights; 404 when they may not see its bloc, 403 when the
    right ``need`` ("edit", "approve", "issue", "decide") is not theirs."""
    from awards.models import Proposal

    try:
        proposal = Proposal.objects.select_related("bloc", "bloc__authority").get(
            pk=pk, bloc__in=blocs_visible_to(user).values("pk")
        )
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    rights = proposal_rights(user, proposal.bloc, proposal.year)
    if need and not rights[need]:
        raise PermissionDenied
    return proposal, rights
