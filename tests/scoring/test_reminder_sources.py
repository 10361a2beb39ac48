"""The daily reminders and to-do items of the scoring app."""

import datetime as dt

from django.core import mail
from django.urls import reverse

from core import reminders
from scoring import services
from tests.conftest import THIS_YEAR
from tests.scoring.factories import build_table, open_period, submitted_report


def _year(world):
    secretariat = world.users["secretariat_x"]
    table, leaves = build_table(secretariat, world.bloc_x)
    return open_period(secretariat, world.bloc_x, table), leaves  # deadline 30/11


def test_officers_of_units_that_have_not_sent_their_report_are_reminded_once_per_stage(world):
    officer = world.users["officer_a"]
    officer.email = "canbo-a@vks.gov.vn"
    officer.save()
    period, _leaves = _year(world)
    today = dt.date(THIS_YEAR, 11, 27)  # three days before
    counts = reminders.send_due(today=today)
    assert counts["reminders"] >= 1
    (message,) = [m for m in mail.outbox if m.to == ["canbo-a@vks.gov.vn"]]
    assert "Viện kiểm sát nhân dân tỉnh" in message.body and "30/11/" in message.body
    assert reverse("scoring:period_detail", args=[period.pk]) in message.body
    mail.outbox.clear()
    assert reminders.send_due(today=today)["reminders"] == 0
    assert not [m for m in mail.outbox if m.to == ["canbo-a@vks.gov.vn"]]


def test_a_unit_that_has_sent_its_report_is_not_reminded(world):
    officer = world.users["officer_a"]
    officer.email = "canbo-a@vks.gov.vn"
    officer.save()
    period, leaves = _year(world)
    submitted_report(world, world.unit_a, officer, period, leaves)
    reminders.send_due(today=dt.date(THIS_YEAR, 11, 27))
    assert not [m for m in mail.outbox if m.to == ["canbo-a@vks.gov.vn"]]


def test_the_home_page_lists_the_report_to_send_and_then_the_report_to_review(
    world, login, settings
):
    period, leaves = _year(world)
    client = login(world.users["officer_a"])
    home = client.get(reverse("home")).content.decode()
    assert f"Gửi báo cáo tổng kết năm {THIS_YEAR}" in home
    submitted_report(world, world.unit_a, world.users["officer_a"], period, leaves)
    home = client.get(reverse("home")).content.decode()
    assert "Gửi báo cáo tổng kết năm" not in home
    home = login(world.users["secretariat_x"]).get(reverse("home")).content.decode()
    assert f"Thẩm định báo cáo tổng kết năm {THIS_YEAR}" in home
    services.report_accept(
        actor=world.users["secretariat_x"],
        report=period.reports.get(unit=world.unit_a),
    )
    home = login(world.users["secretariat_x"]).get(reverse("home")).content.decode()
    assert "Thẩm định báo cáo tổng kết năm" not in home
