"""Who may see and do what with blocs and units.

Deny by default: a person sees only what one of their roles reaches. Outsiders get 404 (the
object might as well not exist), people who may read but not write get 403.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404

from blocs.models import Authority, Bloc, ChairTerm, Membership, Role, Unit, VetoCondition
from core.backends import ROLE_FIELDS, parse_role_rows


@dataclass
class Roles:
    is_admin: bool = False
    readable_authority_ids: set[int] = field(default_factory=set)
    writable_authority_ids: set[int] = field(default_factory=set)
    # bloc id -> the years its secretariat may write; None means every year.
    bloc_secretariat: dict[int, set[int] | None] = field(default_factory=dict)
    officer_unit_ids: set[int] = field(default_factory=set)
    chair_rep_unit_ids: set[int] = field(default_factory=set)

    @property
    def member_unit_ids(self) -> set[int]:
        return self.officer_unit_ids | self.chair_rep_unit_ids

    @property
    def is_anybody(self) -> bool:
        return bool(
            self.is_admin
            or self.readable_authority_ids
            or self.bloc_secretariat
            or self.member_unit_ids
        )

    @property
    def can_import(self) -> bool:
        return self.is_admin or bool(self.writable_authority_ids or self.bloc_secretariat)

    def can_write_bloc(self, bloc: Bloc, year: int | None = None) -> bool:
        if self.is_admin or bloc.authority_id in self.writable_authority_ids:
            return True
        if bloc.pk not in self.bloc_secretariat:
            return False
        years = self.bloc_secretariat[bloc.pk]
        # Without a year (the bloc's own particulars) only an unrestricted role may write.
        return years is None or (year is not None and year in years)


def roles_of(user) -> Roles:
    """The person's roles, read once per request and kept on the user object."""
    cached = getattr(user, "_thiduea_roles", None)
    if cached is not None:
        return cached
    roles = Roles()
    if user.is_authenticated:
        roles.is_admin = user.is_superuser
        # Signed-in requests carry the rows already (core.backends reads them with the user).
        preloaded = getattr(user, "role_rows", None)
        rows = (
            parse_role_rows(preloaded)
            if preloaded is not None
            else Role.objects.filter(user=user).values_list(*ROLE_FIELDS)
        )
        for kind, authority_id, bloc_id, unit_id, year in rows:
            if kind == Role.Kind.ADMIN:
                roles.is_admin = True
            elif kind == Role.Kind.REVIEWER:
                roles.readable_authority_ids.add(authority_id)
            elif kind == Role.Kind.SECRETARIAT and bloc_id is None:
                roles.readable_authority_ids.add(authority_id)
                roles.writable_authority_ids.add(authority_id)
            elif kind == Role.Kind.SECRETARIAT:
                years = roles.bloc_secretariat.get(bloc_id, set())
                if years is not None:
                    roles.bloc_secretariat[bloc_id] = None if year is None else years | {year}
            elif kind == Role.Kind.OFFICER:
                roles.officer_unit_ids.add(unit_id)
            elif kind == Role.Kind.CHAIR_REP:
                roles.chair_rep_unit_ids.add(unit_id)
    user._thiduea_roles = roles
    return roles


def blocs_visible_to(user):
    roles = roles_of(user)
    if roles.is_admin:
        return Bloc.objects.all()
    if not roles.is_anybody:
        return Bloc.objects.none()
    member_of = Membership.objects.filter(bloc=OuterRef("pk"), unit_id__in=roles.member_unit_ids)
    return Bloc.objects.filter(
        Q(authority_id__in=roles.readable_authority_ids)
        | Q(pk__in=list(roles.bloc_secretariat))
        | Q(Exists(member_of))
    )


def blocs_writable_by(user):
    roles = roles_of(user)
    if roles.is_admin:
        return Bloc.objects.all()
    return Bloc.objects.filter(
        Q(authority_id__in=roles.writable_authority_ids) | Q(pk__in=list(roles.bloc_secretariat))
    )


def units_visible_to(user):
    roles = roles_of(user)
    if roles.is_admin:
        return Unit.objects.all()
    if not roles.is_anybody:
        return Unit.objects.none()
    in_visible_bloc = Membership.objects.filter(
        unit=OuterRef("pk"), bloc__in=blocs_visible_to(user).values("pk")
    )
    return Unit.objects.filter(
        Q(authority_id__in=roles.readable_authority_ids)
        | Q(pk__in=roles.member_unit_ids)
        | Q(Exists(in_visible_bloc))
    )


