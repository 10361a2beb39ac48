"""Reminders before a reporting period's deadline to the officers of units that have not sent
their report."""

from django.urls import reverse

from blocs.selectors import officer_emails
from core.reminder_rules import reminder_stage
from core.reminders import Reminder, reminder_source, site_url
from scoring.selectors import periods_open


@reminder_source("scoring.report_deadline")
def report_deadlines(today):
    found = periods_open(today=today)
    emails = officer_emails(unit_ids=[u.id for p in found for u in p.not_submitted])
    for open_period in found:
        period = open_period.period
        stage = reminder_stage(deadline=open_period.deadline, today=today)
        if stage is None:
            continue
        kind = period.get_kind_display().lower()
        url = site_url(reverse("scoring:period_detail", args=[period.pk]))
        for unit in open_period.not_submitted:
            yield Reminder(
                key=f"scoring.report_deadline:{period.pk}:{unit.id}:{stage}",
                kind="scoring.report_deadline",
                to=tuple(emails.get(unit.id, ())),
                subject=f"[thiduea] Nhắc gửi báo cáo {kind} {period.year} — {period.bloc.name}",
                body=(
                    f"Kính gửi cán bộ thi đua, khen thưởng của {unit.name},\n\n"
                    f"Hạn gửi báo cáo {kind} năm {period.year} của {period.bloc.name} là ngày "
                    f"{open_period.deadline:%d/%m/%Y}; đơn vị chưa gửi báo cáo trên hệ thống.\n"
                    f"Xin hoàn thành báo cáo và tự chấm điểm tại: {url}\n\n"
                    "Thư gửi tự động từ hệ thống thiduea."
                ),
                bloc_id=period.bloc_id,
                year=period.year,
                digest_line=(
                    f"{period.bloc.name}: {unit.name} chưa gửi báo cáo {kind} năm {period.year} "
                    f"(hạn {open_period.deadline:%d/%m/%Y})."
                ),
            )
