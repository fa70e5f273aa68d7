"""Reminders to partners whose tables are missing: at opening, 15 and 3 days before the date agreed with
each partner (or the campaign's), then weekly."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction

from uploads import notifications
from uploads.models import Campaign, ReminderSent
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


def send_due_reminders(today: date) -> int:
    """Send each partner one e-mail per milestone listing its waiting tables, each on the calendar agreed
    with the partner; return how many e-mails were sent."""
    sent = 0
    for campaign in Campaign.objects.filter(opens_on__lte=today):
        dates = due_dates(campaign, today)
        waiting: dict = {}
        for submission in campaign.submissions.select_related("partner", "spec", "latest_version"):
            due_on = dates.get((submission.partner_id, submission.spec_id))
            if due_on is None or not submission.is_waiting:
                continue
            milestone = milestone_on(today, campaign.opens_on, due_on)
            if milestone is not None:
                waiting.setdefault((submission.partner, milestone, due_on), []).append(submission)
        for (partner, milestone, due_on), submissions in waiting.items():
            newly_due = [s for s in submissions if _claim(campaign, s, milestone)]
            if newly_due:
                notifications.send_reminder(campaign, partner, newly_due, milestone, due_on)
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