def get_bloc_for_user(
    user, pk, *, year: int | None = None, write: bool = False
) -> tuple[Bloc, bool]:
    """The bloc and whether the person may change it (for that year); 404 when they may not see it."""
    roles = roles_of(user)
    queryset = blocs_visible_to(user).select_related("authority")
    if year is not None and roles.chair_rep_unit_ids:
        # A chair's rights on the page depend on who chairs that year: read it with the bloc.
        queryset = queryset.annotate(
            chair_id_of_year=Subquery(
                ChairTerm.objects.filter(bloc=OuterRef("pk"), year=year).values("chair_id")[:1]
            )
        )
    try:
        bloc = queryset.get(pk=pk)
    except (Bloc.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if year is not None and roles.chair_rep_unit_ids:
        bloc.chair_year = year
    can_write = roles.can_write_bloc(bloc, year)
    if write and not can_write:
        raise PermissionDenied
    return bloc, can_write


def can_lead_election(user, bloc: Bloc, year: int) -> bool:
    """Electing year's chair term: the bloc's secretariat for that year, or the outgoing chair.

    The outgoing chair is the representative of the unit that chairs the year before: chair
    powers last only for the years that unit chairs the bloc.
    Once a later term is on record, the outgoing chair's power over ``year`` has passed.
    """
    roles = roles_of(user)
    if roles.can_write_bloc(bloc, year):
        return True
    if not roles.chair_rep_unit_ids:
        return False
    terms = dict(
        ChairTerm.objects.filter(bloc=bloc, year__gte=year - 1).values_list("year", "chair_id")
    )
    outgoing = terms.get(year - 1) in roles.chair_rep_unit_ids
    return outgoing and not any(later > year for later in terms)


def get_unit_for_user(user, pk, *, write: bool = False) -> tuple[Unit, bool]:
    unit = get_visible_unit(user, pk)
    can_write = can_write_unit(user, unit)
    if write and not can_write:
        raise PermissionDenied
    return unit, can_write


def can_write_unit(user, unit: Unit) -> bool:
    roles = roles_of(user)
    if roles.is_admin or unit.authority_id in roles.writable_authority_ids:
        return True
    if not roles.bloc_secretariat:
        return False
    # A bloc's secretariat may keep the particulars of the units it has had in the years it serves.
    scope = Q(pk__in=[])
    for bloc_id, years in roles.bloc_secretariat.items():
        scope |= Q(bloc_id=bloc_id) if years is None else Q(bloc_id=bloc_id, year__in=years)
    return Membership.objects.filter(scope, unit=unit).exists()


def units_mergeable_by(user, unit: Unit):
    """Units ``unit`` may be merged into: same authority, not merged away, visible to the person."""
    return (
        units_visible_to(user)
        .filter(authority_id=unit.authority_id, merged_into__isnull=True)
        .exclude(pk=unit.pk)
        .order_by("full_name")
    )


def authorities_writable_by(user):
    roles = roles_of(user)
    if roles.is_admin:
        return Authority.objects.all()
    return Authority.objects.filter(pk__in=roles.writable_authority_ids)


def can_write_unit_year(user, unit: Unit, year: int) -> bool:
    """Who may record a unit's figures for a year: its own officer, the secretariat of a bloc the
    unit belonged to that year (for that year), the authority's secretariat, an administrator."""
    roles = roles_of(user)
    if roles.is_admin or unit.authority_id in roles.writable_authority_ids:
        return True
    if unit.pk in roles.officer_unit_ids:
        return True
    return _bloc_secretariat_of_unit_year(roles, unit, year)


def can_record_vetoes(user, unit: Unit, year: int) -> bool:
    """Veto conditions are the secretariat's to record, never the unit's own."""
    roles = roles_of(user)
    if roles.is_admin or unit.authority_id in roles.writable_authority_ids:
        return True
    return _bloc_secretariat_of_unit_year(roles, unit, year)


def can_see_vetoes(user, unit: Unit) -> bool:
    """Veto conditions (an investigation, a complaint) are not for the other member units."""
    roles = roles_of(user)
    return (
        roles.is_admin
        or unit.authority_id in roles.readable_authority_ids
        or unit.pk in roles.member_unit_ids
        or (
            bool(roles.bloc_secretariat)
            and Membership.objects.filter(
                unit=unit, bloc_id__in=list(roles.bloc_secretariat)
            ).exists()
        )
    )


def _bloc_secretariat_of_unit_year(roles: Roles, unit: Unit, year: int) -> bool:
    blocs = [
        bloc_id
        for bloc_id, years in roles.bloc_secretariat.items()
        if years is None or year in years
    ]
    return (
        bool(blocs) and Membership.objects.filter(unit=unit, year=year, bloc_id__in=blocs).exists()
    )


def get_veto_condition_for_user(user, pk):
    """A veto condition the person may lift; 404 when they may not see it, 403 when only read."""
    try:
        condition = VetoCondition.objects.select_related("unit").get(pk=pk)
    except (VetoCondition.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    unit, _can_write = get_unit_for_user(user, condition.unit_id)
    if not can_see_vetoes(user, unit):
        raise Http404
    if not can_record_vetoes(user, unit, condition.year):
        raise PermissionDenied
    return condition


@dataclass(frozen=True)
class UnitPageAccess:
    can_write: bool
    can_see_vetoes: bool
    fact_years: set[int]
    veto_years: set[int]


def unit_page_access(user, unit: Unit, memberships) -> UnitPageAccess:
    """Everything the unit page needs to know about the person's rights, from the memberships it
    has already loaded (those in blocs the person sees, which include the blocs they serve):
    no query of its own."""
    roles = roles_of(user)
    years = {m.year for m in memberships}
    if roles.is_admin or unit.authority_id in roles.writable_authority_ids:
        return UnitPageAccess(True, True, years, years)
    served = {
        m.year
        for m in memberships
        if m.bloc_id in roles.bloc_secretariat
        and (
            roles.bloc_secretariat[m.bloc_id] is None or m.year in roles.bloc_secretariat[m.bloc_id]
        )
    }
    in_served_bloc = any(m.bloc_id in roles.bloc_secretariat for m in memberships)
    own = unit.pk in roles.officer_unit_ids
    return UnitPageAccess(
        can_write=bool(served),
        can_see_vetoes=in_served_bloc
        or unit.pk in roles.member_unit_ids
        or unit.authority_id in roles.readable_authority_ids,
        fact_years=years if own else served,
        veto_years=served,
    )


def get_visible_unit(user, pk) -> Unit:
    """The unit, or 404; the caller works out what the person may do with it."""
    try:
        return units_visible_to(user).select_related("authority", "merged_into").get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
