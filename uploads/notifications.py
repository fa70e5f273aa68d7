"""E-mails of the collection, always in the observatory's language."""

from datetime import date

from django.conf import settings
from django.urls import reverse

from conventions.models import Partner
from odpe.accounts import access
from odpe.notifications import emails_of, send_templated


def send_review_outcome(version) -> None:
    submission = version.submission
    send_templated(
        "submission_reviewed",
        {
            "version": version,
            "submission": submission,
            "link": settings.SITE_URL + submission.get_absolute_url(),
        },
        emails_of(access.correspondents_of(submission.partner)),
        triggered_by=version.reviewed_by,
    )


def send_reminder(campaign, partner: Partner, submissions: list, milestone: str, due_on: date) -> None:
    send_templated(
        "collection_reminder",
        {
            "campaign": campaign,
            "due_on": due_on,
            "partner": partner,
            "submissions": submissions,
            "overdue": milestone.startswith("overdue"),
            "link": settings.SITE_URL + reverse("uploads:collection"),
        },
        emails_of(access.correspondents_acting_for(partner)),
    )
