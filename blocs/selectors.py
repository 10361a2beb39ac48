"""Every read the bloc and unit pages use. Each takes the acting user; each page's query count is fixed."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain

from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from blocs import rules
from blocs.access import blocs_visible_to, units_visible_to
from blocs.models import (
    Bloc,
    ChairTerm,
    Conference,
    Membership,
    Unit,
    UnitName,
    UnitYearFacts,
    VetoCondition,
)
from core.text import search_terms


def _words_match(field: str, terms: list[str]) -> Q:
    """Every term starts a word of the folded key (keys are words separated by single spaces)."""
    condition = Q()
    for term in terms:
        condition &= Q(**{f"{field}__startswith": term}) | Q(**{f"{field}__contains": f" {term}"})
    return condition


def _units_matching(terms: list[str]):
    return Unit.objects.filter(_words_match("search_key", terms)).values("pk")


def names_by_unit(unit_ids) -> dict[int, list[tuple]]:
    """unit id → its names as (full_name, short_name, valid_from, valid_until), oldest first (the
    rows ``rules.name_for_year`` reads). One query."""
    names = defaultdict(list)
    # Oldest first: of two names starting the same year, name_for_year takes the later row. Not
    # the model's ordering, which joins the units only to sort by their current names.
    rows = UnitName.objects.filter(unit_id__in=set(unit_ids)).order_by(
        F("valid_from").asc(nulls_first=True), "pk"
    )
    for unit_id, full_name, short_name, valid_from, valid_until in rows.values_list(
        "unit_id", "full_name", "short_name", "valid_from", "valid_until"
    ):
        names[unit_id].append((full_name, short_name, valid_from, valid_until))
    return names


@dataclass
class UnitInYear:
    """A unit as it was called in a given year."""

    unit: Unit
    name: str

    @property
    def pk(self):
        return self.unit.pk

    def __str__(self):
        return self.name


def name_in_year(year: int, unit_ref: str = "unit"):
    """The name a unit carried in ``year`` as a subquery (``rules.name_for_year`` in SQL): the
    latest-starting name whose validity overlaps the year. ``unit_ref`` is the outer reference
    to the unit ("unit" from a membership, "pk" from a unit)."""
    return Subquery(
        UnitName.objects.filter(unit=OuterRef(unit_ref))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=dt.date(year, 12, 31)))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=dt.date(year, 1, 1)))
        .order_by(F("valid_from").desc(nulls_last=True), "-pk")
        .values("full_name")[:1]
    )


def _in_year(unit: Unit | None, year: int, names) -> UnitInYear | None:
    if unit is None:
        return None
    return UnitInYear(
        unit=unit, name=rules.name_for_year(names.get(unit.pk, []), year, unit.full_name)
    )


# Bloc list --------------------------------------------------------------------------------------


def bloc_list(
    *,
    user,
    query: str = "",
    authority_id: int | None = None,
    kind: str = "",
    year: int | None = None,
):
    """Visible blocs, filtered; each annotated with the year shown and its member count."""
    blocs = blocs_visible_to(user).select_related("authority")
    terms = search_terms(query)
    if terms:
        # A bloc matches when its own name, or one member's name, holds every word typed, each
        # word matching the start of a word ("so y te" finds "Sở Y tế", not "Bộ Chỉ huy … tên").
        member_matches = Membership.objects.filter(
            bloc=OuterRef("pk"), unit__in=_units_matching(terms)
        )
        if year:
            member_matches = member_matches.filter(year=year)
        blocs = blocs.filter(_words_match("search_key", terms) | Q(Exists(member_matches)))
    if authority_id:
        blocs = blocs.filter(authority_id=authority_id)
    if kind:
        blocs = blocs.filter(kind=kind)
    if year:
        blocs = blocs.filter(Exists(Membership.objects.filter(bloc=OuterRef("pk"), year=year)))
        shown_year = Subquery(
            Membership.objects.filter(bloc=OuterRef("pk"), year=year).values("year")[:1],
            output_field=IntegerField(),
        )
    else:
        shown_year = Subquery(
            Membership.objects.filter(bloc=OuterRef("pk")).order_by("-year").values("year")[:1],
            output_field=IntegerField(),
        )
    blocs = blocs.annotate(shown_year=shown_year)
    member_count = (
        Membership.objects.filter(bloc=OuterRef("pk"), year=OuterRef("shown_year"))
        .order_by()
        .values("bloc")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return blocs.annotate(
        member_count=Coalesce(Subquery(member_count, output_field=IntegerField()), 0)
    ).order_by("authority__name", "kind", "code", "pk")


def bloc_list_attach_chairs(blocs) -> None:
    """Put each listed bloc's chair term of its shown year on it: one query for the page."""
    blocs = list(blocs)
    shown = {(bloc.pk, bloc.shown_year) for bloc in blocs if bloc.shown_year}
    terms = {}
    if shown:
        # The blocs × years of the page, the unwanted pairs dropped here: a page shows one or two
        # years, and one IN per column compiles in a fraction of the time of 25 ORed pairs. No
        # ordering: into a dict (the model's joins the bloc and its authority).
        for term in (
            ChairTerm.objects.filter(
                bloc_id__in={b for b, _y in shown}, year__in={y for _b, y in shown}
            )
            .select_related("chair", "vice_chair")
            .order_by()
        ):
            if (term.bloc_id, term.year) in shown:
                terms[(term.bloc_id, term.year)] = term
    for bloc in blocs:
        bloc.chair_term = terms.get((bloc.pk, bloc.shown_year))


