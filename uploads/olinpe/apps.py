from django.apps import AppConfig


class OlinpeConfig(AppConfig):
    name = "uploads.olinpe"
    label = "olinpe"
    verbose_name = "Base OLINPE"
