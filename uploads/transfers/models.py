import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conventions.models import Convention, Partner
from odpe.files import PrivateUploadTo
from uploads.transfers.checks import bases


class Designation(models.Model):
    """A person the data-transfer convention designates, for one of its signatories: they alone see the
    convention's pseudonymised datasets, upload them in their partner's name and read the linkage
    reports (narrowest access). Ending it keeps the row, for the record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    convention = models.ForeignKey(
        Convention, verbose_name=_("convention"), on_delete=models.PROTECT, related_name="designations"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("for the partner"), on_delete=models.PROTECT, related_name="designations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="designations",
    )
    designated_at = models.DateTimeField(_("designated at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["partner__name", "user__email"]
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "user"],
                condition=Q(ended_at__isnull=True),
                name="one_current_designation",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.partner} — {self.convention.reference}"


class Dataset(models.Model):
    """A pseudonymised dataset received under a data-transfer convention: checked, then stored
    encrypted at rest (odpe.encryption). Only counts and column names are kept in clear."""

    Base = models.TextChoices("Base", [(name.upper(), (name, title)) for name, title in bases()])

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    convention = models.ForeignKey(
        Convention, verbose_name=_("convention"), on_delete=models.PROTECT, related_name="datasets"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="transferred_datasets"
    )
    base = models.CharField(_("base"), max_length=20, choices=Base.choices)
    label = models.CharField(_("label"), max_length=200)
    file = models.FileField(_("file (encrypted)"), upload_to=PrivateUploadTo("transfers"), blank=True)
    kind = models.CharField(_("format"), max_length=4)  # csv or xlsx, to name the download
    sha256 = models.CharField(_("SHA-256 of the file received"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    rows = models.PositiveIntegerField(_("rows"))
    columns = models.JSONField(_("columns"), default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Retention: once its convention closed, the bytes go; the row stays with its counts and fingerprint.
    deleted_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("pseudonymised dataset")
        verbose_name_plural = _("pseudonymised datasets")

    def __str__(self):
        return f"{self.get_base_display()} — {self.label}"

    def get_absolute_url(self):
        return reverse("transfers:dataset_detail", args=[self.pk])


class LinkageReport(models.Model):
    """Counts only: how many people of the first dataset are found in the second by primary key, by
    secondary key only (annex 1 §3.2), or not at all. No record is kept or shown."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    convention = models.ForeignKey(
        Convention, verbose_name=_("convention"), on_delete=models.PROTECT, related_name="linkage_reports"
    )
    left = models.ForeignKey(Dataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(
        Dataset, verbose_name=_("compared with"), on_delete=models.CASCADE, related_name="+"
    )
    left_rows = models.PositiveIntegerField()
    left_people = models.PositiveIntegerField()
    right_rows = models.PositiveIntegerField()
    right_people = models.PositiveIntegerField()
    by_primary_key = models.PositiveIntegerField()
    by_secondary_key_only = models.PositiveIntegerField()
    not_matched = models.PositiveIntegerField()
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-computed_at"]
        verbose_name = _("linkage report")
        verbose_name_plural = _("linkage reports")
        constraints = [
            models.CheckConstraint(condition=~Q(left=F("right")), name="linkage_of_two_datasets"),
            models.CheckConstraint(
                condition=Q(left_people=F("by_primary_key") + F("by_secondary_key_only") + F("not_matched")),
                name="linkage_counts_every_person_once",
            ),
        ]

    def __str__(self):
        return f"{self.left} × {self.right}"

    def get_absolute_url(self):
        return reverse("transfers:linkage_detail", args=[self.pk])
