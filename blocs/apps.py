from django.apps import AppConfig


class BlocsConfig(AppConfig):
    name = "blocs"
    verbose_name = "Khối, cụm thi đua"
