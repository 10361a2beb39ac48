"""Reminders go out once per stage before a deadline; the secretariat gets one digest a day."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from hypothesis import given
from hypothesis import strategies as st

from blocs.models import Role
from core import reminders
from core.models import SentReminder
from core.reminder_rules import reminder_stage

D = dt.date(2022, 12, 10)


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (D - dt.timedelta(days=9), None),  # too early
        (D - dt.timedelta(days=7), 7),
        (D - dt.timedelta(days=5), 7),
        (D - dt.timedelta(days=3), 3),
        (D - dt.timedelta(days=2), 3),
        (D - dt.timedelta(days=1), 1),
        (D, 0),
        (D + dt.timedelta(days=1), None),  # past the deadline: the digest tells the secretariat
    ],
)
def test_the_stage_due_is_the_nearest_one_reached(today, stage):
    assert reminder_stage(deadline=D, today=today) == stage


@given(st.dates(), st.integers(min_value=0, max_value=30))
def test_stages_only_get_nearer_as_the_days_pass(deadline, days_left):
    today = deadline - dt.timedelta(days=days_left)
    tomorrow = today + dt.timedelta(days=1)
    now, then = (
        reminder_stage(deadline=deadline, today=today),
        reminder_stage(deadline=deadline, today=tomorrow),
    )
    if now is not None and then is not None:
        assert then <= now


@pytest.fixture
def source(world):
    secretariat = world.users["secretariat_x"]
    secretariat.email = "thuky@khoi-x.gov.vn"
    secretariat.save()
    authority_staff = world.users["secretariat_authority"]
    authority_staff.email = "phong-tdkt@tinh.gov.vn"
    authority_staff.save()
    assert Role.objects.filter(user=secretariat, bloc=world.bloc_x).exists()

    def due(today):
        stage = reminder_stage(deadline=D, today=today)
        if stage is None:
            return
        yield reminders.Reminder(
            key=f"test:report:A:{stage}",
            kind="test",
            to=("canbo-a@vks.gov.vn",),
            subject="Nhắc nộp báo cáo tổng kết",
            body="Hạn nộp là ngày 10/12/2022.",
            bloc_id=world.bloc_x.pk,
            digest_line="Viện kiểm sát nhân dân tỉnh chưa nộp báo cáo (hạn 10/12/2022).",
        )

    with mock.patch.dict(reminders._SOURCES, {"test": due}, clear=True):
        yield


def test_a_reminder_is_sent_once_per_stage_and_the_digest_once_a_day(db, source):
    today = D - dt.timedelta(days=3)
    assert reminders.send_due(today=today) == {"reminders": 1, "digests": 2}
    assert reminders.send_due(today=today) == {"reminders": 0, "digests": 0}
    officer_mail, *digests = mail.outbox
    assert officer_mail.to == ["canbo-a@vks.gov.vn"]
    assert sorted(m.to[0] for m in digests) == ["phong-tdkt@tinh.gov.vn", "thuky@khoi-x.gov.vn"]
    assert "chưa nộp báo cáo" in digests[0].body
    # The next stage is a new reminder.
    assert reminders.send_due(today=D - dt.timedelta(days=1))["reminders"] == 1
    assert SentReminder.objects.filter(kind="test").count() == 2


def test_a_refused_mail_is_not_recorded_and_goes_out_on_the_next_run(db, source):
    today = D
    with mock.patch("core.reminders.send_mail", side_effect=OSError("mail server down")):
        assert reminders.send_due(today=today) == {"reminders": 0, "digests": 0}
    assert not SentReminder.objects.exists()
    assert reminders.send_due(today=today)["reminders"] == 1
