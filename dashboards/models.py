"""The observatory's data base (observations) and what is built and published from it."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conventions.models import Partner
from uploads.models import Indicator, SubmissionVersion


class Observation(models.Model):
    """One value: an indicator, for a data year and a breakdown, from one source partner.

    Written only when a referent accepts a submission (`uploads.services.accept_version`); a later
    accepted version of the same table replaces them. An empty territory, sex or age group means all.
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
    version = models.ForeignKey(
        SubmissionVersion,
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("submitted version"),
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
        ]
        indexes = [models.Index(fields=["data_year", "indicator"], name="observation_year_indicator")]

    def __str__(self):
        breakdown = " / ".join(part for part in (self.territory, self.sex, self.age_group) if part)
        return f"{self.indicator.code} {self.data_year} {breakdown or '—'} = {self.value} ({self.source})"
