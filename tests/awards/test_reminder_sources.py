"""The daily reminders and to-do items of the awards app."""

import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.models import Ballot
from core import reminders
from tests.awards.test_views import open_ballot


def test_units_that_have_not_voted_are_reminded_before_the_ballot_closes(world):
    officer = world.users["officer_a"]
    officer.email = "canbo-a@vks.gov.vn"
    officer.save()
    ballot, item = open_ballot(world, units=[world.unit_c, world.unit_d])
    closes = timezone.now() + dt.timedelta(days=1)
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=closes)
    today = timezone.localtime(closes).date() - dt.timedelta(days=1)
    assert reminders.send_due(today=today)["reminders"] == 1
    assert mail.outbox[0].to == ["canbo-a@vks.gov.vn"]
    assert reverse("awards:ballot_vote", args=[ballot.pk]) in mail.outbox[0].body
    services.ballot_cast(
        actor=officer, ballot=ballot, unit=world.unit_a, choices={str(item.pk): []}
    )
    assert reminders.send_due(today=today + dt.timedelta(days=1))["reminders"] == 0


def test_an_officer_sees_the_ballot_to_cast_until_the_unit_has_voted(world, login):
    ballot, item = open_ballot(world, units=[world.unit_c, world.unit_d])
    client = login(world.users["officer_a"])
    assert "Bỏ phiếu bình xét" in client.get(reverse("home")).content.decode()
    services.ballot_cast(
        actor=world.users["officer_a"], ballot=ballot, unit=world.unit_a, choices={str(item.pk): []}
    )
    assert "Bỏ phiếu bình xét" not in client.get(reverse("home")).content.decode()
