from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UploadsConfig(AppConfig):
    name = "uploads"
    verbose_name = _("Data collection")
    # The admin group's rights in the Django admin (odpe.accounts.groups).
    admin_role_permissions = [
        "view_indicator",
        "add_indicator",
        "change_indicator",
        "view_tablespec",
        "add_tablespec",
        "change_tablespec",
        "view_columnmapping",
        "add_columnmapping",
        "change_columnmapping",
        "delete_columnmapping",
        "view_tablerequirement",
        "add_tablerequirement",
        "change_tablerequirement",
        "delete_tablerequirement",
        "view_campaign",
        "change_campaign",
        "view_submission",
        "view_submissionversion",
        "view_remindersent",
    ]
