"""E-mails of the data requests, in the observatory's language."""

from django.conf import settings

from odpe.accounts import access
from odpe.notifications import emails_of, send_templated


def send_request(addressee, *, reminder: bool = False) -> None:
    send_templated(
        "data_request",
        {
            "request": addressee.request,
            "partner": addressee.partner,
            "reminder": reminder,
            "link": settings.SITE_URL + addressee.get_absolute_url(),
        },
        emails_of(access.correspondents_acting_for(addressee.partner)),
        triggered_by=None if reminder else addressee.request.created_by,
    )


def send_answered(answer) -> None:
    addressee = answer.addressee
    send_templated(
        "data_request_answered",
        {
            "request": addressee.request,
            "partner": addressee.partner,
            "link": settings.SITE_URL + addressee.get_absolute_url(),
        },
        emails_of(access.referents()),
        triggered_by=answer.uploaded_by,
    )


def send_reviewed(addressee) -> None:
    send_templated(
        "data_request_reviewed",
        {
            "addressee": addressee,
            "request": addressee.request,
            "link": settings.SITE_URL + addressee.get_absolute_url(),
        },
        emails_of(access.correspondents_of(addressee.partner)),
        triggered_by=addressee.reviewed_by,
    )
