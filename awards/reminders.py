"""Reminders before an online ballot closes, to the officers of units that have not voted."""

from django.urls import reverse
from django.utils import timezone

from awards.selectors import open_ballots_awaiting
from blocs.selectors import officer_emails
from core.reminder_rules import reminder_stage
from core.reminders import Reminder, reminder_source, site_url


@reminder_source("awards.ballot")
def ballot_deadlines(today):
    for awaited in open_ballots_awaiting():
        ballot = awaited.ballot
        if awaited.closes_at is None:
            continue
        closes = timezone.localtime(awaited.closes_at)
        stage = reminder_stage(deadline=closes.date(), today=today, days_before=(3, 1, 0))
        if stage is None:
            continue
        emails = officer_emails(unit_ids=[unit.pk for unit, _name in awaited.missing])
        url = site_url(reverse("awards:ballot_vote", args=[ballot.pk]))
        for unit, name in awaited.missing:
            yield Reminder(
                key=f"awards.ballot:{ballot.pk}:{unit.pk}:{stage}",
                kind="awards.ballot",
                to=tuple(emails.get(unit.pk, ())),
                subject=f"[thiduea] Nhắc bỏ phiếu bình xét — {ballot.bloc.name}",
                body=(
                    f"Kính gửi cán bộ thi đua, khen thưởng của {name},\n\n"
                    f"Cuộc bỏ phiếu “{ballot.title}” kết thúc lúc {closes:%H:%M ngày %d/%m/%Y}; "
                    f"đơn vị chưa bỏ phiếu.\nXin bỏ phiếu tại: {url}\n\n"
                    "Thư gửi tự động từ hệ thống thiduea."
                ),
                bloc_id=ballot.bloc_id,
                year=ballot.year,
                digest_line=f"{ballot.bloc.name}: {name} chưa bỏ phiếu “{ballot.title}” "
                f"(hạn {closes:%H:%M %d/%m/%Y}).",
            )
