"""Reads: which requests a person may see, and what waits in them (the homes' task items)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from odpe.accounts.access import is_reviewer, partners_acted_for, partners_followed_by
from uploads.data_requests.models import Addressee, Answer, DataRequest


def requests_visible_to(user) -> QuerySet[DataRequest]:
    """Reviewers see every request; correspondents those addressed to their institutions."""
    if is_reviewer(user):
        return DataRequest.objects.all()
    return DataRequest.objects.filter(addressees__partner__in=partners_followed_by(user)).distinct()


def get_request_for(user, pk) -> DataRequest:
    return get_object_or_404(requests_visible_to(user), pk=pk)


def addressees_visible_to(user) -> QuerySet[Addressee]:
    addressees = Addressee.objects.select_related("request__spec", "partner")
    if is_reviewer(user):
        return addressees
    return addressees.filter(partner__in=partners_followed_by(user))


def get_addressee_for(user, pk) -> Addressee:
    return get_object_or_404(addressees_visible_to(user), pk=pk)


@dataclass(frozen=True)
class RequestItem:
    """A task of a home: what it is about, a sentence on where it stands, where it is done, by when."""

    title: str
    detail: str
    url: str
    due_on: date
    late: bool


def requests_owed_by(user, today: date) -> list[RequestItem]:
    """Requests addressed to the person's institutions that still wait for their answer, nearest first."""
    owed = (
        Addressee.objects.filter(status__in=Addressee.OWED, partner__in=partners_acted_for(user))
        .select_related("request", "partner")
        .order_by("request__due_on", "partner__name")
    )
    return [_item(addressee, today) for addressee in owed]


def requests_overdue(today: date) -> list[RequestItem]:
    """Requests past their deadline that a partner has not answered, the longest late first."""
    late = (
        Addressee.objects.filter(status__in=Addressee.OWED, request__due_on__lt=today)
        .select_related("request", "partner")
        .order_by("request__due_on", "partner__name")
    )
    return [_item(addressee, today) for addressee in late]


def answers_to_review() -> QuerySet[Addressee]:
    return Addressee.objects.filter(status=Addressee.Status.TO_REVIEW).select_related("request", "partner")


def _item(addressee: Addressee, today: date) -> RequestItem:
    return RequestItem(
        title=f"{addressee.request.title} — {addressee.partner.short_name or addressee.partner.name}",
        detail=addressee.get_status_display(),
        url=addressee.get_absolute_url(),
        due_on=addressee.request.due_on,
        late=addressee.is_late_on(today),
    )


def get_answer_for(user, pk) -> Answer:
    answers = Answer.objects.select_related("addressee__partner")
    if not is_reviewer(user):
        answers = answers.filter(addressee__partner__in=partners_followed_by(user))
    return get_object_or_404(answers, pk=pk)
