"""On a tablet (768 px wide, portrait), pages fit the screen: nothing but wide tables scrolls sideways."""

import pytest

from tests.conventions.factories import ConventionFactory
from tests.dashboards.factories import DashboardVersionFactory, sample_content
from tests.uploads.factories import CampaignFactory, SubmissionFactory, TableRequirementFactory

FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def tablet(journey):
    journey.page.set_viewport_size({"width": 768, "height": 1024})
    return journey


def test_a_correspondent_works_on_a_tablet(tablet, correspondent, partner):
    requirement = TableRequirementFactory(partner=partner)
    submission = SubmissionFactory(campaign=CampaignFactory(), partner=partner, spec=requirement.spec)
    tablet.sign_in(correspondent)

    for step, url in {
        "home": "/",
        "collection": "/collection/",
        "submission": submission.get_absolute_url(),
    }.items():
        tablet.visit(url, step)
        assert tablet.page.evaluate(FITS), f"{url} is wider than a tablet"


def test_a_member_reads_on_a_tablet(tablet, member, partner, other_partner):
    convention = ConventionFactory(parties=[partner, other_partner])
    version = DashboardVersionFactory(published=True, content=sample_content(partner, other_partner))
    tablet.sign_in(member)

    pages = {
        "convention": convention.get_absolute_url(),
        "dashboard": f"/published/versions/{version.pk}/",
        "section": f"/published/versions/{version.pk}/children_in_danger/",
    }
    for step, url in pages.items():
        tablet.visit(url, step)
        assert tablet.page.evaluate(FITS), f"{url} is wider than a tablet"