def bloc_filter_years(*, user) -> list[int]:
    return list(
        Membership.objects.filter(bloc__in=blocs_visible_to(user).values("pk"))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


# Bloc page --------------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    date: object
    label: str
    detail: str = ""


@dataclass
class BlocYear:
    bloc: Bloc
    year: int
    members: list[UnitInYear]
    term: ChairTerm | None
    chair: UnitInYear | None
    vice_chair: UnitInYear | None
    chair_history: list[dict]
    conferences: list[Conference]
    years: list[int]
    next_term: ChairTerm | None = None
    next_chair: UnitInYear | None = None
    next_vice_chair: UnitInYear | None = None
    next_year_missing: bool = True
    proposal: rules.ChairProposal | None = None
    proposal_names: dict = field(default_factory=dict)
    timeline: list[TimelineEntry] = field(default_factory=list)


def bloc_year_detail(*, user, bloc: Bloc, year: int) -> BlocYear:
    memberships = list(
        Membership.objects.filter(bloc=bloc, year__in=[year, year + 1])
        .select_related("unit")
        .order_by("position", "unit__full_name")
    )
    this_year = [m.unit for m in memberships if m.year == year]
    next_year = [m.unit for m in memberships if m.year == year + 1]
    terms = list(
        ChairTerm.objects.filter(bloc=bloc)
        .select_related("chair", "vice_chair", "handover_from", "handover_to")
        # Not the model's ordering: within one bloc it joins the bloc and its authority to sort.
        .order_by("-year")
    )
    conferences = list(
        Conference.objects.filter(bloc=bloc, year=year)
        .select_related("presiding_unit")
        .order_by("held_on")
    )
    years = sorted(
        set(
            Membership.objects.filter(bloc=bloc)
            .order_by()
            .values_list("year", flat=True)
            .distinct()
        )
        | {t.year for t in terms}
        | {year}
    )
    unit_ids = {u.pk for u in this_year} | {u.pk for u in next_year}
    for term in terms:
        unit_ids |= {term.chair_id, term.vice_chair_id, term.handover_from_id, term.handover_to_id}
    unit_ids |= {c.presiding_unit_id for c in conferences}
    unit_ids.discard(None)
    names = names_by_unit(unit_ids)

    term = next((t for t in terms if t.year == year), None)
    next_term = next((t for t in terms if t.year == year + 1), None)
    history = [
        {
            "term": t,
            "chair": _in_year(t.chair, t.year, names),
            "vice_chair": _in_year(t.vice_chair, t.year, names),
            "handover_from": _in_year(t.handover_from, t.year, names),
            "handover_to": _in_year(t.handover_to, t.year, names),
        }
        for t in sorted(terms, key=lambda t: -t.year)
    ]
    proposal_members = next_year or this_year
    proposal = rules.propose_next_chair(
        rule=bloc.rotation_rule,
        chair=term.chair_id if term else None,
        vice_chair=term.vice_chair_id if term else None,
        next_members=[u.pk for u in proposal_members],
    )
    by_pk = {u.pk: u for u in chain(this_year, next_year)}
    proposal_names = {
        role: _in_year(by_pk.get(pk), year + 1, names)
        for role, pk in (("chair", proposal.chair), ("vice_chair", proposal.vice_chair))
        if pk
    }
    detail = BlocYear(
        bloc=bloc,
        year=year,
        members=[_in_year(u, year, names) for u in this_year],
        term=term,
        chair=_in_year(term.chair, year, names) if term else None,
        vice_chair=_in_year(term.vice_chair, year, names) if term else None,
        chair_history=history,
        conferences=conferences,
        years=years,
        next_term=next_term,
        next_chair=_in_year(next_term.chair, year + 1, names) if next_term else None,
        next_vice_chair=_in_year(next_term.vice_chair, year + 1, names) if next_term else None,
        next_year_missing=(year + 1) not in years,
        proposal=proposal,
        proposal_names=proposal_names,
    )
    detail.timeline = _timeline(detail, names)
    return detail


def _timeline(detail: BlocYear, names) -> list[TimelineEntry]:

    entries = []
    for conference in detail.conferences:
        presiding = _in_year(conference.presiding_unit, detail.year, names)
        parts = [
            p
            for p in (
                conference.place,
                str(presiding) if presiding else "",
                conference.presiding_person,
            )
            if p
        ]
        entries.append(
            TimelineEntry(conference.held_on, conference.get_kind_display(), " · ".join(parts))
        )
    for row in detail.chair_history:
        term = row["term"]
        if term.elected_on and term.elected_on.year == detail.year:
            entries.append(
                TimelineEntry(
                    term.elected_on,
                    _("Bầu {chair_word} năm {y}").format(
                        chair_word=detail.bloc.chair_word, y=term.year
                    ),
                    f"{row['chair']}"
                    + (
                        f" · {detail.bloc.vice_chair_word}: {row['vice_chair']}"
                        if row["vice_chair"]
                        else ""
                    ),
                )
            )
        if term.handover_on and term.handover_on.year == detail.year:
            entries.append(
                TimelineEntry(
                    term.handover_on,
                    _("Trao cờ luân lưu"),
                    f"{row['handover_from'] or '—'} → {row['handover_to'] or '—'}",
                )
            )
    return sorted(entries, key=lambda e: e.date)


def bloc_latest_year(bloc: Bloc) -> int | None:
    return Membership.objects.filter(bloc=bloc).aggregate(y=Max("year"))["y"]


def bloc_members_export_rows(*, bloc: Bloc, year: int) -> list[list]:
    memberships = list(
        Membership.objects.filter(bloc=bloc, year=year)
        .select_related("unit")
        .order_by("position", "unit__full_name")
    )
    names = names_by_unit(m.unit_id for m in memberships)
    term = ChairTerm.objects.filter(bloc=bloc, year=year).order_by().first()
    rows = []
    for index, m in enumerate(memberships, start=1):
        office = ""
        if term and m.unit_id == term.chair_id:
            office = str(bloc.chair_word)
        elif term and m.unit_id == term.vice_chair_id:
            office = str(bloc.vice_chair_word)
        rows.append(
            [
                index,
                rules.name_for_year(names.get(m.unit_id, []), year, m.unit.full_name),
                m.unit.short_name,
                m.unit.parent_body,
                m.unit.head_title,
                m.unit.address,
                office,
            ]
        )
    return rows


def units_addable(*, bloc: Bloc, year: int):
    """Units of the authority that could join this bloc-year: not merged away, not yet members."""
    return (
        Unit.objects.filter(authority_id=bloc.authority_id)
        .exclude(memberships__bloc=bloc, memberships__year=year)
        .filter(Q(merged_on__isnull=True) | Q(merged_on__gt=dt.date(year, 1, 1)))
        .order_by("full_name")
    )


def units_addable_matching(*, bloc: Bloc, year: int, query: str, limit: int = 20) -> list[Unit]:
    """The first units that could join and whose names match what was typed (diacritics and tone
    placement ignored), for the add-member search of the bloc page."""
    terms = search_terms(query)
    if not terms:
        return []
    units = units_addable(bloc=bloc, year=year).filter(_words_match("search_key", terms))
    return list(units.order_by("search_key")[:limit])


def chair_proposal(*, bloc: Bloc, year: int, members) -> rules.ChairProposal:
    """Whom the bloc's rotation rule proposes as chair and vice-chair of ``year``, from last
    year's term and ``members`` (the units of ``year``, or of last year while ``year`` has none
    recorded: what the bloc page of last year proposes). One query."""
    previous = ChairTerm.objects.filter(bloc=bloc, year=year - 1).order_by().first()
    return rules.propose_next_chair(
        rule=bloc.rotation_rule,
        chair=previous.chair_id if previous else None,
        vice_chair=previous.vice_chair_id if previous else None,
        next_members=[u.pk for u in members],
    )


def bloc_members_of_year(*, bloc: Bloc, year: int):
    return Unit.objects.filter(memberships__bloc=bloc, memberships__year=year).order_by(
        "memberships__position", "full_name"
    )


# Unit page ----------------------------------------------------------------------------------------


@dataclass
class UnitDetail:
    unit: Unit
    names: list[UnitName]
    memberships: list[Membership]
    chair_terms: list[ChairTerm]
    merged_from: list[Unit]
    facts: list[UnitYearFacts] = field(default_factory=list)
    vetoes: list[VetoCondition] | None = None  # None: not for this reader

    @property
    def fact_rows(self) -> list[tuple[int, UnitYearFacts | None]]:
        """(year, figures or None) for every year the unit was a member or has figures, newest first."""
        by_year = {f.year: f for f in self.facts}
        years = {m.year for m in self.memberships} | set(by_year)
        return [(year, by_year.get(year)) for year in sorted(years, reverse=True)]


def unit_detail(*, user, unit: Unit) -> UnitDetail:
    visible_blocs = blocs_visible_to(user).values("pk")
    memberships = list(
        Membership.objects.filter(unit=unit, bloc__in=visible_blocs)
        .select_related("bloc", "bloc__authority")
        .order_by("-year", "bloc__code")
    )
    terms = list(
        ChairTerm.objects.filter(Q(chair=unit) | Q(vice_chair=unit), bloc__in=visible_blocs)
        .select_related("bloc")
        .order_by("-year")
    )
    for term in terms:
        term.office = (
            term.bloc.chair_word if term.chair_id == unit.pk else term.bloc.vice_chair_word
        )
    return UnitDetail(
        unit=unit,
        names=list(unit.names.order_by(F("valid_from").asc(nulls_first=True))),
        memberships=memberships,
        chair_terms=terms,
        merged_from=list(unit.merged_from.all()),
    )


def unit_detail_attach_facts(detail: UnitDetail, *, with_vetoes: bool) -> None:
    """Add the unit's yearly figures (and its veto conditions, for those who may see them)."""
    detail.facts = list(detail.unit.year_facts.order_by("-year"))
    if with_vetoes:
        detail.vetoes = list(detail.unit.veto_conditions.order_by("-year", "recorded_on"))


def unit_list(*, user, query: str = ""):
    units = units_visible_to(user).select_related("authority", "merged_into")
    terms = search_terms(query)
    if terms:
        units = units.filter(_words_match("search_key", terms))
    # The folded key sorts as Vietnamese readers expect far better than code points do
    # ("Ban Tổ chức" before "Ban Tuyên giáo", "Ủy ban" among the U's).
    return units.order_by("authority__name", "search_key")


# History ------------------------------------------------------------------------------------------


def bloc_history(*, bloc: Bloc, limit: int = 50) -> list:
    """Changes to the bloc, its memberships, chair terms and conferences, newest first."""
    records = chain(
        bloc.history.select_related("history_user")[:limit],
        Membership.history.filter(bloc_id=bloc.pk).select_related("history_user", "unit")[:limit],
        ChairTerm.history.filter(bloc_id=bloc.pk).select_related(
            "history_user", "chair", "vice_chair"
        )[:limit],
        Conference.history.filter(bloc_id=bloc.pk).select_related("history_user")[:limit],
    )
    return _with_diffs(sorted(records, key=lambda r: r.history_date, reverse=True)[:limit])


def unit_history(*, unit: Unit, limit: int = 50) -> list:
    records = chain(
        unit.history.select_related("history_user")[:limit],
        UnitName.history.filter(unit_id=unit.pk).select_related("history_user")[:limit],
    )
    return _with_diffs(sorted(records, key=lambda r: r.history_date, reverse=True)[:limit])


def _history_label(record) -> str:

    model = record.instance_type
    if model is Membership:
        return _("Thành viên năm {y}: {u}").format(y=record.year, u=record.unit.full_name)
    if model is ChairTerm:
        return _("Nhiệm kỳ năm {y}").format(y=record.year)
    if model is Conference:
        return _("Hội nghị ngày {d:%d/%m/%Y}").format(d=record.held_on)
    if model is UnitName:
        return _("Tên: {n}").format(n=record.full_name)
    if model in (Bloc, Unit):
        return record.name if model is Bloc else record.full_name
    return str(model._meta.verbose_name)


_HIDDEN_FIELDS = {"search_key", "version", "former_names"}


def _with_diffs(records) -> list:
    """Attach old → new for each updated record. prev_record costs a query; batch them instead."""
    by_model = defaultdict(list)
    for record in records:
        record.label = _history_label(record)
        by_model[type(record)].append(record)
    for model, group in by_model.items():
        ids = {r.id for r in group}
        # One query per history model: every version of the objects shown, in order.
        previous = defaultdict(list)
        for older in model.objects.filter(id__in=ids).order_by("history_date"):
            previous[older.id].append(older)
        for record in group:
            record.changes = []
            if record.history_type != "~":
                continue
            versions = previous[record.id]
            before = [v for v in versions if v.history_date < record.history_date]
            if not before:
                continue
            delta = record.diff_against(before[-1])
            record.changes = []
            for change in delta.changes:
                if change.field in _HIDDEN_FIELDS:
                    continue
                model_field = model.instance_type._meta.get_field(change.field)
                record.changes.append(
                    {
                        "field": model_field.verbose_name,
                        "old": change.old,
                        "new": change.new,
                        "unit_ref": getattr(model_field, "related_model", None) is Unit,
                    }
                )
    # Foreign keys to units show names, not ids: one query for the whole page.
    unit_ids = {
        value
        for r in records
        for c in getattr(r, "changes", [])
        if c["unit_ref"]
        for value in (c["old"], c["new"])
        if value
    }
    if unit_ids:
        names = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "full_name"))
        for record in records:
            for change in record.changes:
                if change["unit_ref"]:
                    change["old"] = names.get(change["old"], change["old"])
                    change["new"] = names.get(change["new"], change["new"])
    return records


