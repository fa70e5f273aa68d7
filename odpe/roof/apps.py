from django.apps import AppConfig


class RoofConfig(AppConfig):
    """Installed for its daily task (`odpe.roof.tasks`) and its management commands (`seed_demo`)."""

    name = "odpe.roof"
    label = "roof"
    verbose_name = "ODPE (cross-app processes)"
