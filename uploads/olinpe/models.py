"""The OLINPE variable dictionaries (versions of the Table Schema) and the yearly bases."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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
