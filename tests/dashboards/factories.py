from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from dashboards.models import ConsentRequest, DashboardVersion, Observation
from tests.accounts.factories import UserFactory
from tests.conventions.factories import PartnerFactory
from tests.uploads.factories import CampaignFactory, SubmissionFactory
from uploads.models import SubmissionVersion


class AcceptedVersionFactory(DjangoModelFactory):
    """An accepted upload of a partner's table, as observations need one (its file is not needed)."""

    class Meta:
        model = SubmissionVersion

    submission = factory.SubFactory(SubmissionFactory)
    number = 1
    original_name = "tableau.xlsx"
    sha256 = "0" * 64
    size = 1
    uploaded_by = factory.SubFactory(UserFactory)
    attested = True
    status = SubmissionVersion.Status.ACCEPTED


def accepted_version(source, year) -> SubmissionVersion:
    """The accepted upload a partner's observations of a year come from (its file is not needed)."""
    existing = SubmissionVersion.objects.filter(
        submission__partner=source, submission__campaign__data_year=year
    ).first()
    if existing is not None:
        return existing
    submission = SubmissionFactory(partner=source, campaign=CampaignFactory(data_year=year))
    return AcceptedVersionFactory(submission=submission)


def observe(indicator, source, year, value, **breakdown) -> Observation:
    """One accepted value of a partner, for a year and a breakdown (territory, sex, age_group)."""
    return Observation.objects.create(
        indicator=indicator,
        source=source,
        data_year=year,
        value=Decimal(str(value)),
        version=accepted_version(source, year),
        **breakdown,
    )


class DashboardVersionFactory(DjangoModelFactory):
    class Meta:
        model = DashboardVersion

    data_year = 2023
    number = factory.Sequence(lambda n: n + 1)
    threshold = 5
    created_by = factory.SubFactory(UserFactory)
    generation = DashboardVersion.Generation.DONE
    content = factory.LazyFunction(
        lambda: {
            "format": 1,
            "data_year": 2023,
            "years": [2023],
            "threshold": 5,
            "sections": [],
            "sources": [],
            "left_out": [],
        }
    )


class ConsentRequestFactory(DjangoModelFactory):
    class Meta:
        model = ConsentRequest

    version = factory.SubFactory(DashboardVersionFactory, status=DashboardVersion.Status.AWAITING_CONSENT)
    partner = factory.SubFactory(PartnerFactory)
    figures = factory.LazyAttribute(lambda request: request.version.content)
