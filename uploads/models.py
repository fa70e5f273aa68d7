"""Collection: indicators, table specs, yearly campaigns, submissions and their versions, and the
observations that accepted versions give (the observatory's data base; dashboards only read them)."""

import calendar
import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from conventions.models import Amendment, Convention, Decision, Partner
from odpe.files import PrivateUploadTo
from odpe.workflow import StatusFlow
from uploads.validation import Report, SchemaError, parse_schema

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]*$", _("Use lowercase letters, digits, hyphens and underscores only.")
)


class Indicator(models.Model):
    """One statistic the observatory follows, in one of the eight domains of the Loire convention (art. 4)."""

    class Domain(models.TextChoices):
        CONTEXT = "context", _("Departmental context")
        PREVENTION = "prevention", _("Prevention")
        CHILDREN_IN_DANGER = "children_in_danger", _("Children in danger")
        ADMINISTRATIVE_PROTECTION = "administrative_protection", _("Administrative protection")
        UNACCOMPANIED_MINORS = "unaccompanied_minors", _("Unaccompanied minors")
        JUDICIAL_PROTECTION = "judicial_protection", _("Judicial protection")
        RECEPTION_CAPACITY = "reception_capacity", _("Reception capacity")
        FINANCIAL_COMMITMENT = "financial_commitment", _("Financial commitment")

    class Unit(models.TextChoices):
        COUNT = "count", _("count")
        RATE = "rate", _("rate (%)")
        PER_THOUSAND = "per_thousand", _("rate (per 1,000)")
        AMOUNT = "amount", _("amount (€)")
        DAYS = "days", _("days")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("code"), max_length=60, unique=True, validators=[code_validator])
    label = models.CharField(_("label"), max_length=300)
    domain = models.CharField(_("domain"), max_length=30, choices=Domain.choices)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, default=Unit.COUNT)
    by_territory = models.BooleanField(_("broken down by territory"), default=False)
    by_sex = models.BooleanField(_("broken down by sex"), default=False)
    by_age_group = models.BooleanField(_("broken down by age group"), default=False)
    definition = models.TextField(_("definition"), blank=True)
    # A rate computed by the dashboard from two other indicators (numerator / denominator × 100 or 1,000,
    # after its unit); nobody sends it.
    numerator = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("numerator")
    )
    denominator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("denominator"),
    )

    class Meta:
        ordering = ["domain", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(numerator__isnull=True, denominator__isnull=True)
                | (
                    Q(numerator__isnull=False, denominator__isnull=False, unit__in=["rate", "per_thousand"])
                    & ~Q(numerator=F("denominator"))
                    & ~Q(numerator=F("id"))
                    & ~Q(denominator=F("id"))
                ),
                name="a_rate_divides_two_other_indicators",
            )
        ]

    def __str__(self):
        return f"{self.code} — {self.label}"


class CatalogueVersion(models.Model):
    """A version of the indicator catalogue, as a body's decision adopted it (Loire art. 3: indicators
    « dont la liste est préalablement arrêtée par les signataires »). Never changed afterwards: a new list
    is a new version, adopted by a new decision."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.PositiveSmallIntegerField(_("version"), unique=True)
    indicators = models.ManyToManyField(Indicator, verbose_name=_("indicators"), related_name="+")
    adopted_by = models.OneToOneField(
        Decision,
        verbose_name=_("adopted by"),
        on_delete=models.PROTECT,
        related_name="catalogue_version",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")

    def __str__(self):
        return _("Indicator catalogue, version %(number)s") % {"number": self.number}


class TableSpec(models.Model):
    """What one partner sends: a Frictionless Table Schema, plus which indicator each value column feeds."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("code"), max_length=60, unique=True, validators=[code_validator])
    title = models.CharField(_("title"), max_length=200)
    sheet_name = models.CharField(
        _("sheet name"),
        max_length=31,
        help_text=_("Name of the sheet in the Excel template (31 characters)."),
    )
    description = models.TextField(_("description"), blank=True)
    schema = models.JSONField(_("Table Schema"), default=dict)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("table spec")
        verbose_name_plural = _("table specs")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("uploads:spec_detail", args=[self.pk])

    def clean(self):
        try:
            parse_schema(self.schema)
        except SchemaError as error:
            raise ValidationError({"schema": str(error)}) from error

    @property
    def field_names(self) -> list[str]:
        return [field["name"] for field in self.schema.get("fields", [])]

    @property
    def column_labels(self) -> dict[str, str]:
        """Each column's header in the partner's workbook, by field name."""
        return {field["name"]: field.get("title") or field["name"] for field in self.schema.get("fields", [])}


