"""A data request asked with a table spec names the year its figures describe; accepted, the answer's
figures join the observations of that year, as an accepted table's do, and leave them as they do."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from conventions.models import DestructionCertificate
from conventions.services import record_withdrawal
from dashboards import services as dashboard_services
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from odpe.roof.withdrawals import apply_due_withdrawals
from tests.conventions.factories import ConventionFactory
from tests.dashboards.factories import accepted_version
from tests.uploads.factories import TableRequirementFactory, TableSpecFactory, map_counts_spec, xlsx_upload
from uploads.data_requests import services
from uploads.data_requests.models import Addressee, DataRequest
from uploads.models import Observation

pytestmark = pytest.mark.django_db
Status = Addressee.Status


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


@pytest.fixture
def mapped_spec():
    spec = TableSpecFactory()
    map_counts_spec(spec)
    return spec


def answered(referent, partner, correspondent, capture, spec, data_year=2024):
    """The partner asked for `spec`'s table for `data_year`, and its correspondent's workbook checked."""
    request = ask(referent, [partner], spec=spec, data_year=data_year)
    addressee = request.addressees.get()
    uploaded = xlsx_upload() if spec is not None else pdf()
    with capture(execute=True):
        services.answer_data_request(addressee, actor=Actor(user=correspondent), uploaded_file=uploaded)
    addressee.refresh_from_db()
    assert addressee.status == Status.TO_REVIEW
    return addressee


def pdf():
    return SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def test_accepting_an_answer_with_a_mapped_spec_writes_its_figures_for_the_partner_and_the_year(
    referent, partner, correspondent, mapped_spec, django_capture_on_commit_callbacks
):
    addressee = answered(referent, partner, correspondent, django_capture_on_commit_callbacks, mapped_spec)
    indicator = mapped_spec.columns.get(field_name="total").indicator

    services.accept_answer(addressee, actor=Actor(user=referent))

    answer = addressee.answers.get()
    assert sorted(
        Observation.objects.values_list(
            "indicator", "data_year", "territory", "value", "source", "answer", "version"
        )
    ) == [
        (indicator.pk, 2024, "Forez", Decimal("22"), partner.pk, answer.pk, None),
        (indicator.pk, 2024, "Roannais", Decimal("16"), partner.pk, answer.pk, None),
    ]
    assert AuditEvent.objects.get(action="data_request.accepted").details["observations"] == 2


def test_accepting_a_free_document_writes_no_observation(
    asked_free, referent, correspondent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_data_request(asked_free, actor=Actor(user=correspondent), uploaded_file=pdf())

    services.accept_answer(asked_free, actor=Actor(user=referent))

    asked_free.refresh_from_db()
    assert asked_free.status == Status.ACCEPTED
    assert not Observation.objects.exists()


@pytest.fixture
def asked_free(referent, partner):
    return ask(referent, [partner]).addressees.get()


def test_returning_an_accepted_answer_takes_its_figures_out(
    referent, partner, correspondent, mapped_spec, django_capture_on_commit_callbacks
):
    addressee = answered(referent, partner, correspondent, django_capture_on_commit_callbacks, mapped_spec)
    services.accept_answer(addressee, actor=Actor(user=referent))

    services.return_answer(addressee, actor=Actor(user=referent), comment="Le Forez compte double.")

    addressee.refresh_from_db()
    assert addressee.status == Status.RETURNED
    assert not Observation.objects.exists()
    event = AuditEvent.objects.get(action="data_request.returned")
    assert event.details["observations_removed"] == 2


def test_the_referent_returns_an_accepted_answer_through_its_page(
    referent, referent_client, partner, correspondent, mapped_spec, django_capture_on_commit_callbacks
):
    addressee = answered(referent, partner, correspondent, django_capture_on_commit_callbacks, mapped_spec)
    services.accept_answer(addressee, actor=Actor(user=referent))
    assertContains(referent_client.get(addressee.get_absolute_url()), "La renvoyer pour correction")

    response = referent_client.post(
        reverse("data_requests:addressee_return", args=[addressee.pk]), {"comment": "Le Forez compte double."}
    )

    assertRedirects(response, addressee.get_absolute_url(), fetch_redirect_response=False)
    assert not Observation.objects.exists()


def test_a_corrected_answer_accepted_brings_its_own_figures(
    referent, partner, correspondent, mapped_spec, django_capture_on_commit_callbacks
):
    addressee = answered(referent, partner, correspondent, django_capture_on_commit_callbacks, mapped_spec)
    services.accept_answer(addressee, actor=Actor(user=referent))
    services.return_answer(addressee, actor=Actor(user=referent), comment="Le Forez compte double.")
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_data_request(
            addressee, actor=Actor(user=correspondent), uploaded_file=xlsx_upload([["Forez", 6, 5, 11]])
        )

    services.accept_answer(addressee, actor=Actor(user=referent))

    latest = addressee.answers.order_by("-uploaded_at").first()
    assert list(Observation.objects.values_list("territory", "value", "answer")) == [
        ("Forez", Decimal("11"), latest.pk)
    ]


def test_figures_a_table_of_the_partner_already_gives_are_refused_in_french(
    referent, partner, correspondent, mapped_spec, django_capture_on_commit_callbacks
):
    addressee = answered(referent, partner, correspondent, django_capture_on_commit_callbacks, mapped_spec)
    Observation.objects.create(
        indicator=mapped_spec.columns.get(field_name="total").indicator,
        data_year=2024,
        territory="Forez",
        value=1,
        source=partner,
        version=accepted_version(partner, 2024),
    )

    with pytest.raises(TransitionError, match="déjà fournis pour 2024 par le tableau"):
        services.accept_answer(addressee, actor=Actor(user=referent))

    addressee.refresh_from_db()
    assert addressee.status == Status.TO_REVIEW
    assert Observation.objects.count() == 1


@pytest.mark.parametrize("origins", ["both", "neither"])
def test_the_database_refuses_an_observation_without_exactly_one_origin(
    origins, referent, partner, correspondent, mapped_spec, django_capture_on_commit_callbacks
):
    addressee = answered(referent, partner, correspondent, django_capture_on_commit_callbacks, mapped_spec)
    version = accepted_version(partner, 2024)
    origin = {"both": {"version": version, "answer": addressee.answers.get()}, "neither": {}}[origins]

    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(
            indicator=mapped_spec.columns.get(field_name="total").indicator,
            data_year=2024,
            value=1,
            source=partner,
            **origin,
        )


def test_a_dashboard_generated_afterwards_shows_the_answers_figure_with_its_source(
    referent, partner, correspondent, mapped_spec, django_capture_on_commit_callbacks
):
    addressee = answered(referent, partner, correspondent, django_capture_on_commit_callbacks, mapped_spec)
    services.accept_answer(addressee, actor=Actor(user=referent))
    indicator = mapped_spec.columns.get(field_name="total").indicator

    with django_capture_on_commit_callbacks(execute=True):
        dashboard = dashboard_services.create_version(data_year=2024, actor=Actor(user=referent))
    dashboard.refresh_from_db()

    figures = {f["indicator"]: f for section in dashboard.content["sections"] for f in section["figures"]}
    assert figures[indicator.code]["value"] == {"value": 38, "masked": None}
    assert figures[indicator.code]["sources"] == [str(partner.pk)]


def test_a_withdrawal_under_a_destroy_policy_destroys_the_answers_and_their_figures(
    referent, partner, correspondent, admin_user, admin_client, django_capture_on_commit_callbacks
):
    convention = ConventionFactory(data_transfer=True)
    spec = TableRequirementFactory(partner=partner, convention=convention).spec
    map_counts_spec(spec)
    addressee = answered(referent, partner, correspondent, django_capture_on_commit_callbacks, spec)
    services.accept_answer(addressee, actor=Actor(user=referent))
    withdrawal = record_withdrawal(
        convention.signatories.get(partner=partner),
        actor=Actor(user=admin_user),
        letter_sent_on=date(2024, 6, 3),
        letter_received_on=date(2024, 6, 5),
    )

    with django_capture_on_commit_callbacks(execute=True):
        apply_due_withdrawals(withdrawal.effective_on)

    assert not Observation.objects.exists()
    answer = addressee.answers.get()
    assert not answer.has_bytes
    [dataset] = DestructionCertificate.objects.get(partner=partner).datasets
    assert (dataset["request"], dataset["data_year"], dataset["values"], dataset["file"]) == (
        "Enfants suivis au 30 juin",
        2024,
        2,
        "tableau.xlsx",
    )
    response = admin_client.get(reverse("data_requests:answer_file", args=[answer.pk]))
    assertContains(response, "Ce fichier a été détruit", status_code=404)
