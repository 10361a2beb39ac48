"""Who sees and writes a unit's report, its scores and evidence, and the results.

The expected outcomes are written by hand (DESIGN §7.13), never derived from scoring/access.py.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from blocs.models import Membership, Role
from scoring import access, services
from tests.conftest import THIS_YEAR, make_user
from tests.scoring.factories import FULL, build_table, evidence_file, fill, open_period

READ_WRITE, READ_ONLY, NOT_FOUND = "read-write", "read-only", "404"

# Unit A's report for bloc X, 2026.
EXPECTED = {
    "anonymous": NOT_FOUND,
    "officer_a": READ_WRITE,  # their own unit
    "officer_b": NOT_FOUND,  # another bloc's unit
    "officer_c": NOT_FOUND,  # another member of the same bloc-year, no cross-scoring
    "secretariat_x": READ_WRITE,
    "secretariat_y": NOT_FOUND,
    "secretariat_authority": READ_WRITE,
    "secretariat_x_last_year": READ_ONLY,  # reads the bloc, writes only 2025
    "chair_this_year": NOT_FOUND,  # represents unit C
    "chair_last_year": NOT_FOUND,  # represents unit D
    "reviewer": READ_ONLY,
    "admin": READ_WRITE,
}


@pytest.fixture
def report_a(world):
    officer_c = make_user("officer-c", full_name="Cán bộ C")
    Role.objects.create(user=officer_c, kind=Role.Kind.OFFICER, unit=world.unit_c)
    world.users["officer_c"] = officer_c
    secretariat = world.users["secretariat_x"]
    table, leaves = build_table(secretariat, world.bloc_x)
    period = open_period(secretariat, world.bloc_x, table)
    report = services.report_start(actor=world.users["officer_a"], period=period, unit=world.unit_a)
    evidence = services.evidence_add(
        actor=world.users["officer_a"],
        report=report,
        upload=evidence_file(),
        criterion=leaves["I.1"],
    )
    return report, evidence, leaves


def outcome(get, user, pk):
    try:
        _obj, can_write = get(user, pk)
    except Http404:
        return NOT_FOUND
    if not can_write:
        with pytest.raises(PermissionDenied):
            get(user, pk, write=True)
        return READ_ONLY
    get(user, pk, write=True)
    return READ_WRITE


def person(world, name):
    user = world.users[name]
    return AnonymousUser() if user is None else type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_who_may_open_and_write_unit_as_report(world, report_a, name):
    report, _evidence, _leaves = report_a
    assert outcome(access.get_report_for_user, person(world, name), report.pk) == EXPECTED[name]


@pytest.mark.parametrize("name", list(EXPECTED))
def test_evidence_files_follow_their_report(world, report_a, name):
    _report, evidence, _leaves = report_a
    assert outcome(access.get_evidence_for_user, person(world, name), evidence.pk) == EXPECTED[name]


def test_unit_officer_cannot_see_other_units_reports_or_evidence(world, report_a):
    report, evidence, _leaves = report_a
    for get, pk in (
        (access.get_report_for_user, report.pk),
        (access.get_evidence_for_user, evidence.pk),
    ):
        with pytest.raises(Http404):
            get(person(world, "officer_c"), pk)
    assert not access.reports_visible_to(person(world, "officer_c")).exists()
    assert list(access.reports_visible_to(person(world, "officer_a"))) == [report]


def test_with_cross_scoring_member_units_read_the_sent_reports_never_the_drafts(world, report_a):
    report, _evidence, leaves = report_a
    services.scoring_settings_set(
        actor=world.users["secretariat_x"],
        bloc=world.bloc_x,
        year=THIS_YEAR,
        cross_scoring=True,
        vetoed_units="rank_with_flag",
        tie_break=[],
        version=None,
    )
    officer_c = person(world, "officer_c")
    with pytest.raises(Http404):
        access.get_report_for_user(officer_c, report.pk)  # still a draft
    fill(world.users["officer_a"], report, leaves, FULL)
    services.report_submit(actor=world.users["officer_a"], report=report)
    found, can_write = access.get_report_for_user(officer_c, report.pk)
    assert found == report and not can_write
    rights = access.report_rights(
        officer_c, found, cross_scoring=True, member_ids=[world.unit_a.pk, world.unit_c.pk]
    )
    assert rights.cross_scorer_unit_ids == {world.unit_c.pk}
    # A unit of another bloc still sees nothing; so does the unit itself as a cross-scorer.
    with pytest.raises(Http404):
        access.get_report_for_user(person(world, "officer_b"), report.pk)
    own = access.report_rights(
        person(world, "officer_a"), found, cross_scoring=True, member_ids=[world.unit_a.pk]
    )
    assert own.cross_scorer_unit_ids == frozenset()


def test_a_secretariat_officer_of_a_member_unit_does_not_verify_that_unit(world, report_a):
    report, _evidence, _leaves = report_a
    Role.objects.create(
        user=world.users["officer_a"], kind=Role.Kind.SECRETARIAT, bloc=world.bloc_x
    )
    both = person(world, "officer_a")
    rights = access.report_rights(both, report)
    assert rights.own_unit and not rights.secretariat
    other = services.report_start(
        actor=world.users["secretariat_x"], period=report.period, unit=world.unit_c
    )
    assert access.report_rights(both, other).secretariat


def test_results_are_for_the_whole_bloc_readers_and_for_members_once_published(world):
    member_ids = [world.unit_a.pk, world.unit_c.pk, world.unit_d.pk]
    expected = {
        # name: (before publishing, after)
        "officer_a": (False, True),
        "chair_this_year": (False, True),
        "secretariat_x": (True, True),
        "reviewer": (True, True),
        "admin": (True, True),
        "officer_b": (NOT_FOUND, NOT_FOUND),
        "secretariat_y": (NOT_FOUND, NOT_FOUND),
        "anonymous": (NOT_FOUND, NOT_FOUND),
    }
    for name, outcomes in expected.items():
        for published, wanted in zip((False, True), outcomes, strict=True):
            try:
                got = access.can_read_results(
                    person(world, name),
                    bloc=world.bloc_x,
                    year=THIS_YEAR,
                    member_ids=member_ids,
                    published=published,
                )
            except Http404:
                got = NOT_FOUND
            assert got == wanted, (name, published)


def test_a_unit_that_left_the_bloc_does_not_read_its_results(world):
    Membership.objects.filter(unit=world.unit_a, year=THIS_YEAR).delete()
    member_ids = [world.unit_c.pk, world.unit_d.pk]
    with pytest.raises(Http404):
        access.can_read_results(
            person(world, "officer_a"),
            bloc=world.bloc_x,
            year=THIS_YEAR,
            member_ids=member_ids,
            published=True,
        )
