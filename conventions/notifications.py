"""E-mails about partners and conventions: the partner's correspondents and the referents are told of
what an admin recorded, and a partner's correspondents receive its destruction certificates."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from conventions.models import Convention, DepartmentNotice, DestructionCertificate, Partner
from odpe.accounts import access
from odpe.notifications import emails_of, send_templated


def _tell(template: str, context: dict, partners, team_link: str, *, triggered_by=None) -> None:
    """The referents follow `team_link`; the partners' correspondents, who cannot open convention and
    partner pages, follow a link to their home, where what changed for their institution is listed."""
    team = set(access.referents())
    correspondents = set()
    for partner in partners:
        correspondents |= set(access.correspondents_of(partner))
    home = settings.SITE_URL + "/"
    send_templated(template, {**context, "link": team_link}, emails_of(team), triggered_by=triggered_by)
    send_templated(
        template, {**context, "link": home}, emails_of(correspondents - team), triggered_by=triggered_by
    )


def send_convention_news(convention: Convention, partners, message: str, *, triggered_by=None) -> None:
    """`message`, one sentence already in the observatory's language, about `convention`."""
    _tell(
        "convention_news",
        {"convention": convention, "message": message},
        partners,
        settings.SITE_URL + convention.get_absolute_url(),
        triggered_by=triggered_by,
    )


def send_partner_updated(partner: Partner, *, triggered_by=None) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        message = _("The details of %(partner)s were updated on the platform.") % {"partner": partner.name}
    _tell(
        "partner_updated",
        {"partner": partner, "message": message},
        [partner],
        settings.SITE_URL + partner.get_absolute_url(),
        triggered_by=triggered_by,
    )


def send_destruction_certificate(certificate: DestructionCertificate) -> None:
    """To the partner's correspondents, with a link to the certificate (theirs to read), and to the
    referents, with a link to the convention it closes."""
    send_templated(
        "destruction_certificate",
        {"certificate": certificate, "link": settings.SITE_URL + certificate.get_absolute_url()},
        emails_of(access.correspondents_of(certificate.partner)),
    )
    send_templated(
        "destruction_certificate",
        {"certificate": certificate, "link": settings.SITE_URL + certificate.convention.get_absolute_url()},
        emails_of(access.referents()),
    )


def _notice_context(notice: DepartmentNotice, **extra) -> dict:
    return {"notice": notice, "link": settings.SITE_URL + notice.get_absolute_url(), **extra}


def send_notice_expected(notice: DepartmentNotice) -> None:
    """To the recipient's correspondents (and the referents): the notice the Département now expects."""
    people = set(access.referents()) | set(access.correspondents_of(notice.partner))
    send_templated("department_notice_expected", _notice_context(notice), emails_of(people))


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
