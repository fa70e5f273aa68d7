"""The OLINPE variable dictionaries (versions of the Table Schema) and the yearly bases."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from odpe.files import PrivateUploadTo
from odpe.workflow import StatusFlow
from uploads.olinpe.dictionary import Dictionary, read_dictionary


class VariableDictionary(models.Model):
    """A version of the variable dictionary the referent imported (the ONPE updates its guide); without
    any, the version shipped with the platform applies."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.CharField(_("version"), max_length=40, unique=True)
    descriptor = models.JSONField(_("Table Schema"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by")
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("OLINPE variable dictionary")
        verbose_name_plural = _("OLINPE variable dictionaries")

    def __str__(self):
        return f"OLINPE {self.version}"

    def read(self) -> Dictionary:
        return read_dictionary(self.descriptor)


class YearlyBase(StatusFlow, models.Model):
    """One year's extract as the referent imported it: its bytes encrypted at rest (`odpe.encryption`), its
    fingerprint, and what its checks found — counts and record numbers, never a record's content."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Being checked")
        CHECKED = "checked", _("Checked")
        REFUSED = "refused", _("Refused")

    NEXT = {Status.RECEIVED: {Status.CHECKED, Status.REFUSED}}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    file = models.FileField(
        _("encrypted file"), upload_to=PrivateUploadTo("olinpe"), max_length=300, blank=True
    )
    suffix = models.CharField(_("format"), max_length=10)
    sha256 = models.CharField(_("SHA-256 of the file as received"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    dictionary_version = models.CharField(_("dictionary version"), max_length=40)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by")
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    records = models.PositiveIntegerField(_("records"), null=True, blank=True)
    report = models.JSONField(_("coherence report"), default=dict, blank=True)
    problems = models.JSONField(_("schema problems"), default=list, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    purged_at = models.DateTimeField(_("file purged at"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-imported_at"]
        verbose_name = _("OLINPE yearly base")
        verbose_name_plural = _("OLINPE yearly bases")
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=~Q(status="refused"), name="one_olinpe_base_per_year"
            ),
            models.CheckConstraint(condition=Q(year__gte=2011), name="olinpe_base_year_plausible"),
        ]

    def __str__(self):
        return f"Base OLINPE {self.year}"

    def get_absolute_url(self):
        return reverse("olinpe:year", args=[self.year])


class Transmission(models.Model):
    """The yearly package « adressé à l'ONPE » (Loire art. 5): the base as received, its coherence report
    and the published annual dashboard, fingerprinted together."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    base = models.ForeignKey(YearlyBase, on_delete=models.PROTECT, related_name="transmissions")
    sent_on = models.DateField(_("sent on"))
    package_sha256 = models.CharField(_("SHA-256 of the package"), max_length=64)
    parts = models.JSONField(_("parts of the package"), default=list)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-recorded_at"]
        verbose_name = _("transmission to the ONPE")
        verbose_name_plural = _("transmissions to the ONPE")

    def __str__(self):
        return f"Transmission à l'ONPE de la base {self.base.year}"
