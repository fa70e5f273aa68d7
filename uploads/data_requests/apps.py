from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataRequestsConfig(AppConfig):
    name = "uploads.data_requests"
    label = "data_requests"
    verbose_name = _("Data requests")
