"""Reference values (France, region) the referent enters, shown beside the Département's figures."""

from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from dashboards import references, services
from dashboards.models import ReferenceValue
from odpe.audit import Actor
from odpe.models import AuditEvent
from tests.conventions.factories import PartnerFactory
from tests.dashboards.factories import DashboardVersionFactory, observe
from tests.uploads.factories import IndicatorFactory
from uploads.models import Indicator

pytestmark = pytest.mark.django_db
URL = reverse("dashboards:reference_values")


@pytest.fixture
def rate():
    return IndicatorFactory(label="Enfants confiés pour 1 000 jeunes", unit=Indicator.Unit.RATE)


def test_the_referent_enters_a_reference_value_with_its_source_and_year(referent_client, referent, rate):
    response = referent_client.post(
        URL, {"indicator": rate.pk, "scope": "france", "year": 2023, "value": "10,6", "source": "DREES"}
    )

    assertRedirects(response, URL)
    reference = ReferenceValue.objects.get()
    assert (reference.scope, reference.year, reference.value, reference.source) == (
        "france",
        2023,
        Decimal("10.6"),
        "DREES",
    )
    assert AuditEvent.objects.filter(action="reference_value.recorded", object_id=str(reference.pk)).exists()
    assertContains(referent_client.get(URL), "DREES")


def test_a_value_without_its_source_is_refused_with_a_french_message_and_nothing_saved(referent_client, rate):
    response = referent_client.post(
        URL, {"indicator": rate.pk, "scope": "region", "year": 2023, "value": "9", "source": "  "}
    )

    assert response.status_code == 200
    assertContains(response, "Ce champ est obligatoire.")
    assert not ReferenceValue.objects.exists()


def test_entering_the_same_indicator_scope_and_year_again_corrects_the_value(referent, rate):
    actor = Actor(user=referent)
    for value in (Decimal("9.5"), Decimal("9.8")):
        references.record_reference_value(
            actor=actor, indicator=rate, scope="france", year=2023, value=value, source="DREES"
        )

    assert ReferenceValue.objects.get().value == Decimal("9.8")
    assert AuditEvent.objects.filter(action="reference_value.corrected").count() == 1


def test_a_generated_dashboard_carries_the_latest_reference_of_each_scope_up_to_its_year(
    referent, rate, django_capture_on_commit_callbacks
):
    actor = Actor(user=referent)
    for scope, year, value in [
        ("region", 2022, 8),
        ("france", 2021, 9),
        ("france", 2022, 10),
        ("france", 2024, 11),
    ]:
        references.record_reference_value(
            actor=actor, indicator=rate, scope=scope, year=year, value=Decimal(value), source="DREES"
        )
    observe(rate, PartnerFactory(), 2023, 12.5)

    with django_capture_on_commit_callbacks(execute=True):
        version = services.create_version(data_year=2023, actor=actor)
    version.refresh_from_db()

    [figure] = version.content["sections"][0]["figures"]
    assert figure["references"] == [
        {"scope": "france", "year": 2022, "value": 10.0, "source": "DREES"},
        {"scope": "region", "year": 2022, "value": 8.0, "source": "DREES"},
    ]


def test_the_published_page_shows_the_reference_beside_the_figure(member_client, referent, rate):
    references.record_reference_value(
        actor=Actor(user=referent),
        indicator=rate,
        scope="france",
        year=2022,
        value=Decimal("10.4"),
        source="DREES",
    )
    observe(rate, PartnerFactory(), 2023, 12.5)
    content = services.build_snapshot(2023, 5)
    version = DashboardVersionFactory(published=True, content=content)

    response = member_client.get(
        reverse("dashboards:published_section", args=[version.pk, "children_in_danger"])
    )

    assertContains(response, "Référence France (DREES, 2022)")
    assertContains(response, "10,4 %")
