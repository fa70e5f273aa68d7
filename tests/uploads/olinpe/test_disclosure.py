"""Shares and medians of too few children are masked on the OLINPE pages and never reach a dashboard."""

import pytest
from django.urls import reverse

from tests.uploads.olinpe.test_site import import_year, upload
from uploads.models import Observation
from uploads.olinpe.models import YearlyBase
from uploads.olinpe.synthetic import Anomalies, Settings, generate

pytestmark = pytest.mark.django_db

TINY = Settings(children=20, years=2, first_year=2022, seed=7, anomalies=Anomalies(*[0] * 10))
MASKED = (
    "olinpe-parcours-milieu-ouvert-avant-placement",
    "olinpe-parcours-delai-premier-placement",
    "olinpe-parcours-retours-12-mois",
    "olinpe-duree-mediane-mesures-terminees",
)


def test_paths_of_too_few_children_show_statistical_confidentiality_and_are_not_kept(
    referent_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.DISCLOSURE_THRESHOLD = 30  # above what twenty children can give any share or median
    bases = generate(TINY).bases
    for year in (2022, 2023):
        import_year(referent_client, year, upload(bases[year], tmp_path), django_capture_on_commit_callbacks)

    base = YearlyBase.objects.get(year=2023)
    assert set(base.report["secret"]) == set(MASKED)
    assert not Observation.objects.filter(indicator__code__in=MASKED).exists()
    assert Observation.objects.filter(data_year=2023, indicator__code="olinpe-enfants-31-decembre").exists()
    page = referent_client.get(reverse("olinpe:year", args=[2023])).content.decode()
    assert "Retours dans la protection de l&#x27;enfance dans les 12 mois : Secret statistique" in page
    assert page.count("Secret statistique") == 3
    assert " %</dt>" not in page and "jours</dt>" not in page


def test_paths_of_enough_children_show_their_value(
    referent_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.DISCLOSURE_THRESHOLD = 2
    bases = generate(TINY).bases
    for year in (2022, 2023):
        import_year(referent_client, year, upload(bases[year], tmp_path), django_capture_on_commit_callbacks)

    base = YearlyBase.objects.get(year=2023)
    assert "olinpe-parcours-retours-12-mois" not in base.report["secret"]
    retours = Observation.objects.get(data_year=2023, indicator__code="olinpe-parcours-retours-12-mois")
    page = referent_client.get(reverse("olinpe:year", args=[2023])).content.decode()
    assert f"dans les 12 mois : {retours.value:.1f}".replace(".", ",") in page
