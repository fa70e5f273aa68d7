import gc

from django.apps import AppConfig


class RoofConfig(AppConfig):
    """Installed for its daily task (`odpe.roof.tasks`) and its management commands (`seed_demo`)."""

    name = "odpe.roof"
    label = "roof"
    verbose_name = "ODPE (cross-app processes)"

    def ready(self):
        # The last app in INSTALLED_APPS: start-up is over, what it made stays until the process ends. A
        # process that held the collector off while starting (manage.py) has it leave those objects out
        # of its walks from now on (gc.freeze), and collect again.
        if not gc.isenabled():
            gc.freeze()
            gc.enable()