class ColumnMapping(models.Model):
    """What a column of a table spec means for the observatory's data base."""

    class Role(models.TextChoices):
        VALUE = "value", _("value of an indicator")
        TERRITORY = "territory", _("territory")
        SEX = "sex", _("sex")
        AGE_GROUP = "age_group", _("age group")

    spec = models.ForeignKey(
        TableSpec, on_delete=models.CASCADE, related_name="columns", verbose_name=_("spec")
    )
    field_name = models.CharField(_("column"), max_length=100)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VALUE)
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="columns",
        verbose_name=_("indicator"),
    )

    class Meta:
        ordering = ["spec", "field_name"]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(fields=["spec", "field_name"], name="one_mapping_per_column"),
            models.CheckConstraint(
                condition=Q(role="value", indicator__isnull=False)
                | (~Q(role="value") & Q(indicator__isnull=True)),
                name="value_columns_name_their_indicator",
            ),
        ]

    def __str__(self):
        return f"{self.spec.code}.{self.field_name}"

    def clean(self):
        if self.spec_id and self.field_name not in self.spec.field_names:
            raise ValidationError({"field_name": _("This column is not in the spec’s schema.")})


class TableRequirement(models.Model):
    """A partner's commitment, in a convention or one of its amendments, to send a table.

    Its calendar is the one agreed in the bilateral application convention (Loire art. 4): a day and month in
    the year after the data year, and a frequency. Without an agreed day, the campaign's due date applies.
    """

    class Frequency(models.TextChoices):
        EVERY_YEAR = "every_year", _("every year")
        EVEN_YEARS = "even_years", _("data years that are even")
        ODD_YEARS = "odd_years", _("data years that are odd")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    convention = models.ForeignKey(
        Convention, on_delete=models.PROTECT, related_name="table_requirements", verbose_name=_("convention")
    )
    amendment = models.ForeignKey(
        Amendment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="table_requirements",
        verbose_name=_("amendment"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="table_requirements", verbose_name=_("partner")
    )
    spec = models.ForeignKey(
        TableSpec, on_delete=models.PROTECT, related_name="requirements", verbose_name=_("table spec")
    )
    frequency = models.CharField(
        _("frequency"), max_length=12, choices=Frequency.choices, default=Frequency.EVERY_YEAR
    )
    due_day = models.PositiveSmallIntegerField(
        _("agreed due day"),
        null=True,
        blank=True,
        help_text=_("Day of the month, in the year after the data year. Empty: the campaign’s due date."),
    )
    due_month = models.PositiveSmallIntegerField(
        _("agreed due month"), null=True, blank=True, choices=list(MONTHS.items())
    )
    # A table no longer expected keeps its row: the tables received under it still point to it in history.
    ends_with_data_year = models.PositiveSmallIntegerField(
        _("last data year expected"),
        null=True,
        blank=True,
        help_text=_("Empty: expected as long as its convention is in force."),
    )

    class Meta:
        verbose_name = _("table requirement")
        verbose_name_plural = _("table requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "partner", "spec"], name="one_requirement_per_convention_partner_spec"
            ),
            models.CheckConstraint(
                condition=Q(due_day__isnull=True, due_month__isnull=True)
                | Q(
                    due_day__isnull=False,
                    due_month__isnull=False,
                    due_day__gte=1,
                    due_day__lte=31,
                    due_month__gte=1,
                    due_month__lte=12,
                ),
                name="requirement_due_day_and_month_together",
            ),
        ]

    def __str__(self):
        return f"{self.partner} — {self.spec}"

    def expects(self, data_year: int) -> bool:
        if self.ends_with_data_year is not None and data_year > self.ends_with_data_year:
            return False
        if self.frequency == self.Frequency.EVEN_YEARS:
            return data_year % 2 == 0
        if self.frequency == self.Frequency.ODD_YEARS:
            return data_year % 2 == 1
        return True

    def due_on_for(self, campaign: "Campaign") -> date:
        """The agreed day of the year after the data year (the 31st is the month's last day), or the
        campaign's due date when the application convention fixes none."""
        if self.due_month is None or self.due_day is None:
            return campaign.due_on
        year = campaign.data_year + 1
        last_day = calendar.monthrange(year, self.due_month)[1]
        return date(year, self.due_month, min(self.due_day, last_day))

    def describe_calendar(self) -> str:
        """« chaque année, le 31 mars de l'année suivante », « chaque année, à la date de la campagne »."""
        frequency = self.Frequency(self.frequency).label
        if self.due_month is None or self.due_day is None:
            return _("%(frequency)s, by the campaign’s due date") % {"frequency": frequency}
        first = self.due_day == 1 and get_language() == "fr"
        return _("%(frequency)s, by %(day)s %(month)s of the following year") % {
            "frequency": frequency,
            "day": "1er" if first else self.due_day,
            "month": MONTHS[self.due_month],
        }

    def clean(self):
        if self.amendment_id and self.convention_id and self.amendment.convention_id != self.convention_id:
            raise ValidationError({"amendment": _("This amendment belongs to another convention.")})
        if (self.due_day is None) != (self.due_month is None):
            raise ValidationError(_("Give both the day and the month of the agreed due date, or neither."))


