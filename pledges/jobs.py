"""Background work of the pledges app (core.jobs): the reminder to sign."""

from core import jobs


@jobs.job_handler("pledges.remind")
def send_reminder(job, progress):
    from pledges import services

    return services.reminder_send(reminder_id=job.params["reminder_id"], progress=progress)
