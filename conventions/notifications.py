"""E-mails about partners and conventions: the partner's correspondents and the referents are told of
what an admin recorded, and a partner's correspondents receive its destruction certificates."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from conventions.models import Convention, DepartmentNotice, DestructionCertificate, Partner
from odpe.accounts import access
from odpe.notifications import emails_of, send_templated


def _people_told(partners) -> list[str]:
    people = set(access.referents())
    for partner in partners:
        people |= set(access.correspondents_of(partner))
    return emails_of(people)


def send_convention_news(convention: Convention, partners, message: str, *, triggered_by=None) -> None:
    """`message`, one sentence already in the observatory's language, about `convention`."""
    send_templated(
        "convention_news",
        {
            "convention": convention,
            "message": message,
            "link": settings.SITE_URL + convention.get_absolute_url(),
        },
        _people_told(partners),
        triggered_by=triggered_by,
    )


def send_partner_updated(partner: Partner, *, triggered_by=None) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        message = _("The details of %(partner)s were updated on the platform.") % {"partner": partner.name}
    send_templated(
        "partner_updated",
        {"partner": partner, "message": message, "link": settings.SITE_URL + partner.get_absolute_url()},
        _people_told([partner]),
        triggered_by=triggered_by,
    )


def send_destruction_certificate(certificate: DestructionCertificate) -> None:
    """To the partner's correspondents (and the referents), with a link to the certificate."""
    send_templated(
        "destruction_certificate",
        {"certificate": certificate, "link": settings.SITE_URL + certificate.get_absolute_url()},
        _people_told([certificate.partner]),
    )


def _notice_context(notice: DepartmentNotice, **extra) -> dict:
    return {"notice": notice, "link": settings.SITE_URL + notice.get_absolute_url(), **extra}


def send_notice_expected(notice: DepartmentNotice) -> None:
    """To the recipient's correspondents (and the referents): the notice the Département now expects."""
    send_templated("department_notice_expected", _notice_context(notice), _people_told([notice.partner]))


def send_notice_reminder(notice: DepartmentNotice, *, today) -> None:
    """To the recipient's correspondents: the notice is overdue."""
    send_templated(
        "department_notice_reminder",
        _notice_context(notice, days_late=notice.days_late(today)),
        emails_of(access.correspondents_of(notice.partner)),
    )


def send_notice_recorded(notice: DepartmentNotice) -> None:
    """To the referents: the Département has received the notice."""
    send_templated(
        "department_notice_recorded",
        _notice_context(notice),
        emails_of(access.referents()),
        triggered_by=notice.recorded_by,
    )
