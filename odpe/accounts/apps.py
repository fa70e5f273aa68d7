from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "odpe.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    # People are invited from the site; the admin may read accounts and switch them off (roles are
    # changed by the actions that call the role services).
    admin_role_permissions = ["view_user", "change_user", "view_invitation"]

    def ready(self):
        from odpe.accounts.groups import set_up_role_groups

        # After auth's own receiver (an earlier app), which creates each app's permissions first.
        post_migrate.connect(set_up_role_groups, dispatch_uid="odpe.accounts.role_groups")
