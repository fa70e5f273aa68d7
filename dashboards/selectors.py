"""Reads: what a person may see of dashboards, their publications, consent requests and documents."""

from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from conventions.models import Partner
from dashboards import snapshot
from dashboards.models import AnnualReport, ConsentRequest, DashboardVersion, Document, ReportChapter
from odpe.accounts.access import is_editor, partners_followed_by, reads_extranet
from uploads.models import Observation


def versions_visible_to(user) -> QuerySet[DashboardVersion]:
    """Every version, drafts included: for the ODPE team only (the views check the role first)."""
    return DashboardVersion.objects.select_related("created_by", "published_by")


def get_version_for(user, pk) -> DashboardVersion:
    return get_object_or_404(versions_visible_to(user), pk=pk)


def has_data_for(data_year: int) -> bool:
    """Some accepted table gave values for the year: a dashboard generated for it is not empty."""
    return Observation.objects.filter(data_year=data_year).exists()


def consent_requests_visible_to(user) -> QuerySet[ConsentRequest]:
    requests = ConsentRequest.objects.select_related(
        "version", "report", "document", "partner", "answered_by"
    )
    if is_editor(user):
        return requests
    return requests.filter(partner__in=partners_followed_by(user))


def get_consent_request_for(user, pk) -> ConsentRequest:
    return get_object_or_404(consent_requests_visible_to(user), pk=pk)


def sources_by_id(content: dict | None) -> dict[str, dict]:
    return {source["id"]: source for source in (content or {}).get("sources", [])}


# Extranet and documents ------------------------------------------------------------------------------


def latest_published_dashboards(limit: int = 5) -> list[DashboardVersion]:
    """The published dashboard of each of the latest years (its latest published version)."""
    latest: dict[int, DashboardVersion] = {}
    published = DashboardVersion.objects.filter(status=DashboardVersion.Status.PUBLISHED).defer(
        "content", "published_content"
    )
    for version in published.order_by("-data_year", "-number"):
        latest.setdefault(version.data_year, version)
        if len(latest) == limit:
            break
    return list(latest.values())


def documents_visible_to(user) -> QuerySet[Document]:
    """The ODPE team sees every document; others the online ones, and correspondents their own
    partners' documents in any state."""
    documents = Document.objects.select_related("partner", "uploaded_by", "reviewed_by")
    if is_editor(user):
        return documents
    return documents.filter(Q(status=Document.Status.VALIDATED) | Q(partner__in=partners_followed_by(user)))


def get_document_for(user, pk) -> Document:
    return get_object_or_404(documents_visible_to(user), pk=pk)


OBSERVATORY = "observatory"  # the library's partner filter value for the observatory's own documents


def online_documents(*, query: str = "", partner: str = "", year: int | None = None) -> QuerySet[Document]:
    """The library: validated documents, newest first, by title words, partner (`OBSERVATORY` for the
    observatory's own) and year of the document."""
    documents = Document.objects.filter(status=Document.Status.VALIDATED).select_related("partner")
    for word in query.split():
        documents = documents.filter(title__icontains=word)
    if partner == OBSERVATORY:
        documents = documents.filter(partner__isnull=True)
    elif partner:
        documents = documents.filter(partner_id=partner)
    if year:
        documents = documents.filter(published_on__year=year)
    return documents.order_by(F("published_on").desc(nulls_last=True), "-reviewed_at")


def library_facets() -> tuple[list[Partner], list[int]]:
    """The partners and the years the online documents offer, for the library's filters."""
    online = Document.objects.filter(status=Document.Status.VALIDATED)
    partners = list(Partner.objects.filter(pk__in=online.values("partner_id")).order_by("name"))
    years = sorted({day.year for day in online.dates("published_on", "year")}, reverse=True)
    return partners, years


def documents_of_my_partners(user) -> QuerySet[Document]:
    """What a correspondent's institutions shared, whatever its state, the latest first."""
    return Document.objects.filter(partner__in=partners_followed_by(user)).select_related("partner")


def released_studies() -> QuerySet[Document]:
    """The studies released to the public (their sources agreed, Loire art. 5) and still online, the
    latest released first: what anyone may read without an account."""
    return (
        Document.objects.filter(status=Document.Status.VALIDATED, public_at__isnull=False)
        .select_related("partner")
        .prefetch_related("sources")
        .order_by("-public_at")
    )


def get_released_study(pk) -> Document:
    return get_object_or_404(released_studies(), pk=pk)


def document_queue() -> QuerySet[Document]:
    return (
        Document.objects.filter(status=Document.Status.SUBMITTED)
        .select_related("partner", "uploaded_by")
        .order_by("uploaded_at")
    )


# Published dashboards: the extranet's members, and the public for what was published for everyone -----

Status = DashboardVersion.Status


def published_versions_visible_to(user) -> QuerySet[DashboardVersion]:
    """Published versions only, never a draft; for anyone else than a member, referent or admin
    (the public, a correspondent), only those published for the public. The snapshots stay in the
    database until a page needs them (a cached page never does)."""
    versions = DashboardVersion.objects.filter(status=Status.PUBLISHED).defer("content", "published_content")
    if not reads_extranet(user):
        versions = versions.filter(is_public=True)
    return versions


