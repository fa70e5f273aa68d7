import io
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from openpyxl import Workbook

from tests.conventions.factories import ConventionFactory, PartnerFactory, sign
from uploads.models import Campaign, ColumnMapping, Indicator, Submission, TableRequirement, TableSpec

COUNTS_SCHEMA = {
    "fields": [
        {"name": "territoire", "title": "Territoire", "type": "string", "constraints": {"required": True}},
        {
            "name": "filles",
            "title": "Filles",
            "type": "integer",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "garcons",
            "title": "Garçons",
            "type": "integer",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "total",
            "title": "Total",
            "type": "integer",
            "constraints": {"required": True, "minimum": 0},
        },
    ],
    "primaryKey": ["territoire"],
    "totals": [{"field": "total", "sumOf": ["filles", "garcons"]}],
}
HEADERS = ["Territoire", "Filles", "Garçons", "Total"]
GOOD_ROWS = [["Forez", 12, 10, 22], ["Roannais", 7, 9, 16]]


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"indicateur-{n}")
    label = factory.Sequence(lambda n: f"Indicateur n°{n}")
    domain = Indicator.Domain.CHILDREN_IN_DANGER


class TableSpecFactory(DjangoModelFactory):
    class Meta:
        model = TableSpec

    code = factory.Sequence(lambda n: f"tableau-{n}")
    title = factory.Sequence(lambda n: f"Enfants suivis n°{n}")
    sheet_name = "Enfants"
    schema = factory.LazyFunction(lambda: dict(COUNTS_SCHEMA))


class CampaignFactory(DjangoModelFactory):
    """An open campaign: opened ten days ago, due in a month."""

    class Meta:
        model = Campaign
        django_get_or_create = ("data_year",)

    data_year = factory.Sequence(lambda n: 2020 + n)
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class TableRequirementFactory(DjangoModelFactory):
    """A partner party to a convention in force that requires a table from it."""

    class Meta:
        model = TableRequirement
        skip_postgeneration_save = True

    class Params:
        # The calendar of a bilateral application convention: by 30 April of the year after the data year.
        agreed_calendar = factory.Trait(due_day=30, due_month=4)

    convention = factory.SubFactory(ConventionFactory)
    partner = factory.SubFactory(PartnerFactory)
    spec = factory.SubFactory(TableSpecFactory)

    @factory.post_generation
    def signed(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            sign(obj.convention, obj.partner)


class SubmissionFactory(DjangoModelFactory):
    class Meta:
        model = Submission

    campaign = factory.SubFactory(CampaignFactory)
    partner = factory.SubFactory(PartnerFactory)
    spec = factory.SubFactory(TableSpecFactory)


def xlsx_bytes(rows, *, headers=HEADERS, sheet="Enfants") -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(headers)
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_upload(rows=GOOD_ROWS, *, name="tableau.xlsx", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        xlsx_bytes(rows, **kwargs),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


class ColumnMappingFactory(DjangoModelFactory):
    class Meta:
        model = ColumnMapping

    spec = factory.SubFactory(TableSpecFactory)
    field_name = "total"
    role = ColumnMapping.Role.VALUE
    indicator = factory.SubFactory(IndicatorFactory)


def map_counts_spec(spec) -> "Indicator":
    """The default spec's columns mapped: territoire is the territory, total feeds one indicator."""
    ColumnMappingFactory(
        spec=spec, field_name="territoire", role=ColumnMapping.Role.TERRITORY, indicator=None
    )
    return ColumnMappingFactory(spec=spec, field_name="total").indicator
