"""What is built and published from the observatory's data base (`uploads.models.Observation`)."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conventions.models import Partner
from odpe.files import PrivateUploadTo
from odpe.workflow import StatusFlow


class DashboardVersion(StatusFlow, models.Model):
    """One version of the annual dashboard of a data year: generated, reviewed, consented, published.

    `content` is the frozen snapshot the generation task builds from observations (raw values, masking
    decisions, sources); `published_content` is what leaves the ODPE team, made at publication from it:
    masked values stripped, refused sources left out. Once published, neither changes: a database
    trigger refuses it (a correction is a new version). Transitions: `dashboards.services`.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        AWAITING_CONSENT = "awaiting_consent", _("Awaiting the sources’ consent")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Generation(models.TextChoices):
        PENDING = "pending", _("Waiting to be generated")
        RUNNING = "running", _("Being generated")
        DONE = "done", _("Generated")
        FAILED = "failed", _("Generation failed")

    NEXT = {
        Status.DRAFT: {Status.IN_REVIEW},
        Status.IN_REVIEW: {Status.DRAFT, Status.AWAITING_CONSENT},
        Status.AWAITING_CONSENT: {Status.DRAFT, Status.APPROVED},
        Status.APPROVED: {Status.DRAFT, Status.PUBLISHED},
        Status.PUBLISHED: {Status.WITHDRAWN},
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    data_year = models.PositiveSmallIntegerField(_("data year"))
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    threshold = models.PositiveSmallIntegerField(
        _("confidentiality threshold"), help_text=_("Counts from 1 to below this number are masked.")
    )
    generation = models.CharField(
        _("generation"), max_length=10, choices=Generation.choices, default=Generation.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("generation progress (%)"), default=0)
    content = models.JSONField(_("snapshot"), null=True, blank=True, editable=False)
    published_content = models.JSONField(_("published snapshot"), null=True, blank=True, editable=False)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Shown to anyone, not only to the members of the observatory."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)
    # Drawn in the site's language by a task at publication: the first reader does not wait for it.
    pdf = models.FileField(_("PDF"), upload_to=PrivateUploadTo("dashboards"), max_length=300, blank=True)

    class Meta:
        ordering = ["-data_year", "-number"]
        verbose_name = _("dashboard version")
        verbose_name_plural = _("dashboard versions")
        constraints = [
            models.UniqueConstraint(
                fields=["data_year", "number"], name="one_dashboard_version_number_per_year"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "withdrawn"]) | Q(published_content__isnull=False),
                name="published_version_has_its_content",
            ),
            models.CheckConstraint(condition=Q(threshold__gte=2), name="dashboard_threshold_at_least_two"),
        ]

    def __str__(self):
        return _("%(year)s dashboard, version %(number)s") % {"year": self.data_year, "number": self.number}

    def get_absolute_url(self):
        return reverse("dashboards:version_detail", args=[self.pk])

    @property
    def is_generated(self) -> bool:
        return self.generation == self.Generation.DONE and self.content is not None