# Facts of unit-years (read by scoring and awards) --------------------------------------------------


@dataclass(frozen=True)
class VetoInForce:
    unit_id: int
    kind: str
    label: str
    description: str
    source: str
    recorded_on: dt.date


def unit_year_facts(*, unit_ids, year: int) -> dict[int, UnitYearFacts]:
    """unit id → its facts for ``year`` (units without a row are absent). One query."""
    # .order_by(): one row per unit-year, into a dict; the model's ordering joins the units.
    return {
        f.unit_id: f
        for f in UnitYearFacts.objects.filter(unit_id__in=set(unit_ids), year=year).order_by()
    }


def vetoes_in_force(*, unit_ids, year: int, on: dt.date) -> dict[int, list[VetoInForce]]:
    """unit id → the veto conditions of ``year`` in force on ``on``. One query."""
    found = defaultdict(list)
    for condition in VetoCondition.objects.filter(
        unit_id__in=set(unit_ids), year=year, recorded_on__lte=on
    ).order_by("recorded_on", "pk"):
        if rules.veto_in_force(
            recorded_on=condition.recorded_on, lifted_on=condition.lifted_on, on=on
        ):
            found[condition.unit_id].append(
                VetoInForce(
                    unit_id=condition.unit_id,
                    kind=condition.kind,
                    label=condition.get_kind_display(),
                    description=condition.description,
                    source=condition.source,
                    recorded_on=condition.recorded_on,
                )
            )
    return dict(found)


