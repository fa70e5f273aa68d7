from django.apps import AppConfig


class OdpeConfig(AppConfig):
    name = "odpe"
    verbose_name = "ODPE"
