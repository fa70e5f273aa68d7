"""The notices the recipient of a data-transfer convention owes the Département, built once for both
kinds: the deletion of the data at closure (PIPASE art. 3.3: its date and the bases deleted) and the
reception of new data (art. 4.2). Every write, one function per transition.

The platform expects a notice when its event happens (the roof, at closure or when a withdrawal takes
effect; the transfers package, when a dataset is received), tells the recipient's correspondents, reminds
them while it is overdue (the daily run) and records it, from a form or with the signed notice in PDF.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from conventions import notifications
from conventions.models import Convention, DataRecipient, DepartmentNotice, NoticeReminder, Partner
from odpe import audit
from odpe.accounts import access
from odpe.audit import Actor
from odpe.errors import TransitionError

logger = logging.getLogger(__name__)
CLOSURE = "closure"


@transaction.atomic
def designate_recipient(convention: Convention, partner: Partner, *, actor: Actor) -> DataRecipient:
    """The party that receives the data under a data-transfer convention: it owes the notices."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if convention.kind != Convention.Kind.DATA_TRANSFER:
        raise TransitionError(_("Only a data-transfer convention has a recipient of the data."))
    if partner.kind == Partner.Kind.DEPARTMENT:
        raise TransitionError(_("The Département sends the data: it cannot be their recipient."))
    if not convention.signatories.filter(partner=partner, left_on__isnull=True).exists():
        raise TransitionError(
            _("%(partner)s is not a party to this convention.")
            % {"partner": capfirst(partner.with_article())}
        )
    recipient, created = DataRecipient.objects.get_or_create(convention=convention, partner=partner)
    if not created:
        raise TransitionError(
            _("%(partner)s is already the recipient of the data.")
            % {"partner": capfirst(partner.with_article())}
        )
    audit.record(
        actor,
        "convention.recipient_designated",
        recipient,
        convention=convention.reference,
        **audit.about_partner(partner),
    )
    return recipient


def is_recipient(convention: Convention, partner: Partner) -> bool:
    return DataRecipient.objects.filter(convention=convention, partner=partner).exists()


def expect_notice(
    convention: Convention,
    partner: Partner,
    *,
    kind: str,
    about: str,
    subject: str,
    since: date,
    actor: Actor,
) -> DepartmentNotice:
    """The notice is now expected of `partner`, due after its delay. Runs in the caller's transaction; a
    notice already expected for the same event is returned as it is (the daily run may pass twice)."""
    notice, created = DepartmentNotice.objects.get_or_create(
        convention=convention,
        partner=partner,
        kind=kind,
        about=about,
        defaults={
            "subject": subject[:300],
            "expected_since": since,
            "due_on": since + timedelta(days=settings.DEPARTMENT_NOTICE_DAYS[kind]),
        },
    )
    if created:
        audit.record(
            actor,
            "notice.expected",
            notice,
            convention=convention.reference,
            kind=kind,
            due_on=notice.due_on.isoformat(),
            **audit.about_partner(partner),
        )
        transaction.on_commit(lambda: notifications.send_notice_expected(notice))
    return notice


def expect_deletion_notice(
    convention: Convention, partner: Partner, *, closed_on: date, actor: Actor
) -> DepartmentNotice | None:
    """At closure (the end date, or the recipient's withdrawal taking effect), the recipient of a
    data-transfer convention owes the notice that it deleted the data. None for any other party."""
    if convention.kind != Convention.Kind.DATA_TRANSFER or not is_recipient(convention, partner):
        return None
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Deletion of the data at the closure of the convention")
    return expect_notice(
        convention,
        partner,
        kind=DepartmentNotice.Kind.DELETION,
        about=CLOSURE,
        subject=subject,
        since=closed_on,
        actor=actor,
    )


def expect_reception_notices(
    convention: Convention, *, about: str, subject: str, received_on: date, actor: Actor
) -> list[DepartmentNotice]:
    """New data reached the convention's recipients: each owes the Département its reception notice."""
    recipients = DataRecipient.objects.filter(convention=convention).select_related("partner")
    return [
        expect_notice(
            convention,
            recipient.partner,
            kind=DepartmentNotice.Kind.RECEPTION,
            about=about,
            subject=subject,
            since=received_on,
            actor=actor,
        )
        for recipient in recipients
    ]


@transaction.atomic
def record_notice(
    notice: DepartmentNotice,
    *,
    actor: Actor,
    notified_on: date,
    deleted_on: date | None = None,
    bases_deleted: str = "",
    comment: str = "",
    signed_notice=None,
) -> DepartmentNotice:
    """The notice arrived: recorded from the form (a deletion notice gives its date and the bases
    deleted, or the signed notice in PDF says them). The referents are told."""
    notice = DepartmentNotice.objects.select_for_update().get(pk=notice.pk)
    is_deletion = notice.kind == DepartmentNotice.Kind.DELETION
    if is_deletion and (deleted_on is None or not (bases_deleted.strip() or signed_notice)):
        raise TransitionError(_("A deletion notice gives the date of the deletion and the bases deleted."))
    notice.move(
        DepartmentNotice.Status.RECEIVED,
        refusal=_("This notice is “%(status)s”: it cannot be recorded again."),
        received_at=timezone.now(),
        recorded_by=actor.user,
        notified_on=notified_on,
        deleted_on=deleted_on if is_deletion else None,
        bases_deleted=bases_deleted.strip() if is_deletion else "",
        comment=comment.strip(),
        signed_notice=signed_notice or "",
    )
    audit.record(
        actor,
        "notice.recorded",
        notice,
        convention=notice.convention.reference,
        kind=notice.kind,
        signed_notice=bool(signed_notice),
        **audit.about_partner(notice.partner),
    )
    transaction.on_commit(lambda: notifications.send_notice_recorded(notice))
    return notice


def overdue_notice_ids(today: date) -> list:
    return list(
        DepartmentNotice.objects.filter(
            status=DepartmentNotice.Status.EXPECTED, due_on__lt=today
        ).values_list("pk", flat=True)
    )


def remind_overdue_notices(today: date) -> list[NoticeReminder]:
    """The daily run: each overdue notice not reminded within NOTICE_REMINDER_DAYS is reminded to the
    recipient's correspondents, each in its own transaction. Safe to run any number of times a day."""
    sent = []
    for pk in overdue_notice_ids(today):
        try:
            reminder = remind_notice(pk, today=today, actor=Actor.platform())
        except Exception:
            logger.exception("Could not remind notice %s", pk)
            continue
        if reminder is not None:
            sent.append(reminder)
    return sent


@transaction.atomic
def remind_notice(notice_pk, *, today: date, actor: Actor) -> NoticeReminder | None:
    notice = (
        DepartmentNotice.objects.select_for_update(of=("self",))
        .select_related("convention", "partner")
        .get(pk=notice_pk)
    )
    if not notice.is_overdue(today):
        return None
    last = notice.reminders.first()
    if last is not None and last.sent_on > today - timedelta(days=settings.NOTICE_REMINDER_DAYS):
        return None
    people = list(access.correspondents_of(notice.partner))
    reminder = NoticeReminder.objects.create(notice=notice, sent_on=today, recipients=len(people))
    audit.record(
        actor,
        "notice.reminded",
        notice,
        convention=notice.convention.reference,
        days_late=notice.days_late(today),
        recipients=len(people),
        **audit.about_partner(notice.partner),
    )
    transaction.on_commit(lambda: notifications.send_notice_reminder(notice, today=today))
    return reminder
