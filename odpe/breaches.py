"""The personal-data breach register (RGPD art. 33): recording a breach, its two notification clocks,
the notifications made, and the notification's export with the related extract of the audit log.

On the ground floor: a breach concerns the platform as a whole, and everything it needs (the DPO's
contact in the settings, the audit log) is here; nothing above is read.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from odpe import audit
from odpe.accounts import access
from odpe.accounts.roles import has_role
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent, Breach

# PIPASE art. 8.3: each party notifies the other at the latest 36 hours after the discovery.
DEPARTMENT_HOURS = 36
# RGPD art. 33.1: the supervisory authority (the CNIL) within 72 hours of becoming aware.
CNIL_HOURS = 72
# The extract attached to the notification: the events of the period, at most this many (newest last).
EXTRACT_LIMIT = 2000

RECIPIENTS = {
    "department": (
        "department_notified_at",
        DEPARTMENT_HOURS,
        gettext_lazy("The Département (PIPASE art. 8.3)"),
    ),
    "cnil": ("cnil_notified_at", CNIL_HOURS, gettext_lazy("The CNIL (RGPD art. 33)")),
}


@dataclass(frozen=True)
class Clock:
    """One notification deadline, read at `now`."""

    recipient: str
    label: str
    hours: int
    deadline: datetime
    notified_at: datetime | None
    now: datetime

    @property
    def notified(self) -> bool:
        return self.notified_at is not None

    @property
    def late(self) -> bool:
        """Past the deadline: notified after it, or not notified and the deadline gone by."""
        return (self.notified_at or self.now) > self.deadline

    @property
    def remaining(self) -> timedelta:
        return max(self.deadline - self.now, timedelta(0))

    @property
    def overdue_by(self) -> timedelta:
        return max(self.now - self.deadline, timedelta(0))

    @property
    def remaining_text(self) -> str:
        return duration_text(self.remaining)

    @property
    def overdue_text(self) -> str:
        return duration_text(self.overdue_by)


def clocks(breach: Breach, now: datetime | None = None) -> list[Clock]:
    now = now or timezone.now()
    return [
        Clock(
            recipient=recipient,
            label=str(label),
            hours=hours,
            deadline=breach.discovered_at + timedelta(hours=hours),
            notified_at=getattr(breach, field),
            now=now,
        )
        for recipient, (field, hours, label) in RECIPIENTS.items()
    ]


def duration_text(delta: timedelta) -> str:
    """« 3 h 05 », « 2 j 4 h »: hours and minutes under two days, days and hours beyond."""
    minutes = int(delta.total_seconds() // 60)
    days, hours, minutes = minutes // (24 * 60), minutes // 60 % 24, minutes % 60
    if days >= 2:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    return _("%(hours)d h %(minutes)02d") % {"hours": days * 24 + hours, "minutes": minutes}


@transaction.atomic(durable=True)
def record_breach(*, actor: Actor, **fields) -> Breach:
    """A breach enters the register; its clocks run from `discovered_at`."""
    if fields["began_at"] > fields["discovered_at"]:
        raise TransitionError(_("A breach cannot begin after it was discovered."))
    if fields["discovered_at"] > timezone.now():
        raise TransitionError(_("The discovery cannot be in the future."))
    breach = Breach.objects.create(recorded_by=actor.user, **fields)
    audit.record(
        actor,
        "breach.recorded",
        breach,
        discovered_at=breach.discovered_at.isoformat(),
        people=breach.people_count,
        records=breach.record_count,
    )
    return breach


@transaction.atomic(durable=True)
def record_notification(breach: Breach, *, actor: Actor, recipient: str, notified_at: datetime) -> Breach:
    """The notification to the Département or to the CNIL was made at `notified_at`: recorded once."""
    field = RECIPIENTS[recipient][0]
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    if getattr(breach, field) is not None:
        raise TransitionError(_("This notification is already recorded."))
    if notified_at < breach.discovered_at:
        raise TransitionError(_("A notification cannot come before the discovery of the breach."))
    if notified_at > timezone.now():
        raise TransitionError(_("A notification cannot be recorded in the future."))
    setattr(breach, field, notified_at)
    breach.save(update_fields=[field])
    late = notified_at > breach.discovered_at + timedelta(hours=RECIPIENTS[recipient][1])
    audit.record(
        actor, "breach.notified", breach, recipient=recipient, notified_at=notified_at.isoformat(), late=late
    )
    return breach


def breaches_visible_to(user):
    return Breach.objects.all() if has_role(user, *access.BREACH_KEEPERS) else Breach.objects.none()


def get_breach_for(user, pk) -> Breach:
    return get_object_or_404(breaches_visible_to(user), pk=pk)


def audit_extract(breach: Breach, until: datetime) -> tuple[list[AuditEvent], bool]:
    """The events from the breach's beginning to `until`, oldest first; True when cut at the limit."""
    events = list(
        AuditEvent.objects.filter(at__gte=breach.began_at, at__lte=until)
        .select_related("actor")
        .order_by("at", "id")[: EXTRACT_LIMIT + 1]
    )
    return events[:EXTRACT_LIMIT], len(events) > EXTRACT_LIMIT


def notification_pdf(breach: Breach, *, actor: Actor) -> bytes:
    """The notification as a PDF: its content (PIPASE art. 8.3, RGPD art. 33.3), the clocks, and in
    annex the audit log's events from the breach's beginning to now. The export itself is audited."""
    from weasyprint import CSS, HTML  # imported when a PDF is made: it loads pango
    from weasyprint.urls import URLFetcher

    now = timezone.now()
    events, cut = audit_extract(breach, now)
    html = render_to_string(
        "odpe/breach_notification.html",
        {
            "breach": breach,
            "clocks": clocks(breach, now),
            "events": events,
            "cut": cut,
            "limit": EXTRACT_LIMIT,
            "now": now,
            "dpo": settings.PUBLIC_PAGES,
            "observatory": settings.OBSERVATORY,
        },
    )
    fetcher = URLFetcher(allowed_protocols={"data"})
    with open(finders.find("css/breach-notification.css"), encoding="utf-8") as file:
        stylesheet = CSS(string=file.read(), url_fetcher=fetcher)
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet])
    audit.record(actor, "breach.exported", breach, events=len(events))
    return pdf
