from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "uploads.transfers"
    label = "transfers"
    verbose_name = "Transferts pseudonymisés"