class Campaign(models.Model):
    """The yearly collection of data year N (Loire art. 4: a calendar agreed with the partners)."""

    class Phase(models.TextChoices):
        UPCOMING = "upcoming", _("upcoming")
        OPEN = "open", _("open")
        OVERDUE = "overdue", _("past its due date")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    data_year = models.PositiveSmallIntegerField(_("data year"), unique=True)
    catalogue = models.ForeignKey(
        CatalogueVersion,
        verbose_name=_("indicator catalogue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
        help_text=_("The version adopted when the campaign was created: the list it collects."),
    )
    opens_on = models.DateField(_("opens on"))
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-data_year"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gt=models.F("opens_on")), name="campaign_due_after_opening"
            ),
            models.CheckConstraint(condition=Q(data_year__gte=2000), name="campaign_data_year_plausible"),
        ]

    def __str__(self):
        return _("%(year)s campaign") % {"year": self.data_year}

    def get_absolute_url(self):
        return reverse("uploads:campaign_detail", args=[self.pk])

    def phase_on(self, today: date) -> str:
        if today < self.opens_on:
            return self.Phase.UPCOMING
        if today > self.due_on:
            return self.Phase.OVERDUE
        return self.Phase.OPEN

    @property
    def phase(self) -> str:
        return self.phase_on(timezone.localdate())

    def get_phase_display(self) -> str:
        return self.Phase(self.phase).label