@dataclass
class FactsRow:
    unit: UnitInYear
    facts: UnitYearFacts | None
    vetoes: list[VetoCondition]

    def share(self, count_field: str):
        """A count as a percentage of the headcount, or None when either is blank."""
        if not self.facts or not self.facts.headcount:
            return None
        value = getattr(self.facts, count_field)
        return None if value is None else round(100 * value / self.facts.headcount, 1)

    @property
    def women_share(self):
        return self.share("women")

    @property
    def advanced_share(self):
        return self.share("advanced_workers")


def bloc_year_facts(*, bloc: Bloc, year: int, with_vetoes: bool) -> list[FactsRow]:
    """The members of a bloc-year with their figures (and veto conditions, for those who may see
    them). Four queries whatever the number of members."""
    memberships = list(
        Membership.objects.filter(bloc=bloc, year=year)
        .select_related("unit")
        .order_by("position", "unit__full_name")
    )
    unit_ids = [m.unit_id for m in memberships]
    names = names_by_unit(unit_ids)
    facts = unit_year_facts(unit_ids=unit_ids, year=year)
    vetoes = defaultdict(list)
    if with_vetoes:
        for condition in VetoCondition.objects.filter(unit_id__in=unit_ids, year=year):
            vetoes[condition.unit_id].append(condition)
    return [
        FactsRow(
            unit=_in_year(m.unit, year, names), facts=facts.get(m.unit_id), vetoes=vetoes[m.unit_id]
        )
        for m in memberships
    ]