class ConsentRequest(StatusFlow, models.Model):
    """Loire art. 5: before any external release, the source's agreement on the figures built from its data.

    It concerns either a dashboard version or an annual report (`subject`), never both. Asking
    (`dashboards.services.request_consents`, `dashboards.reports.request_report_consents`) sets a new
    round's first state, pending or carried over; from there the answer moves along `NEXT`.
    Transitions: `dashboards.services`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        CONSENTED = "consented", _("Consented")
        REFUSED = "refused", _("Refused")
        CARRIED_OVER = "carried_over", _("Consent carried over (figures unchanged)")
        CLOSED = "closed", _("Closed (the partner left the convention)")

    NEXT = {Status.PENDING: {Status.CONSENTED, Status.REFUSED, Status.CLOSED}}
    ANSWERED = (Status.CONSENTED, Status.REFUSED)
    AGREED = (Status.CONSENTED, Status.CARRIED_OVER)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(
        DashboardVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consent_requests",
        verbose_name=_("dashboard version"),
    )
    report = models.ForeignKey(
        "AnnualReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consent_requests",
        verbose_name=_("annual report"),
    )
    # A study released to the public asks its sources the same way (Loire art. 5).
    document = models.ForeignKey(
        "Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consent_requests",
        verbose_name=_("study"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="consent_requests", verbose_name=_("source")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    figures = models.JSONField(
        _("figures concerned"), default=dict, editable=False, help_text=_("As they will be published.")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    reason = models.TextField(_("reason for the refusal"), blank=True)
    left_out = models.BooleanField(
        _("left out of the publication"),
        default=False,
        help_text=_("The referent chose to publish without this source."),
    )
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    due_on = models.DateField(_("answer expected by"), null=True, blank=True)

    class Meta:
        ordering = ["version", "partner__name"]
        verbose_name = _("consent request")
        verbose_name_plural = _("consent requests")
        constraints = [
            models.UniqueConstraint(fields=["version", "partner"], name="one_consent_request_per_source"),
            models.UniqueConstraint(
                fields=["report", "partner"], name="one_report_consent_request_per_source"
            ),
            models.UniqueConstraint(
                fields=["document", "partner"], name="one_document_consent_request_per_source"
            ),
            models.CheckConstraint(
                condition=Q(version__isnull=False, report__isnull=True, document__isnull=True)
                | Q(version__isnull=True, report__isnull=False, document__isnull=True)
                | Q(version__isnull=True, report__isnull=True, document__isnull=False),
                name="consent_request_for_a_version_a_report_or_a_study",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(reason=""), name="a_refusal_gives_its_reason"
            ),
            models.CheckConstraint(
                condition=~Q(left_out=True) | Q(status__in=["refused", "closed"]),
                name="only_refusing_sources_are_left_out",
            ),
        ]

    def __str__(self):
        return _("Consent %(of_partner)s to %(version)s") % {
            "of_partner": self.partner.of_name(),
            "version": self.subject,
        }

    def get_absolute_url(self):
        return reverse("dashboards:consent_detail", args=[self.pk])

    @property
    def subject(self) -> "DashboardVersion | AnnualReport | Document":
        """What the source is asked about: a dashboard version, an annual report or a study."""
        if self.version_id:
            return self.version
        return self.report if self.report_id else self.document

    def collects_answers(self, subject=None) -> bool:
        """Answers are still taken: the version or report awaits consent, or the study is not public yet."""
        subject = subject or self.subject
        if self.document_id:
            return subject.status == Document.Status.VALIDATED and subject.public_at is None
        return subject.status == DashboardVersion.Status.AWAITING_CONSENT

    @property
    def figure_count(self) -> int:
        return sum(len(section["figures"]) for section in self.figures.get("sections", []))

    def is_late_on(self, today: date) -> bool:
        return self.status == self.Status.PENDING and self.due_on is not None and today > self.due_on

    @property
    def is_late(self) -> bool:
        return self.is_late_on(timezone.localdate())


class ConsentReminder(models.Model):
    """A reminder sent to a source that has not answered: the history the referent and the source see."""

    request = models.ForeignKey(
        ConsentRequest, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("consent request")
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["sent_at"]
        verbose_name = _("consent reminder")
        verbose_name_plural = _("consent reminders")

    def __str__(self):
        return f"{self.request} — {self.sent_at:%Y-%m-%d}"


class Document(StatusFlow, models.Model):
    """A study or analysis shared on the extranet (Loire art. 4 and 5): online only once the referent validates it.

    The stored name is random; `original_name` always ends with the extension of the type read from the
    file's bytes (`dashboards.filetypes`). Transitions: `dashboards.documents`.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for validation")
        VALIDATED = "validated", _("Online")
        REJECTED = "rejected", _("Not published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    NEXT = {
        Status.SUBMITTED: {Status.VALIDATED, Status.REJECTED},
        Status.VALIDATED: {Status.WITHDRAWN},
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    published_on = models.DateField(_("date of the document"), null=True, blank=True)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("shared by"),
        help_text=_("Empty for a document of the observatory itself."),
    )
    file = models.FileField(_("file"), upload_to=PrivateUploadTo("documents"), max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("referent’s comment"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)
    sources = models.ManyToManyField(
        Partner,
        verbose_name=_("sources whose data it uses"),
        blank=True,
        related_name="+",
        help_text=_("They are asked to agree before the study is released to the public (Loire art. 5)."),
    )
    public_at = models.DateTimeField(_("released to the public at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(review_comment=""), name="a_document_rejection_says_why"
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawal_reason=""),
                name="a_document_withdrawal_says_why",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dashboards:document_detail", args=[self.pk])

    @property
    def file_format(self) -> str:
        """PDF, DOCX…: the kept name ends with the extension of the file's real type."""
        return self.original_name.rsplit(".", 1)[-1].upper()


class AnnualReport(StatusFlow, models.Model):
    """The observatory's annual report (Loire art. 2), composed in the site by the referent.

    Its figures are not copies: a chapter names indicators of `dashboard`, the year's published version,
    and they are drawn from its public snapshot, masked and sourced as on the dashboard. It reaches its
    readers through the same steps as a dashboard: a preview, the consent of every source whose figures it
    carries, then publication, with its PDF made in the background. Transitions: `dashboards.reports`.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PREVIEW = "preview", _("In preview")
        AWAITING_CONSENT = "awaiting_consent", _("Awaiting the sources’ consent")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    NEXT = {
        Status.DRAFT: {Status.PREVIEW},
        Status.PREVIEW: {Status.DRAFT, Status.AWAITING_CONSENT},
        Status.AWAITING_CONSENT: {Status.DRAFT, Status.APPROVED},
        Status.APPROVED: {Status.DRAFT, Status.PUBLISHED},
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    data_year = models.PositiveSmallIntegerField(_("data year"), unique=True)
    dashboard = models.ForeignKey(
        DashboardVersion,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("published dashboard"),
        help_text=_("The figures of the report are drawn from this published version."),
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    pdf = models.FileField(_("PDF"), upload_to=PrivateUploadTo("reports"), max_length=300, blank=True)

    class Meta:
        ordering = ["-data_year"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_report_has_its_date",
            ),
        ]

    def __str__(self):
        return _("%(year)s annual report") % {"year": self.data_year}

    def get_absolute_url(self):
        return reverse("dashboards:report_detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        """A report reaches the readers of its dashboard: the public only when the dashboard is public."""
        return self.dashboard.is_public


class ReportChapter(models.Model):
    """One chapter of an annual report, in its place. Commentary and methodology are Markdown, drawn as
    clean HTML on the server; figures are indicator codes of the report's dashboard; studies are
    documents of the library; contributors are the dashboard's, with their logos."""

    class Kind(models.TextChoices):
        COMMENTARY = "commentary", _("Commentary")
        FIGURES = "figures", _("Figures of the dashboard")
        STUDIES = "studies", _("Studies")
        METHODOLOGY = "methodology", _("Methodology")
        CONTRIBUTORS = "contributors", _("Contributors")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="chapters", verbose_name=_("annual report")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown: headings, lists, links, emphasis."))
    figures = models.JSONField(_("figures"), default=list, blank=True)
    documents = models.ManyToManyField(Document, blank=True, related_name="+", verbose_name=_("studies"))

    class Meta:
        ordering = ["report", "position"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        constraints = [
            models.UniqueConstraint(fields=["report", "position"], name="one_chapter_per_place"),
        ]

    def __str__(self):
        return self.title


class ReferenceValue(models.Model):
    """A figure of France or of the region for an indicator, that the referent enters with its source
    (« DREES, 2023 »): dashboards generated afterwards show it beside the Département's figure."""

    class Scope(models.TextChoices):
        FRANCE = "france", _("France")
        REGION = "region", _("Region")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    indicator = models.ForeignKey(
        "uploads.Indicator",
        on_delete=models.CASCADE,
        related_name="reference_values",
        verbose_name=_("indicator"),
    )
    scope = models.CharField(_("reference"), max_length=10, choices=Scope.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    source = models.CharField(_("source"), max_length=120)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        ordering = ["indicator__label", "scope", "-year"]
        verbose_name = _("reference value")
        verbose_name_plural = _("reference values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "scope", "year"], name="one_reference_value_per_indicator_scope_year"
            ),
            models.CheckConstraint(condition=Q(year__gte=2000), name="reference_value_year_plausible"),
        ]

    def __str__(self):
        return f"{self.indicator.label} — {self.get_scope_display()} {self.year}"


class TerritoryShapes(models.Model):
    """The Département's territories as the admin uploaded them (GeoJSON, checked by
    `dashboards.maps.read_shapes`): `shapes` holds each territory's outer rings, by name. The latest upload
    is the map of the dashboards generated afterwards; each dashboard keeps the drawing it was made with."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    shapes = models.JSONField(_("shapes"))
    file_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        get_latest_by = "uploaded_at"
        verbose_name = _("territories' shapes")
        verbose_name_plural = _("territories' shapes")

    def __str__(self):
        return self.file_name
