"""Reminders before a pledge's signing day to the officers of units that have not signed."""

from django.urls import reverse

from blocs.selectors import officer_emails
from core.reminder_rules import reminder_stage
from core.reminders import Reminder, reminder_source, site_url
from pledges.models import Pledge, Signature
from pledges.selectors import members_of_year


@reminder_source("pledges.signing")
def signing_deadlines(today):
    pledges = list(
        Pledge.objects.filter(state=Pledge.State.OPEN, signing_on__isnull=False).select_related(
            "bloc"
        )
    )
    for pledge in pledges:
        stage = reminder_stage(deadline=pledge.signing_on, today=today)
        if stage is None:
            continue
        signed = set(
            Signature.objects.filter(pledge=pledge, voided_at__isnull=True).values_list(
                "unit_id", flat=True
            )
        )
        waiting = [
            m for m in members_of_year(bloc=pledge.bloc, year=pledge.year) if m.pk not in signed
        ]
        emails = officer_emails(unit_ids=[m.pk for m in waiting])
        url = site_url(reverse("pledges:pledge_detail", args=[pledge.pk]))
        for member in waiting:
            yield Reminder(
                key=f"pledges.signing:{pledge.pk}:{member.pk}:{stage}",
                kind="pledges.signing",
                to=tuple(emails.get(member.pk, ())),
                subject=f"[thiduea] Nhắc ký giao ước thi đua năm {pledge.year} — {pledge.bloc.name}",
                body=(
                    f"Kính gửi cán bộ thi đua, khen thưởng của {member.name},\n\n"
                    f"Giao ước thi đua năm {pledge.year} của {pledge.bloc.name} dự kiến ký kết ngày "
                    f"{pledge.signing_on:%d/%m/%Y}; đơn vị chưa ghi nhận chữ ký trên hệ thống.\n"
                    f"Xin ghi nhận chữ ký của thủ trưởng đơn vị tại: {url}\n\n"
                    "Thư gửi tự động từ hệ thống thiduea."
                ),
                bloc_id=pledge.bloc_id,
                year=pledge.year,
                digest_line=(
                    f"{pledge.bloc.name}: {member.name} chưa ký giao ước năm {pledge.year} "
                    f"(ngày ký {pledge.signing_on:%d/%m/%Y})."
                ),
            )