class Submission(models.Model):
    """A partner's answer to one expected table in one campaign: the versions it uploaded, and where they stand."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("campaign")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("partner")
    )
    spec = models.ForeignKey(
        TableSpec, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("table")
    )
    latest_version = models.ForeignKey(
        "SubmissionVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    accepted_version = models.ForeignKey(
        "SubmissionVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["campaign", "partner__name", "spec__code"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "partner", "spec"], name="one_submission_per_expected_table"
            )
        ]

    def __str__(self):
        return f"{self.partner} — {self.spec} ({self.campaign.data_year})"

    def get_absolute_url(self):
        return reverse("uploads:submission_detail", args=[self.pk])

    @property
    def latest_status(self) -> str:
        return self.latest_version.status if self.latest_version else SubmissionVersion.Status.MISSING

    @property
    def status(self) -> str:
        """Where the table stands: an accepted version keeps counting when a newer upload is refused."""
        if self.newer_upload_refused:
            return SubmissionVersion.Status.ACCEPTED
        return self.latest_status

    @property
    def newer_upload_refused(self) -> bool:
        return self.accepted_version_id is not None and self.latest_status in (
            SubmissionVersion.Status.INVALID,
            SubmissionVersion.Status.RETURNED,
        )

    def get_status_display(self) -> str:
        if self.newer_upload_refused:
            if self.latest_status == SubmissionVersion.Status.INVALID:
                return _("Accepted — a newer upload was refused")
            return _("Accepted — a newer upload was returned")
        return SubmissionVersion.Status(self.status).label

    @property
    def is_waiting(self) -> bool:
        """The partner still owes this table: nothing accepted, and nothing on its way to the referent."""
        return self.accepted_version_id is None and self.latest_status in (
            SubmissionVersion.Status.MISSING,
            SubmissionVersion.Status.INVALID,
            SubmissionVersion.Status.RETURNED,
        )

    def is_late_on(self, today: date, due_on: date) -> bool:
        """Owed and past `due_on`, the date agreed with this partner (`uploads.selectors.due_dates`)."""
        return today > due_on and self.is_waiting


class SubmissionVersion(StatusFlow, models.Model):
    """One upload: its bytes never change; only its review status moves, through `uploads.services`."""

    class Status(models.TextChoices):
        MISSING = "missing", _("Not sent")
        RECEIVED = "received", _("Received")
        VALIDATING = "validating", _("Being checked")
        INVALID = "invalid", _("Refused by the checks")
        TO_REVIEW = "to_review", _("To review")
        RETURNED = "returned", _("Returned to the partner")
        ACCEPTED = "accepted", _("Accepted")
        SUPERSEDED = "superseded", _("Replaced by a later version")

    NEXT = {
        Status.RECEIVED: {Status.VALIDATING},
        Status.VALIDATING: {Status.INVALID, Status.TO_REVIEW},
        Status.TO_REVIEW: {Status.ACCEPTED, Status.RETURNED, Status.SUPERSEDED},
        Status.ACCEPTED: {Status.SUPERSEDED},
    }
    IN_PROGRESS = (Status.RECEIVED, Status.VALIDATING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="versions", verbose_name=_("submission")
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=PrivateUploadTo("submissions"), max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    attested = models.BooleanField(_("figures validated by the institution"))
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    report = models.JSONField(_("validation report"), null=True, blank=True, editable=False)
    validation_started_at = models.DateTimeField(_("check started at"), null=True, blank=True, editable=False)
    validation_attempts = models.PositiveSmallIntegerField(_("check attempts"), default=0, editable=False)
    validated_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    bytes_deleted_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)
    # Made once by the worker that checks the version (`uploads.services.validate_version`), never in a
    # request: the partner's workbook with its findings shown. Empty when nothing is to be shown on it.
    annotated_copy = models.FileField(
        _("annotated copy"), upload_to=PrivateUploadTo("reports"), max_length=300, blank=True, editable=False
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        ordering = ["submission", "-number"]
        get_latest_by = "number"
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="version_numbers_unique"),
            models.UniqueConstraint(
                fields=["submission"],
                condition=Q(status="accepted"),
                name="one_accepted_version_per_submission",
            ),
            models.CheckConstraint(condition=Q(attested=True), name="version_attested_by_institution"),
            models.CheckConstraint(condition=~Q(status="missing"), name="version_never_missing"),
        ]

    def __str__(self):
        return _("version %(number)s of %(submission)s") % {
            "number": self.number,
            "submission": self.submission,
        }

    def get_absolute_url(self):
        return reverse("uploads:version_detail", args=[self.pk])

    @property
    def is_in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS

    @property
    def has_bytes(self) -> bool:
        return bool(self.file) and self.bytes_deleted_at is None

    @property
    def findings(self) -> Report:
        return Report.from_dict(self.report or {})

    @property
    def annotates_its_file(self) -> bool:
        """Its findings are shown on a copy of its own workbook (`annotated_copy`)."""
        return self.report is not None and self.shows_findings_on_file(
            self.findings, has_bytes=self.has_bytes
        )

    @staticmethod
    def shows_findings_on_file(report: Report, *, has_bytes: bool) -> bool:
        """A report with findings on a file whose bytes are kept and that was not refused as a whole (such
        a file is never opened again) is shown on a copy of the file; any other report stands alone."""
        return (
            has_bytes
            and not report.contains_personal_data
            and not report.file_refused
            and bool(report.errors or report.warnings)
        )


class SubmissionEvent(models.Model):
    """The history a correspondent sees: each step of each version, who took it, and the comment."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    version = models.ForeignKey(SubmissionVersion, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=20, choices=SubmissionVersion.Status.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at"]
        verbose_name = _("submission event")
        verbose_name_plural = _("submission events")

    def __str__(self):
        return f"{self.version} — {self.get_status_display()}"


