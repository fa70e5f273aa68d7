from django.apps import AppConfig


class OdpeConfig(AppConfig):
    name = "odpe"
    verbose_name = "ODPE"
    admin_role_permissions = ["view_auditevent"]  # see odpe.accounts.groups
