"""A data request asked with a table spec names the year its figures describe; accepted, the answer's
figures join the observations of that year, as an accepted table's do, and leave them as they do."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from odpe.audit import Actor
from odpe.errors import TransitionError
from tests.uploads.factories import TableSpecFactory
from uploads.data_requests import services
from uploads.data_requests.models import DataRequest

pytestmark = pytest.mark.django_db


def ask(referent, partners, **kwargs):
    return services.send_data_request(
        actor=Actor(user=referent),
        title="Enfants suivis au 30 juin",
        message="Le tableau habituel, au 30 juin.",
        due_on=timezone.localdate() + timedelta(days=10),
        partners=partners,
        **kwargs,
    )


def test_a_request_with_a_table_spec_records_the_year_its_figures_describe(referent_client, partner):
    spec = TableSpecFactory()
    referent_client.post(
        reverse("data_requests:request_create"),
        {
            "title": "Enfants suivis",
            "message": "Le tableau habituel.",
            "due_on": (timezone.localdate() + timedelta(days=15)).isoformat(),
            "partners": [partner.pk],
            "spec": spec.pk,
            "data_year": 2024,
        },
    )

    assert DataRequest.objects.get().data_year == 2024


def test_a_table_spec_without_its_year_is_refused_in_french_and_nothing_is_sent(referent_client, partner):
    response = referent_client.post(
        reverse("data_requests:request_create"),
        {
            "title": "Enfants suivis",
            "message": "Le tableau habituel.",
            "due_on": (timezone.localdate() + timedelta(days=15)).isoformat(),
            "partners": [partner.pk],
            "spec": TableSpecFactory().pk,
        },
    )

    assertContains(response, "Indiquez l’année que décrivent les chiffres")
    assert not DataRequest.objects.exists()


def test_the_service_refuses_a_table_spec_without_its_year(referent, partner):
    with pytest.raises(TransitionError, match="quelle année"):
        ask(referent, [partner], spec=TableSpecFactory())

    assert not DataRequest.objects.exists()
