import pytest

from tests.uploads.factories import CampaignFactory, SubmissionFactory, TableRequirementFactory


@pytest.fixture
def requirement(partner):
    return TableRequirementFactory(partner=partner)


@pytest.fixture
def campaign(db):
    return CampaignFactory()


@pytest.fixture
def submission(campaign, requirement):
    return SubmissionFactory(campaign=campaign, partner=requirement.partner, spec=requirement.spec)


@pytest.fixture
def other_submission(campaign, other_partner):
    requirement = TableRequirementFactory(partner=other_partner)
    return SubmissionFactory(campaign=campaign, partner=other_partner, spec=requirement.spec)
