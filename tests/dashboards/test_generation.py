"""Generating a year's dashboard from the observations: figures, trends, breakdowns, sources, masking."""

import pytest

from dashboards import services, snapshot
from dashboards.disclosure import Table, audit
from dashboards.models import DashboardVersion
from odpe.audit import Actor
from odpe.models import AuditEvent
from tests.conventions.factories import PartnerFactory
from tests.dashboards.factories import observe
from tests.uploads.factories import IndicatorFactory
from uploads.models import Indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def caf():
    return PartnerFactory(name="Caisse d'Allocations Familiales de la Loire", short_name="CAF")


@pytest.fixture
def chu():
    return PartnerFactory(name="CHU de Saint-Étienne", short_name="CHU")


def generate(referent, year=2023, threshold=5) -> DashboardVersion:
    version = services.create_version(data_year=year, actor=Actor(user=referent), threshold=threshold)
    version.refresh_from_db()
    return version


def only_figure(version):
    [section] = version.content["sections"]
    [figure] = section["figures"]
    return section, figure


def test_a_figure_gives_the_year_the_previous_year_the_change_and_the_trend(
    referent, caf, django_capture_on_commit_callbacks
):
    indicator = IndicatorFactory(
        label="Informations préoccupantes", domain=Indicator.Domain.CHILDREN_IN_DANGER
    )
    for year, value in [(2021, 900), (2022, 1000), (2023, 1100)]:
        observe(indicator, caf, year, value)

    with django_capture_on_commit_callbacks(execute=True):
        version = services.create_version(data_year=2023, actor=Actor(user=referent))
    version.refresh_from_db()

    assert (version.generation, version.progress) == (DashboardVersion.Generation.DONE, 100)
    section, figure = only_figure(version)
    assert section["title"] == "Enfants en danger"
    assert figure["value"] == {"value": 1100, "masked": None}
    assert figure["previous"] == {"year": 2022, "value": 1000, "masked": None}
    assert figure["change"] == pytest.approx(0.1)
    assert [point["year"] for point in figure["trend"]] == [2021, 2022, 2023]
    assert AuditEvent.objects.filter(action="dashboard.generated", object_id=str(version.pk)).exists()


def test_every_figure_names_exactly_the_partners_whose_observations_feed_it(
    referent, caf, chu, django_capture_on_commit_callbacks
):
    shared, own = IndicatorFactory(), IndicatorFactory()
    observe(shared, caf, 2023, 40, territory="Forez")
    observe(shared, chu, 2023, 60, territory="Roannais")
    observe(own, chu, 2022, 7)
    PartnerFactory(name="Autre partenaire, sans donnée")

    with django_capture_on_commit_callbacks(execute=True):
        version = services.create_version(data_year=2023, actor=Actor(user=referent))
    version.refresh_from_db()

    figures = {f["indicator"]: f for section in version.content["sections"] for f in section["figures"]}
    assert set(figures[shared.code]["sources"]) == {str(caf.pk), str(chu.pk)}
    assert figures[own.code]["sources"] == [str(chu.pk)]
    assert {s["name"] for s in version.content["sources"]} == {caf.name, chu.name}


def test_counts_of_several_sources_add_up_and_the_breakdown_gives_the_total(
    referent, caf, chu, django_capture_on_commit_callbacks
):
    indicator = IndicatorFactory()
    observe(indicator, caf, 2023, 40, territory="Forez")
    observe(indicator, chu, 2023, 25, territory="Forez")
    observe(indicator, chu, 2023, 60, territory="Roannais")

    with django_capture_on_commit_callbacks(execute=True):
        version = services.create_version(data_year=2023, actor=Actor(user=referent))
    version.refresh_from_db()

    _section, figure = only_figure(version)
    [territories] = figure["breakdowns"]
    assert territories["dimension"] == "territory"
    assert [(row["label"], row["value"]) for row in territories["rows"]] == [("Forez", 65), ("Roannais", 60)]
    assert figure["value"]["value"] == 125


