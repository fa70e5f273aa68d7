"""The yearly transmission to the ONPE: the package's SHA-256 recorded with its date and sender."""

import hashlib
import json
from datetime import date

import pytest
from django.urls import reverse

from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from odpe.roof.olinpe import record_transmission
from tests.dashboards.factories import DashboardVersionFactory, sample_content
from tests.uploads.olinpe.conftest import SMALL
from uploads.olinpe.models import YearlyBase
from uploads.olinpe.synthetic import generate, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def base(referent_client, tmp_path, django_capture_on_commit_callbacks):
    frame = generate(SMALL).bases[2022].head(300)
    path = tmp_path / "olinpe.csv"
    write_csv(frame, path)
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as file:
        referent_client.post(reverse("olinpe:base_import"), {"year": 2022, "file": file})
    base = YearlyBase.objects.get(year=2022)
    base.received = path.read_bytes()
    return base


def test_transmission_is_refused_until_the_dashboard_is_published(base, referent):
    with pytest.raises(TransitionError, match="pas encore publié"):
        record_transmission(base, date(2023, 5, 15), actor=Actor(user=referent))


def test_transmission_records_the_package_digest_and_shows_on_the_years_page(
    base, referent, referent_client, partner
):
    dashboard = DashboardVersionFactory(
        published=True, data_year=2022, content=sample_content(partner, data_year=2022)
    )
    response = referent_client.post(reverse("olinpe_transmission", args=[2022]), {"sent_on": "2023-05-15"})
    assert response["Location"] == reverse("olinpe:year", args=[2022])
    transmission = base.transmissions.get()
    expected = hashlib.sha256()
    for part in (
        base.received,
        json.dumps(
            {"report": base.report, "problems": base.problems}, sort_keys=True, ensure_ascii=False
        ).encode(),
        json.dumps(dashboard.published_content, sort_keys=True, ensure_ascii=False).encode(),
    ):
        expected.update(part)
    assert transmission.package_sha256 == expected.hexdigest()
    assert transmission.sent_by == referent
    assert [part["part"] for part in transmission.parts] == ["base", "rapport", "tableau de bord"]
    assert AuditEvent.objects.filter(action="olinpe.transmission_recorded").exists()
    page = referent_client.get(reverse("olinpe:year", args=[2022])).content.decode()
    assert transmission.package_sha256 in page
    assert "15 mai 2023" in page
