"""What waits in the collection: tables owed, returned, to review, late or refused, and the campaign's
progress (see `odpe.worklist`)."""

from datetime import date
from itertools import groupby

from django.db.models import Max, Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from odpe.accounts.access import partners_acted_for
from odpe.templatetags.french import day
from odpe.worklist import Task, Urgency, urgency_for
from uploads.models import Campaign, ReminderSent, Submission, SubmissionVersion
from uploads.selectors import due_dates, expected_pairs, review_queue

Status = SubmissionVersion.Status


def _table(submission: Submission) -> str:
    """« Enfants confiés de la CAF, données 2025 »."""
    return _("%(table)s %(of_partner)s, data of %(year)s") % {
        "table": submission.spec.title,
        "of_partner": submission.partner.of_name(),
        "year": submission.campaign.data_year,
    }


def _with_due_dates(submissions, today: date) -> list[tuple[Submission, date]]:
    """Each table with the date agreed with its partner (or its campaign's), the nearest first."""
    agreed = {}
    dated = []
    for submission in submissions:
        if submission.campaign_id not in agreed:
            agreed[submission.campaign_id] = due_dates(submission.campaign, today)
        key = (submission.partner_id, submission.spec_id)
        dated.append((submission, agreed[submission.campaign_id].get(key, submission.campaign.due_on)))
    return sorted(dated, key=lambda pair: pair[1])


def _owed(today: date):
    """Tables of opened campaigns with nothing accepted and nothing on its way to the referent."""
    return (
        Submission.objects.filter(campaign__opens_on__lte=today, accepted_version__isnull=True)
        .filter(
            Q(latest_version__isnull=True) | Q(latest_version__status__in=[Status.INVALID, Status.RETURNED])
        )
        .select_related("campaign", "partner", "spec", "latest_version")
    )


def tables_owed_by(user, today: date) -> list[Task]:
    """The tables the person's institutions still owe (not sent, or refused by the checks), the nearest
    due date first; a returned table is in `tables_returned_to`."""
    owed = (
        _owed(today)
        .filter(partner__in=partners_acted_for(user))
        .exclude(latest_version__status=Status.RETURNED)
        .order_by("campaign__due_on", "partner__name", "spec__code")
    )
    return [
        Task(
            title=_table(submission),
            detail=submission.get_status_display(),
            url=submission.get_absolute_url(),
            due_on=due_on,
            urgency=urgency_for(due_on, today),
        )
        for submission, due_on in _with_due_dates(owed, today)
    ]


def tables_returned_to(user, today: date) -> list[Task]:
    """The tables the referent returned to the person's institutions, with the referent's comment in full."""
    returned = (
        _owed(today)
        .filter(partner__in=partners_acted_for(user), latest_version__status=Status.RETURNED)
        .order_by("campaign__due_on", "partner__name", "spec__code")
    )
    return [
        Task(
            title=_table(submission),
            detail=submission.latest_version.review_comment,
            url=submission.get_absolute_url(),
            due_on=due_on,
            urgency=urgency_for(due_on, today),
        )
        for submission, due_on in _with_due_dates(returned, today)
    ]


def tables_to_review() -> list[Task]:
    """Versions waiting for the referent's review, the oldest first."""
    return [
        Task(
            title=_table(version.submission),
            detail=_("Sent on %(date)s by %(person)s.")
            % {
                "date": day(version.uploaded_at),
                "person": version.uploaded_by.get_full_name() or version.uploaded_by.email,
            },
            url=version.get_absolute_url(),
        )
        for version in review_queue().select_related("submission__campaign")
    ]


def partners_late(today: date) -> list[Task]:
    """Partners that still owe a table of a campaign past its due date, the longest late first (one line per
    partner and campaign, saying when it was last reminded; a partner that left the convention owes nothing
    more)."""
    late = (
        _owed(today)
        .filter(campaign__due_on__lt=today)
        .order_by("campaign__due_on", "campaign__data_year", "partner__name", "spec__code")
    )
    expected = {}
    reminded = {
        (row["campaign_id"], row["partner_id"]): row["last"]
        for row in ReminderSent.objects.filter(campaign__due_on__lt=today)
        .values("campaign_id", "partner_id")
        .annotate(last=Max("sent_at"))
    }
    tasks = []
    for (partner, campaign), group in groupby(late, key=lambda s: (s.partner, s.campaign)):
        if campaign.pk not in expected:
            expected[campaign.pk] = expected_pairs(campaign, today)
        count = sum(1 for s in group if (s.partner_id, s.spec_id) in expected[campaign.pk])
        if not count:
            continue
        days = (today - campaign.due_on).days
        sentences = [
            ngettext("%(count)s table of %(year)s", "%(count)s tables of %(year)s", count)
            % {"count": count, "year": campaign.data_year},
            ngettext("late by %(days)s day.", "late by %(days)s days.", days) % {"days": days},
        ]
        if last := reminded.get((campaign.pk, partner.pk)):
            sentences.append(_("Last reminded on %(date)s.") % {"date": day(last)})
        tasks.append(
            Task(
                title=capfirst(partner.with_article()),
                detail=" ".join(sentences),
                url=campaign.get_absolute_url(),
                due_on=campaign.due_on,
                urgency=Urgency.LATE,
            )
        )
    return tasks


def refused_checks(today: date) -> list[Task]:
    """Tables whose latest upload the checks refused, nothing accepted yet: the partner may need help."""
    refused = (
        _owed(today)
        .filter(latest_version__status=Status.INVALID)
        .order_by("-latest_version__validated_at", "partner__name")
    )
    return [
        Task(
            title=_table(submission),
            detail=_("Refused by the checks on %(date)s.")
            % {"date": day(submission.latest_version.validated_at)},
            url=submission.latest_version.get_absolute_url(),
            due_on=submission.campaign.due_on,
            urgency=urgency_for(submission.campaign.due_on, today),
        )
        for submission in refused
    ]


def campaign_progress(today: date) -> list[Task]:
    """The current campaign (the latest opened): how many of its expected tables are accepted."""
    campaign = Campaign.objects.filter(opens_on__lte=today).order_by("-data_year").first()
    if campaign is None:
        return []
    expected = expected_pairs(campaign, today)
    accepted = sum(
        1
        for pair in campaign.submissions.filter(accepted_version__isnull=False).values_list(
            "partner_id", "spec_id"
        )
        if pair in expected
    )
    title = ngettext(
        "%(campaign)s: %(accepted)s of %(expected)s table accepted",
        "%(campaign)s: %(accepted)s of %(expected)s tables accepted",
        accepted,
    ) % {"campaign": capfirst(str(campaign)), "accepted": accepted, "expected": len(expected)}
    return [Task(title=title, url=campaign.get_absolute_url(), due_on=campaign.due_on, urgency=Urgency.INFO)]
