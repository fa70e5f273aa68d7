"""Reads: which requests a person may see (what waits in them for the homes: `worklist`)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from odpe.accounts.access import is_reviewer, partners_followed_by
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


def get_answer_for(user, pk) -> Answer:
    answers = Answer.objects.select_related("addressee__partner")
    if not is_reviewer(user):
        answers = answers.filter(addressee__partner__in=partners_followed_by(user))
    return get_object_or_404(answers, pk=pk)
