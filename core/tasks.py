"""Celery tasks of the job machinery: thin, IDs in, one call each (core.jobs has the logic)."""

from celery import shared_task

from core import jobs


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job(self, job_id: int) -> str:
    delivery = self.request.delivery_info or {}
    return jobs.run(
        job_id, task_id=self.request.id or "", redelivered=bool(delivery.get("redelivered"))
    )


@shared_task(ignore_result=True)
def sweep_jobs() -> dict:
    return jobs.sweep()


@shared_task(ignore_result=True)
def send_reminders() -> dict:
    from django.utils import timezone

    from core import reminders

    return reminders.send_due(today=timezone.localdate())