# The person's overview (home page) ----------------------------------------------------------------


@dataclass
class UnitOverview:
    unit: Unit
    blocs: list[Membership]  # the unit's memberships in its latest year


@dataclass
class PersonOverview:
    units: list[UnitOverview]
    blocs_run: list[Bloc]
    authorities: list


def person_overview(*, user) -> PersonOverview:
    """What the home page lists: the person's units with their current blocs, the blocs they
    run, the authorities they see. At most four queries."""
    from blocs.access import roles_of
    from blocs.models import Authority

    roles = roles_of(user)
    units = []
    if roles.member_unit_ids:
        memberships = list(
            Membership.objects.filter(unit_id__in=roles.member_unit_ids)
            .select_related("unit", "bloc")
            .order_by("unit__full_name", "-year", "bloc__code")
        )
        by_unit: dict[int, list[Membership]] = defaultdict(list)
        for membership in memberships:
            latest = by_unit[membership.unit_id]
            if not latest or latest[0].year == membership.year:
                latest.append(membership)
        seen = {}
        for membership in memberships:
            seen.setdefault(membership.unit_id, membership.unit)
        units = [UnitOverview(unit=unit, blocs=by_unit[pk]) for pk, unit in seen.items()]
    blocs_run = []
    if roles.bloc_secretariat:
        blocs_run = list(
            Bloc.objects.filter(pk__in=list(roles.bloc_secretariat))
            .select_related("authority")
            .order_by("authority__name", "code")
        )
    authority_ids = roles.readable_authority_ids
    authorities = (
        list(Authority.objects.all())
        if roles.is_admin
        else list(Authority.objects.filter(pk__in=authority_ids))
    )
    return PersonOverview(units=units, blocs_run=blocs_run, authorities=authorities)


def officer_emails(*, unit_ids) -> dict[int, list[str]]:
    """unit id → the e-mail addresses of its emulation officers (reminders). One query."""
    from blocs.models import Role

    found = defaultdict(list)
    for unit_id, email in (
        Role.objects.filter(kind=Role.Kind.OFFICER, unit_id__in=set(unit_ids), user__is_active=True)
        .exclude(user__email="")
        .values_list("unit_id", "user__email")
        .order_by("unit_id", "user__email")
    ):
        found[unit_id].append(email)
    return dict(found)