class ReminderSent(models.Model):
    """A reminder sent for one expected table: by the daily run at a milestone of its calendar, never twice
    the same, or now by a referent (`MANUAL`, as often as the rate limit allows). Its history is shown."""

    MANUAL = "manual"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reminders")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    spec = models.ForeignKey(TableSpec, on_delete=models.CASCADE, related_name="+")
    milestone = models.CharField(_("milestone"), max_length=30)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )

    class Meta:
        ordering = ["sent_at"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "partner", "spec", "milestone"],
                condition=~Q(milestone="manual"),
                name="one_reminder_per_milestone",
            ),
            models.CheckConstraint(
                condition=Q(milestone="manual", sent_by__isnull=False)
                | (~Q(milestone="manual") & Q(sent_by=None)),
                name="manual_reminder_names_its_sender",
            ),
        ]

    def __str__(self):
        return f"{self.partner} — {self.spec} — {self.milestone}"

    @property
    def is_manual(self) -> bool:
        return self.milestone == self.MANUAL

    def describe(self) -> str:
        """« Relance manuelle par Claire Martin », « Relance automatique : 15 jours avant l'échéance »."""
        if self.is_manual:
            return _("Sent now by %(person)s") % {
                "person": self.sent_by.get_full_name() or self.sent_by.email
            }
        if self.milestone.startswith("overdue-week-"):
            return _("Daily run: week %(week)s of lateness") % {"week": self.milestone.rsplit("-", 1)[1]}
        return {
            "opening": _("Daily run: opening of the collection"),
            "due-in-15-days": _("Daily run: 15 days before the due date"),
            "due-in-3-days": _("Daily run: 3 days before the due date"),
        }.get(self.milestone, self.milestone)


class Observation(models.Model):
    """One value: an indicator, for a data year and a breakdown, from one source partner.

    The observatory's data base (Loire art. 3), owned by the collection: written only through
    `uploads.observations`, when a referent accepts a submission (`uploads.services.accept_version`) or
    the answer to a data request that has a table spec (`uploads.data_requests.services.accept_answer`),
    and when the OLINPE base is checked; a later accepted version of the same table replaces them. An
    empty territory, sex or age group means all.
    """

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="observations", verbose_name=_("indicator")
    )
    data_year = models.PositiveSmallIntegerField(_("data year"))
    territory = models.CharField(_("territory"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=40, blank=True)
    age_group = models.CharField(_("age group"), max_length=40, blank=True)
    value = models.DecimalField(_("value"), max_digits=22, decimal_places=6)
    source = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="observations", verbose_name=_("source")
    )
    # Where the figure comes from, exactly one of: an accepted version of a partner's table, the accepted
    # answer to a data request, or the Département's OLINPE base.
    version = models.ForeignKey(
        SubmissionVersion,
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("submitted version"),
        null=True,
        blank=True,
    )
    olinpe_base = models.ForeignKey(
        "olinpe.YearlyBase",
        on_delete=models.CASCADE,
        related_name="observations",
        verbose_name=_("OLINPE base"),
        null=True,
        blank=True,
    )
    answer = models.ForeignKey(
        "data_requests.Answer",
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("answer to a data request"),
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["indicator", "data_year", "territory", "sex", "age_group"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "data_year", "territory", "sex", "age_group", "source"],
                name="one_observation_per_breakdown_and_source",
            ),
            models.CheckConstraint(condition=Q(data_year__gte=2000), name="observation_data_year_plausible"),
            models.CheckConstraint(
                condition=Q(version__isnull=False, answer__isnull=True, olinpe_base__isnull=True)
                | Q(version__isnull=True, answer__isnull=False, olinpe_base__isnull=True)
                | Q(version__isnull=True, answer__isnull=True, olinpe_base__isnull=False),
                name="observation_from_exactly_one_origin",
            ),
        ]
        indexes = [models.Index(fields=["data_year", "indicator"], name="observation_year_indicator")]

    def __str__(self):
        breakdown = " / ".join(part for part in (self.territory, self.sex, self.age_group) if part)
        return f"{self.indicator.code} {self.data_year} {breakdown or '—'} = {self.value} ({self.source})"