def test_a_small_count_is_masked_with_a_complement_so_that_the_total_does_not_give_it_away(
    referent, caf, django_capture_on_commit_callbacks
):
    indicator = IndicatorFactory()
    for territory, value in [("Forez", 3), ("Roannais", 40), ("Gier", 52)]:
        observe(indicator, caf, 2023, value, territory=territory)
    observe(indicator, caf, 2023, 95)

    with django_capture_on_commit_callbacks(execute=True):
        version = services.create_version(data_year=2023, actor=Actor(user=referent), threshold=5)
    version.refresh_from_db()

    _section, figure = only_figure(version)
    rows = {row["label"]: row["masked"] for row in figure["breakdowns"][0]["rows"]}
    assert rows["Forez"] == "small_count"
    assert sum(1 for reason in rows.values() if reason) >= 2 or figure["value"]["masked"]


def test_a_rate_is_never_masked_nor_added_across_sources(
    referent, caf, chu, django_capture_on_commit_callbacks
):
    rate = IndicatorFactory(unit=Indicator.Unit.RATE)
    observe(rate, caf, 2023, 2.5, territory="Forez")
    observe(rate, caf, 2023, 3.5, territory="Roannais")

    with django_capture_on_commit_callbacks(execute=True):
        version = services.create_version(data_year=2023, actor=Actor(user=referent))
    version.refresh_from_db()

    _section, figure = only_figure(version)
    assert [(row["value"], row["masked"]) for row in figure["breakdowns"][0]["rows"]] == [
        (2.5, None),
        (3.5, None),
    ]
    assert figure["value"] is None  # a rate has no sum


def test_only_a_draft_is_generated_again(referent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.create_version(data_year=2023, actor=Actor(user=referent))
    version = services.submit_for_review(version, actor=Actor(user=referent))

    with pytest.raises(services.TransitionError, match="brouillon"):
        services.regenerate(version, actor=Actor(user=referent))


def test_age_groups_come_in_age_order_and_give_the_total_when_none_is_sent(
    referent, chu, django_capture_on_commit_callbacks
):
    indicator = IndicatorFactory()
    for age_group, value in [("11-14 ans", 20), ("3-5 ans", 30), ("0-2 ans", 10)]:
        observe(indicator, chu, 2023, value, age_group=age_group)

    with django_capture_on_commit_callbacks(execute=True):
        version = services.create_version(data_year=2023, actor=Actor(user=referent))
    version.refresh_from_db()

    _section, figure = only_figure(version)
    assert [row["label"] for row in figure["breakdowns"][0]["rows"]] == ["0-2 ans", "3-5 ans", "11-14 ans"]
    assert figure["value"]["value"] == 60


def test_earlier_years_by_territory_mask_small_counts_so_that_no_reader_can_narrow_them():
    territories = {"Forez": 1, "Gier": 2, "Roannais": 96, "Saint-Étienne": 120}
    aggregates = [
        snapshot.Aggregate("suivis", year, territory, "", "", float(value))
        for year in (2022, 2023)
        for territory, value in territories.items()
    ]
    content = snapshot.build_content(
        data_year=2023,
        threshold=5,
        years=[2022, 2023],
        domains=[("children_in_danger", "Enfants en danger")],
        indicators=[snapshot.Indicator("suivis", "Enfants suivis", "children_in_danger", "count")],
        aggregates=aggregates,
        figure_sources={"suivis": ["caf"]},
        sources={"caf": {"name": "CAF", "short_name": "CAF", "has_logo": False}},
    )

    [figure] = content["sections"][0]["figures"]
    earlier = {row["label"]: row["previous"] for row in figure["breakdowns"][0]["rows"]}
    masked = [label for label, cell in earlier.items() if cell["masked"]]
    assert masked == ["Forez", "Gier", "Roannais"]  # 1 + 2 alone would tell each is at most 3
    assert not earlier["Saint-Étienne"]["masked"] and not figure["previous"]["masked"]
    table = Table.breakdown({label: float(value) for label, value in territories.items()})
    for label, (low, high) in audit(table, masked).items():
        assert high - low >= 5, label
