"""A request for specific data, the partners it is addressed to, and the files they answer with."""

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
from uploads.models import TableSpec
from uploads.validation import Report


class DataRequest(models.Model):
    """What the referent asks for, by when, and in which form: a table spec's workbook, or a free document."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"))
    due_on = models.DateField(_("answer expected by"))
    spec = models.ForeignKey(
        TableSpec,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="data_requests",
        verbose_name=_("table spec"),
        help_text=_("Empty: the partners answer with a document of their choice."),
    )
    # The year the figures describe, as a campaign's: with a table spec, accepted figures become
    # observations of that year, so it is required then.
    data_year = models.PositiveSmallIntegerField(_("data year"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by")
    )
    created_at = models.DateTimeField(_("asked on"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(spec__isnull=True) | Q(data_year__isnull=False),
                name="data_request_with_a_spec_names_its_year",
            ),
            models.CheckConstraint(
                condition=Q(data_year__isnull=True) | Q(data_year__gte=2000),
                name="data_request_data_year_plausible",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("data_requests:request_detail", args=[self.pk])


class Addressee(StatusFlow, models.Model):
    """One partner asked: where its answer stands."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for an answer")
        TO_REVIEW = "to_review", _("To review")
        RETURNED = "returned", _("Returned to the partner")
        ACCEPTED = "accepted", _("Accepted")
        CLOSED = "closed", _("Closed (the partner left the convention)")

    NEXT = {
        Status.WAITING: {Status.TO_REVIEW, Status.CLOSED},
        Status.TO_REVIEW: {Status.ACCEPTED, Status.RETURNED, Status.CLOSED},
        Status.RETURNED: {Status.TO_REVIEW, Status.CLOSED},
        # A figure found wrong after acceptance: the referent returns the answer and its figures leave.
        Status.ACCEPTED: {Status.RETURNED},
    }
    OWED = (Status.WAITING, Status.RETURNED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(
        DataRequest, on_delete=models.CASCADE, related_name="addressees", verbose_name=_("data request")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="data_requests", verbose_name=_("partner")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WAITING)
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True)

    class Meta:
        ordering = ["request", "partner__name"]
        verbose_name = _("partner asked")
        verbose_name_plural = _("partners asked")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "partner"], name="one_addressee_per_request_and_partner"
            )
        ]

    def __str__(self):
        return f"{self.request} — {self.partner}"

    def get_absolute_url(self):
        return reverse("data_requests:addressee_detail", args=[self.pk])

    @property
    def is_owed(self) -> bool:
        return self.status in self.OWED

    def is_late_on(self, today: date) -> bool:
        return self.is_owed and today > self.request.due_on


class Answer(models.Model):
    """A file a partner sent in answer: its bytes never change; with a table spec, the engine's report."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    addressee = models.ForeignKey(
        Addressee, on_delete=models.PROTECT, related_name="answers", verbose_name=_("partner asked")
    )
    file = models.FileField(_("file"), upload_to=PrivateUploadTo("data_requests"), max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    comment = models.TextField(_("comment"), blank=True)
    report = models.JSONField(_("validation report"), null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    uploaded_at = models.DateTimeField(_("sent on"), default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(condition=~Q(sha256=""), name="data_request_answer_fingerprinted"),
        ]

    def __str__(self):
        return f"{self.addressee} — {self.original_name}"

    @property
    def has_bytes(self) -> bool:
        """False once destroyed under a convention's exit policy: the row stays, for the record."""
        return bool(self.file)

    @property
    def findings(self) -> Report:
        return Report.from_dict(self.report or {})
