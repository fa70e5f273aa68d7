from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConventionsConfig(AppConfig):
    name = "conventions"
    verbose_name = _("Partners and conventions")
    # The admin group's rights in the Django admin (odpe.accounts.groups). Never the per-partner
    # rights (view/submit_partner_data): only a partner's own correspondents hold those. Nothing is
    # deleted there: a withdrawal, an amendment or the end of a membership goes through its service.
    admin_role_permissions = [
        "view_partner",
        "add_partner",
        "change_partner",
        "view_convention",
        "add_convention",
        "change_convention",
        "view_signatory",
        "add_signatory",
        "view_amendment",
        "add_amendment",
        "view_withdrawal",
        "view_destructioncertificate",
        "view_body",
        "add_body",
        "change_body",
        "view_bodymembership",
        "add_bodymembership",
        "change_bodymembership",
    ]