def get_published_version_for(user, pk) -> DashboardVersion:
    return get_object_or_404(published_versions_visible_to(user), pk=pk)


def latest_published_by_year_for(user) -> dict[int, DashboardVersion]:
    latest: dict[int, DashboardVersion] = {}
    for version in published_versions_visible_to(user).order_by("-data_year", "-number"):
        latest.setdefault(version.data_year, version)
    return latest


@dataclass
class YearOfPublications:
    """A year's publications as a reader sees them: the current one, the earlier ones, the withdrawn."""

    year: int
    current: DashboardVersion | None = None
    earlier: list[DashboardVersion] = field(default_factory=list)
    withdrawn: list[DashboardVersion] = field(default_factory=list)

    def find(self, pk) -> DashboardVersion | None:
        """A published version of the year (a withdrawn one is no longer read)."""
        return next(
            (v for v in [self.current, *self.earlier] if v is not None and str(v.pk) == str(pk)), None
        )


def publications_by_year_for(user) -> list[YearOfPublications]:
    """Every year with a publication, latest first. Withdrawn versions are listed (marked, with their
    reason) for the extranet's readers only, and never as a year's current version."""
    statuses = [Status.PUBLISHED, Status.WITHDRAWN] if reads_extranet(user) else [Status.PUBLISHED]
    versions = DashboardVersion.objects.filter(status__in=statuses).defer("content", "published_content")
    if not reads_extranet(user):
        versions = versions.filter(is_public=True)
    years: dict[int, YearOfPublications] = {}
    for version in versions.order_by("-data_year", "-number"):
        entry = years.setdefault(version.data_year, YearOfPublications(version.data_year))
        if version.status == Status.WITHDRAWN:
            entry.withdrawn.append(version)
        elif entry.current is None:
            entry.current = version
        else:
            entry.earlier.append(version)
    return list(years.values())


def find_publication(
    years: list[YearOfPublications], *, year: int | None = None, pk=None
) -> tuple[YearOfPublications, DashboardVersion]:
    """In the publications a reader sees, the year's current version (or the published version `pk`)
    with its year; a 404 when there is none."""
    for entry in years:
        version = entry.find(pk) if pk is not None else entry.current if entry.year == year else None
        if version is not None:
            return entry, version
    raise Http404


def public_content_of(version: DashboardVersion) -> dict | None:
    """What the version shows, or would show, outside the ODPE team: the frozen public snapshot once
    published; before, the public view of its content without the sources left out so far."""
    if version.published_content is not None:
        return version.published_content
    if version.content is None:
        return None
    return public_view_without_left_out(version)


def public_view_without_left_out(version: DashboardVersion) -> dict:
    """The public view of the version's content without the sources left out so far: shown before
    publication, and frozen as the published content by `dashboards.services.publish`."""
    left_out = version.consent_requests.filter(left_out=True).select_related("partner")
    return snapshot.public_view(
        version.content,
        [str(request.partner_id) for request in left_out],
        [request.partner.name for request in left_out],
    )


def get_contributor_for(version: DashboardVersion, partner_pk) -> Partner:
    """A partner credited among a published version's contributors, with a logo to show (404 otherwise)."""
    credited = {source["id"] for source in version.published_content["sources"] if source.get("has_logo")}
    if str(partner_pk) not in credited:
        raise Http404
    return get_object_or_404(Partner.objects.exclude(logo=""), pk=partner_pk)


# Annual reports -------------------------------------------------------------------------------------


def reports_visible_to(user) -> QuerySet[AnnualReport]:
    """Every report, drafts included: for the referent only (the views check the role first)."""
    return AnnualReport.objects.select_related("dashboard", "created_by", "published_by")


def get_report_for(user, pk) -> AnnualReport:
    return get_object_or_404(reports_visible_to(user), pk=pk)


def get_chapter_for(user, pk) -> ReportChapter:
    return get_object_or_404(ReportChapter.objects.filter(report__in=reports_visible_to(user)), pk=pk)


def published_reports_visible_to(user) -> QuerySet[AnnualReport]:
    """Published reports whose dashboard is still published, for the readers of that dashboard: the
    extranet's, and the public only for a dashboard published for everyone."""
    reports = AnnualReport.objects.filter(
        status=AnnualReport.Status.PUBLISHED, dashboard__status=DashboardVersion.Status.PUBLISHED
    ).select_related("dashboard")
    if not reads_extranet(user):
        reports = reports.filter(dashboard__is_public=True)
    return reports


def get_published_report_for(user, pk) -> AnnualReport:
    return get_object_or_404(published_reports_visible_to(user), pk=pk)


def dashboards_without_report() -> list[DashboardVersion]:
    """The latest published dashboard of each year that has no report yet: what a report may cite."""
    years = set(AnnualReport.objects.values_list("data_year", flat=True))
    return [version for version in latest_published_dashboards(limit=50) if version.data_year not in years]
