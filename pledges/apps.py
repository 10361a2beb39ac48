from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = "Giao ước thi đua"
