"""E-mails of the collection, always in the observatory's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from guardian.shortcuts import get_users_with_perms

from conventions.models import Partner


def correspondents_of(partner: Partner, permission: str = "view_partner_data") -> list[str]:
    users = get_users_with_perms(partner, only_with_perms_in=[permission], with_group_users=False)
    return sorted(user.email for user in users if user.is_active)


def _send(template: str, context: dict, recipients: list[str]) -> None:
    if not recipients:
        return
    context = {"observatory": settings.OBSERVATORY, "site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}_body.txt", context)
    send_mail(subject, body, None, recipients)


def send_review_outcome(version) -> None:
    submission = version.submission
    _send(
        "submission_reviewed",
        {
            "version": version,
            "submission": submission,
            "link": settings.SITE_URL + submission.get_absolute_url(),
        },
        correspondents_of(submission.partner),
    )


def send_reminder(campaign, partner: Partner, submissions: list, milestone: str) -> None:
    _send(
        "collection_reminder",
        {
            "campaign": campaign,
            "partner": partner,
            "submissions": submissions,
            "overdue": milestone.startswith("overdue"),
            "link": settings.SITE_URL + reverse("uploads:collection"),
        },
        correspondents_of(partner, "submit_partner_data"),
    )
