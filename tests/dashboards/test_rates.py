"""Rates of two indicators (numerator / denominator per 100 or per 1,000), computed by the generation."""

import pytest
from django.db import IntegrityError
from django.urls import reverse
from pytest_django.asserts import assertContains

from dashboards import services, snapshot
from odpe.audit import Actor
from tests.conventions.factories import PartnerFactory
from tests.dashboards.factories import DashboardVersionFactory, observe
from tests.uploads.factories import IndicatorFactory
from uploads.models import Indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return PartnerFactory(name="Département de la Loire", short_name="CD42")


@pytest.fixture
def rate_of_children_in_care():
    in_care = IndicatorFactory(code="enfants-confies", label="Enfants confiés à l'ASE")
    population = IndicatorFactory(
        code="population-0-20", label="Population des 0-20 ans", domain=Indicator.Domain.CONTEXT
    )
    rate = IndicatorFactory(
        code="taux-confies",
        label="Enfants confiés pour 1 000 jeunes de 0 à 20 ans",
        unit=Indicator.Unit.PER_THOUSAND,
        numerator=in_care,
        denominator=population,
    )
    return in_care, population, rate


def generated_figures(referent, django_capture_on_commit_callbacks, year=2023) -> dict:
    with django_capture_on_commit_callbacks(execute=True):
        version = services.create_version(data_year=year, actor=Actor(user=referent), threshold=5)
    version.refresh_from_db()
    return {f["indicator"]: f for section in version.content["sections"] for f in section["figures"]}


def test_a_rate_is_its_numerator_over_its_denominator_per_thousand_each_year_and_territory(
    referent, department, rate_of_children_in_care, django_capture_on_commit_callbacks
):
    in_care, population, _rate = rate_of_children_in_care
    for year, children, people in [(2022, 1800, 200_000), (2023, 2000, 200_000)]:
        observe(in_care, department, year, children)
        observe(population, department, year, people)
    observe(in_care, department, 2023, 600, territory="Forez")
    observe(population, department, 2023, 50_000, territory="Forez")

    figure = generated_figures(referent, django_capture_on_commit_callbacks)["taux-confies"]

    assert figure["unit"] == "per_thousand"
    assert figure["value"] == {"value": 10.0, "masked": None}
    assert [point["value"] for point in figure["trend"]] == [9.0, 10.0]
    assert figure["change"] == pytest.approx(1 / 9)
    [territories] = figure["breakdowns"]
    assert territories["rows"][0]["label"] == "Forez" and territories["rows"][0]["value"] == 12.0
    assert figure["rate"] == {
        "numerator": "Enfants confiés à l'ASE",
        "denominator": "Population des 0-20 ans",
        "per": 1000,
    }
    assert figure["sources"] == [str(department.pk)]


def test_a_rate_is_masked_where_its_numerator_is_and_leaves_no_value_in_the_public_view(
    referent, department, rate_of_children_in_care, django_capture_on_commit_callbacks
):
    in_care, population, _rate = rate_of_children_in_care
    for territory, children in [("Forez", 3), ("Gier", 400), ("Roannais", 350)]:
        observe(in_care, department, 2023, children, territory=territory)
        observe(population, department, 2023, 40_000, territory=territory)

    figures = generated_figures(referent, django_capture_on_commit_callbacks)
    count_rows = {row["label"]: row for row in figures["enfants-confies"]["breakdowns"][0]["rows"]}
    rate_rows = {row["label"]: row for row in figures["taux-confies"]["breakdowns"][0]["rows"]}

    for label, row in count_rows.items():
        assert bool(rate_rows[label]["masked"]) == bool(row["masked"])
    assert rate_rows["Forez"]["masked"] and rate_rows["Forez"]["value"] == pytest.approx(0.075)
    public = {row["label"]: row for row in _public_rate_rows(figures)}
    assert public["Forez"]["value"] is None


def _public_rate_rows(figures: dict) -> list[dict]:
    content = {
        "sections": [{"domain": "d", "title": "t", "figures": [figures["taux-confies"]]}],
        "sources": [],
    }
    [section] = snapshot.public_view(content)["sections"]
    return section["figures"][0]["breakdowns"][0]["rows"]


def test_a_rate_without_its_denominator_is_masked_not_computed(
    referent, department, rate_of_children_in_care, django_capture_on_commit_callbacks
):
    in_care, _population, _rate = rate_of_children_in_care
    observe(in_care, department, 2023, 2000)

    figure = generated_figures(referent, django_capture_on_commit_callbacks)["taux-confies"]

    assert figure["value"] == {"value": None, "masked": "no_denominator"}
    assert figure["change"] is None


def test_the_published_page_shows_the_rate_with_its_definition(
    member_client, department, rate_of_children_in_care, django_capture_on_commit_callbacks, referent
):
    in_care, population, _rate = rate_of_children_in_care
    observe(in_care, department, 2023, 2000)
    observe(population, department, 2023, 200_000)
    figures = generated_figures(referent, django_capture_on_commit_callbacks)
    content = {
        "format": 1,
        "data_year": 2023,
        "years": [2023],
        "threshold": 5,
        "sections": [
            {
                "domain": "children_in_danger",
                "title": "Enfants en danger",
                "figures": [figures["taux-confies"]],
            }
        ],
        "sources": [
            {"id": str(department.pk), "name": department.name, "short_name": "CD42", "has_logo": False}
        ],
        "left_out": [],
    }
    version = DashboardVersionFactory(published=True, content=content, number=2)

    response = member_client.get(
        reverse("dashboards:published_section", args=[version.pk, "children_in_danger"])
    )

    assertContains(response, "10 ‰")
    assertContains(
        response,
        "Taux pour 1\u00a0000\u00a0: Enfants confiés à l&#x27;ASE divisé par Population des 0-20 ans.",
    )


def test_the_database_refuses_a_rate_that_divides_an_indicator_by_itself(rate_of_children_in_care):
    in_care, _population, rate = rate_of_children_in_care
    rate.denominator = in_care

    with pytest.raises(IntegrityError):
        rate.save()


def test_the_database_refuses_a_count_with_a_numerator():
    in_care, population = IndicatorFactory(), IndicatorFactory()

    with pytest.raises(IntegrityError):
        IndicatorFactory(unit=Indicator.Unit.COUNT, numerator=in_care, denominator=population)
