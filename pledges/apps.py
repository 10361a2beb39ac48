from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = "Giao ước thi đua"

    def ready(self):
        # Register the job handlers wherever jobs may run (the worker, and tests that run jobs
        # in process).
        from pledges import jobs  # noqa: F401
