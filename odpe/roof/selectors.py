"""Reads of the audit log, for admins (the page is admin-only: the view checks the role)."""

from datetime import date

from django.db.models import Q, QuerySet

from conventions.models import Partner
from odpe.models import AuditEvent


def audit_events(
    *,
    actor=None,
    partner: Partner | None = None,
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """Events, most recent first; dates are whole local days, both ends included."""
    events = AuditEvent.objects.all()
    if actor is not None:
        events = events.filter(actor=actor)
    if partner is not None:
        events = events.filter(concerning_partner(partner))
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events


def concerning_partner(partner: Partner) -> Q:
    """The partner is the event's object, or its details name it (see odpe.audit.about_partner).

    The name alone matches events recorded before details carried the partner's id.
    """
    return (
        Q(object_type=Partner._meta.label, object_id=str(partner.pk))
        | Q(details__partner_id=str(partner.pk))
        | Q(details__partner=partner.name)
    )
