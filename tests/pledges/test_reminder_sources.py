"""The daily reminders and to-do items of the pledges app."""

import datetime as dt

from django.core import mail
from django.urls import reverse

from core import reminders
from pledges.models import Pledge
from tests.pledges.factories import opened, sign


def _with_email(world, persona, address):
    user = world.users[persona]
    user.email = address
    user.save()
    return user


def test_officers_of_units_that_have_not_signed_are_reminded_once_per_stage(world):
    _with_email(world, "officer_a", "canbo-a@vks.gov.vn")
    pledge = opened(world)
    Pledge.objects.filter(pk=pledge.pk).update(signing_on=dt.date(2026, 3, 20))
    sign(world, pledge, world.unit_c)
    today = dt.date(2026, 3, 17)  # three days before
    counts = reminders.send_due(today=today)
    assert counts["reminders"] == 1
    (message,) = [m for m in mail.outbox if m.to == ["canbo-a@vks.gov.vn"]]
    assert "Viện kiểm sát nhân dân tỉnh" in message.body and "20/03/2026" in message.body
    assert reverse("pledges:pledge_detail", args=[pledge.pk]) in message.body
    assert reminders.send_due(today=today)["reminders"] == 0


def test_an_officer_sees_the_pledge_to_sign_on_the_home_page(world, login):
    pledge = opened(world)
    client = login(world.users["officer_a"])
    body = client.get(reverse("home")).content.decode()
    assert "Ghi nhận chữ ký giao ước thi đua năm 2026" in body
    sign(world, pledge, world.unit_a)
    body = client.get(reverse("home")).content.decode()
    assert "Ghi nhận chữ ký giao ước" not in body
