"""E-mails of the collection, always in the observatory's language."""

from datetime import date

from django.conf import settings
from django.urls import reverse

from conventions.models import Partner
from odpe.accounts import access
from odpe.notifications import emails_of, render_templated, send_templated


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


def _reminder_context(campaign, partner: Partner, submissions: list, due_on: date, overdue: bool) -> dict:
    return {
        "campaign": campaign,
        "due_on": due_on,
        "partner": partner,
        "submissions": submissions,
        "overdue": overdue,
        "link": settings.SITE_URL + reverse("uploads:collection"),
    }


def send_reminder(
    campaign, partner: Partner, submissions: list, due_on: date, *, overdue: bool, sent_by=None
) -> None:
    send_templated(
        "collection_reminder",
        _reminder_context(campaign, partner, submissions, due_on, overdue),
        emails_of(access.correspondents_acting_for(partner)),
        triggered_by=sent_by,
    )


def preview_reminder(campaign, partner: Partner, submissions: list, due_on: date, *, overdue: bool):
    """The subject and body `send_reminder` would send."""
    return render_templated(
        "collection_reminder", _reminder_context(campaign, partner, submissions, due_on, overdue)
    )
