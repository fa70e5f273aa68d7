"""Reminders to partners whose tables are missing: at opening, 15 and 3 days before the date agreed with
each partner (or the campaign's), then weekly; and now, when a referent asks, to those still missing."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conventions.models import Partner
from odpe import audit
from odpe.accounts import access
from odpe.audit import Actor
from odpe.errors import TransitionError
from uploads import notifications
from uploads.models import Campaign, ReminderSent, Submission
from uploads.selectors import due_dates

OPENING = "opening"
DUE_IN_15_DAYS = "due-in-15-days"
DUE_IN_3_DAYS = "due-in-3-days"


def milestone_on(today: date, opens_on: date, due_on: date) -> str | None:
    """The latest reminder milestone reached on `today`, or None before the campaign opens.

    Taking the latest one means a day missed by the scheduler is caught up once, not replayed.
    """
    if today < opens_on:
        return None
    if today > due_on:
        return f"overdue-week-{((today - due_on).days - 1) // 7 + 1}"
    milestones = [
        (opens_on, OPENING),
        (due_on - timedelta(days=15), DUE_IN_15_DAYS),
        (due_on - timedelta(days=3), DUE_IN_3_DAYS),
    ]
    reached = [(day, name) for day, name in milestones if opens_on <= day <= today]
    return max(reached)[1] if reached else OPENING


def _waiting(campaign: Campaign, today: date) -> list[tuple[Submission, date]]:
    """The campaign's expected tables still owed, each with its due date."""
    dates = due_dates(campaign, today)
    return [
        (submission, dates[(submission.partner_id, submission.spec_id)])
        for submission in campaign.submissions.select_related("partner", "spec", "latest_version")
        if (submission.partner_id, submission.spec_id) in dates and submission.is_waiting
    ]


def send_due_reminders(today: date) -> int:
    """Send each partner one e-mail per milestone listing its waiting tables, each on the calendar agreed
    with the partner; return how many e-mails were sent."""
    sent = 0
    for campaign in Campaign.objects.filter(opens_on__lte=today):
        waiting: dict = {}
        for submission, due_on in _waiting(campaign, today):
            milestone = milestone_on(today, campaign.opens_on, due_on)
            if milestone is not None:
                waiting.setdefault((submission.partner, milestone, due_on), []).append(submission)
        for (partner, milestone, due_on), submissions in waiting.items():
            newly_due = [s for s in submissions if _claim(campaign, s, milestone)]
            if newly_due:
                overdue = milestone.startswith("overdue")
                notifications.send_reminder(campaign, partner, newly_due, due_on, overdue=overdue)
                sent += 1
    return sent


def _claim(campaign: Campaign, submission, milestone: str) -> bool:
    """Record the milestone for this table; False if it was already sent (now or by a concurrent run)."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                campaign=campaign,
                partner_id=submission.partner_id,
                spec_id=submission.spec_id,
                milestone=milestone,
            )
    except IntegrityError:
        return False
    return True


@dataclass(frozen=True)
class PartnerToRemind:
    """A partner that still owes tables of a campaign: what, by when, and who would get the e-mail."""

    partner: Partner
    submissions: list[Submission]
    due_on: date
    overdue: bool
    correspondents: list

    @property
    def recipients(self) -> list[str]:
        return sorted(person.email for person in self.correspondents if person.is_active)


def partners_to_remind(campaign: Campaign, today: date) -> list[PartnerToRemind]:
    """Those still missing, by name: each partner with a table owed, its earliest due date among them."""
    by_partner: dict = {}
    for submission, due_on in _waiting(campaign, today):
        by_partner.setdefault(submission.partner, []).append((submission, due_on))
    people = access.correspondents_acting_for_each(by_partner)
    reminded = []
    for partner in sorted(by_partner, key=lambda partner: partner.name):
        owed = sorted(by_partner[partner], key=lambda pair: pair[0].spec.code)
        due_on = min(day for _submission, day in owed)
        reminded.append(
            PartnerToRemind(
                partner=partner,
                submissions=[submission for submission, _day in owed],
                due_on=due_on,
                overdue=today > due_on,
                correspondents=people[partner.pk],
            )
        )
    return reminded


@dataclass(frozen=True)
class EmailPreview:
    partner: Partner
    subject: str
    body: str


def preview_reminders(campaign: Campaign, today: date) -> tuple[list[PartnerToRemind], EmailPreview | None]:
    """Who `remind_now` would write to, and the e-mail the first of them would get."""
    partners = partners_to_remind(campaign, today)
    first = next((p for p in partners if p.recipients), None)
    if first is None:
        return partners, None
    subject, body = notifications.preview_reminder(
        campaign, first.partner, first.submissions, first.due_on, overdue=first.overdue
    )
    return partners, EmailPreview(partner=first.partner, subject=subject, body=body)


@transaction.atomic(durable=True)
def remind_now(campaign: Campaign, *, actor: Actor, today: date) -> int:
    """E-mail the correspondents of each partner still missing tables of the campaign, now; return how many
    partners were written to. Each table's reminder joins its history; a partner with no correspondent to
    write to is left out (the preview names it)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    partners = [p for p in partners_to_remind(campaign, today) if p.recipients]
    if not partners:
        raise TransitionError(
            _("No partner with a correspondent still owes a table of this campaign: nobody to remind.")
        )
    now = timezone.now()
    ReminderSent.objects.bulk_create(
        ReminderSent(
            campaign=campaign,
            partner=reminded.partner,
            spec_id=submission.spec_id,
            milestone=ReminderSent.MANUAL,
            sent_at=now,
            sent_by=actor.user,
        )
        for reminded in partners
        for submission in reminded.submissions
    )
    audit.record(
        actor,
        "campaign.reminded",
        campaign,
        partners=[reminded.partner.name for reminded in partners],
        tables=sum(len(reminded.submissions) for reminded in partners),
    )
    for reminded in partners:
        transaction.on_commit(
            lambda reminded=reminded: notifications.send_reminder(
                campaign,
                reminded.partner,
                reminded.submissions,
                reminded.due_on,
                overdue=reminded.overdue,
                sent_by=actor.user,
            )
        )
    return len(partners)
