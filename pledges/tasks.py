"""Celery discovers this module; the pledges' jobs run through core.tasks.run_job."""

from pledges import jobs  # noqa: F401  (registers the handlers with core.jobs)
