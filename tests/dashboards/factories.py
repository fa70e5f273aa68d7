import hashlib
import io
import zipfile
from datetime import date
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from openpyxl import Workbook

from dashboards import snapshot
from dashboards.models import AnnualReport, ConsentRequest, DashboardVersion, Document, ReportChapter
from tests.accounts.factories import UserFactory
from tests.conventions.factories import PartnerFactory
from tests.uploads.factories import CampaignFactory, SubmissionFactory
from uploads.models import Observation, SubmissionVersion


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


def sample_content(
    *partners, data_year: int = 2023, threshold: int = 5, label: str = "Enfants suivis"
) -> dict:
    """A snapshot as the generation builds it: per partner, one count over three years with a breakdown
    by territory, one of whose cells is a small count (masked in the public view)."""
    indicators, aggregates, feeding = [], [], {}
    for number, partner in enumerate(partners, start=1):
        code = f"SUIVIS_{number}"
        indicators.append(
            snapshot.Indicator(
                code=code, label=f"{label} ({partner.short_name})", domain="children_in_danger", unit="count"
            )
        )
        feeding[code] = [str(partner.pk)]
        for year, total in [(data_year - 2, 180 + number), (data_year - 1, 190 + number)]:
            aggregates.append(snapshot.Aggregate(code, year, "", "", "", float(total)))
        for territory, value in [("Forez", 3), ("Gier", 120 + number), ("Roannais", 96)]:
            aggregates.append(snapshot.Aggregate(code, data_year, territory, "", "", float(value)))
    return snapshot.build_content(
        data_year=data_year,
        threshold=threshold,
        years=[data_year - 2, data_year - 1, data_year],
        domains=[("children_in_danger", "Enfants en danger")],
        indicators=indicators,
        aggregates=aggregates,
        figure_sources=feeding,
        sources={
            str(partner.pk): {
                "name": partner.name,
                "short_name": partner.short_name,
                "has_logo": bool(partner.logo),
            }
            for partner in partners
        },
    )


class DashboardVersionFactory(DjangoModelFactory):
    """A version; `published=True` publishes it for the members (its public view made from `content`),
    `public=True` for everyone. Give it figures with `content=sample_content(partner, ...)`."""

    class Meta:
        model = DashboardVersion

    class Params:
        published = factory.Trait(
            status=DashboardVersion.Status.PUBLISHED,
            published_content=factory.LazyAttribute(lambda version: snapshot.public_view(version.content)),
            published_at=factory.LazyFunction(timezone.now),
            published_by=factory.SelfAttribute("created_by"),
        )
        public = factory.Trait(published=True, is_public=True)

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


# Documents ------------------------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def zip_bytes(entries: dict[str, bytes], *, stored_first: bool = False) -> bytes:
    """A zip holding `entries` in order; OpenDocument stores its first entry (`mimetype`) uncompressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (name, content) in enumerate(entries.items()):
            compression = zipfile.ZIP_STORED if stored_first and number == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compression)
    return buffer.getvalue()


def docx_bytes(*, macros: bool = False) -> bytes:
    entries = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    if macros:
        entries["word/vbaProject.bin"] = b"\x00" * 16
    return zip_bytes(entries)


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Territoire", "Enfants"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def opendocument_bytes(mime: str) -> bytes:
    return zip_bytes(
        {"mimetype": mime.encode(), "content.xml": b"<office:document-content/>"}, stored_first=True
    )


def upload(name: str, content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


class DocumentFactory(DjangoModelFactory):
    """A shared PDF waiting for validation; traits for each later state, `observatory` for the ODPE's own."""

    class Meta:
        model = Document

    class Params:
        validated = factory.Trait(
            status=Document.Status.VALIDATED,
            reviewed_by=factory.SubFactory(UserFactory),
            reviewed_at=factory.LazyFunction(timezone.now),
        )
        # Released to the public once its sources agreed (Loire art. 5).
        released = factory.Trait(
            status=Document.Status.VALIDATED,
            reviewed_by=factory.SubFactory(UserFactory),
            reviewed_at=factory.LazyFunction(timezone.now),
            public_at=factory.LazyFunction(timezone.now),
        )
        rejected = factory.Trait(
            status=Document.Status.REJECTED,
            reviewed_by=factory.SubFactory(UserFactory),
            reviewed_at=factory.LazyFunction(timezone.now),
            review_comment="Les effectifs par commune sont trop petits.",
        )
        withdrawn = factory.Trait(
            status=Document.Status.WITHDRAWN,
            reviewed_at=factory.LazyFunction(timezone.now),
            withdrawn_at=factory.LazyFunction(timezone.now),
            withdrawal_reason="Une version corrigée va suivre.",
        )
        observatory = factory.Trait(partner=None)

    title = factory.Sequence(lambda n: f"Étude sur l’accueil familial n°{n}")
    summary = "Une analyse des parcours des enfants confiés."
    published_on = date(2025, 3, 14)
    partner = factory.SubFactory(PartnerFactory)
    file = factory.django.FileField(data=PDF_BYTES, filename="etude.pdf")
    original_name = "etude.pdf"
    sha256 = hashlib.sha256(PDF_BYTES).hexdigest()
    size = len(PDF_BYTES)
    uploaded_by = factory.SubFactory(UserFactory)


# Annual reports -------------------------------------------------------------------------------------


class AnnualReportFactory(DjangoModelFactory):
    """A draft report on a published dashboard of two sources' figures (one masked cell each)."""

    class Meta:
        model = AnnualReport

    class Params:
        published = factory.Trait(
            status=AnnualReport.Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
            published_by=factory.SelfAttribute("created_by"),
        )

    dashboard = factory.SubFactory(
        DashboardVersionFactory,
        published=True,
        content=factory.LazyFunction(lambda: sample_content(PartnerFactory(), PartnerFactory())),
    )
    data_year = factory.SelfAttribute("dashboard.data_year")
    title = factory.LazyAttribute(lambda report: f"Rapport annuel {report.data_year}")
    created_by = factory.SubFactory(UserFactory)


class ReportChapterFactory(DjangoModelFactory):
    """A commentary chapter; `figures=[code, ...]` with `kind="figures"` cites the dashboard's figures."""

    class Meta:
        model = ReportChapter

    report = factory.SubFactory(AnnualReportFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = ReportChapter.Kind.COMMENTARY
    title = "Faits marquants"
    body = "Le nombre d’enfants suivis **augmente** cette année."
