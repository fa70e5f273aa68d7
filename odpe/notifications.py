"""E-mails of the platform: always in the observatory's language, sent from Celery tasks."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from guardian.shortcuts import get_users_with_perms

from odpe.accounts.models import User
from odpe.accounts.roles import Role


def correspondents_of(partner, permission: str = "view_partner_data") -> list[str]:
    users = get_users_with_perms(partner, only_with_perms_in=[permission], with_group_users=False)
    return sorted(user.email for user in users if user.is_active)


def referents() -> list[str]:
    return sorted(
        User.objects.filter(groups__name=Role.REFERENT, is_active=True).values_list("email", flat=True)
    )


def send_templated(template: str, context: dict, recipients: list[str]) -> None:
    """`emails/<template>_subject.txt` and `_body.txt`, rendered in French, to each recipient."""
    if not recipients:
        return
    context = {"observatory": settings.OBSERVATORY, "site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}_body.txt", context)
    send_mail(subject, body, None, recipients)
