"""What waits in the data requests, for the homes' task lists (see `odpe.worklist`)."""

from datetime import date

from odpe.accounts.access import partners_acted_for
from odpe.worklist import Task, Urgency, urgency_for
from uploads.data_requests.models import Addressee


def requests_owed_by(user, today: date) -> list[Task]:
    """Requests addressed to the person's institutions that still wait for their answer, nearest first."""
    owed = (
        Addressee.objects.filter(status__in=Addressee.OWED, partner__in=partners_acted_for(user))
        .select_related("request", "partner")
        .order_by("request__due_on", "partner__name")
    )
    return [_task(addressee, today) for addressee in owed]


def requests_overdue(today: date) -> list[Task]:
    """Requests past their deadline that a partner has not answered, the longest late first."""
    late = (
        Addressee.objects.filter(status__in=Addressee.OWED, request__due_on__lt=today)
        .select_related("request", "partner")
        .order_by("request__due_on", "partner__name")
    )
    return [_task(addressee, today) for addressee in late]


def answers_to_review() -> list[Task]:
    """Answers waiting for the referent's review, the request asked first at the top."""
    waiting = (
        Addressee.objects.filter(status=Addressee.Status.TO_REVIEW)
        .select_related("request", "partner")
        .order_by("request__created_at", "partner__name")
    )
    return [
        Task(title=_title(addressee), detail=addressee.get_status_display(), url=addressee.get_absolute_url())
        for addressee in waiting
    ]


def _title(addressee: Addressee) -> str:
    return f"{addressee.request.title} — {addressee.partner.short_name or addressee.partner.name}"


def _task(addressee: Addressee, today: date) -> Task:
    return Task(
        title=_title(addressee),
        detail=addressee.get_status_display(),
        url=addressee.get_absolute_url(),
        due_on=addressee.request.due_on,
        urgency=Urgency.LATE if addressee.is_late_on(today) else urgency_for(addressee.request.due_on, today),
    )
