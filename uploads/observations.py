"""The observatory's data base: the figures of accepted tables become observations (one place)."""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from odpe.errors import TransitionError
from uploads.models import Observation, SubmissionVersion


@dataclass(frozen=True)
class Value:
    """A figure read from an accepted table, before it becomes an observation."""

    indicator_id: object
    territory: str
    sex: str
    age_group: str
    value: Decimal

    @property
    def key(self) -> tuple:
        return (self.indicator_id, self.territory, self.sex, self.age_group)


def replace_observations(version: SubmissionVersion, values: list[Value]) -> int:
    """The accepted version's figures become its partner's observations for that table and year.

    Runs inside the acceptance's transaction: the previous version's figures for the same table go,
    the new ones come, all or nothing. Refuses (TransitionError) a table that gives two values for the
    same indicator and breakdown, or figures another of the partner's tables already gives.
    """
    submission = version.submission
    repeated = [key for key, count in Counter(value.key for value in values).items() if count > 1]
    if repeated:
        raise TransitionError(
            _(
                "This table gives several values for the same indicator and breakdown: its column mapping "
                "must be completed before it can be accepted."
            )
        )
    year = submission.campaign.data_year
    elsewhere = (
        Observation.objects.filter(source_id=submission.partner_id, data_year=year)
        .exclude(version__submission=submission)
        .select_related("version__submission__spec")
    )
    keys = {value.key for value in values}
    clash = next((o for o in elsewhere if (o.indicator_id, o.territory, o.sex, o.age_group) in keys), None)
    if clash is not None:
        raise TransitionError(
            _("These figures are already given for %(year)s by the table “%(table)s” of the same partner.")
            % {"year": year, "table": clash.version.submission.spec.title}
        )
    Observation.objects.filter(version__submission=submission).delete()
    Observation.objects.bulk_create(
        Observation(
            indicator_id=value.indicator_id,
            data_year=year,
            territory=value.territory,
            sex=value.sex,
            age_group=value.age_group,
            value=value.value,
            source_id=submission.partner_id,
            version=version,
        )
        for value in values
    )
    return len(values)


def replace_base_observations(base, source, values: list[Value]) -> int:
    """A checked OLINPE base's figures become its source's observations for that year, replacing those of
    an earlier base of the same year. Runs inside the check's transaction: all or nothing."""
    Observation.objects.filter(olinpe_base__year=base.year).delete()
    Observation.objects.bulk_create(
        Observation(
            indicator_id=value.indicator_id,
            data_year=base.year,
            territory=value.territory,
            sex=value.sex,
            age_group=value.age_group,
            value=value.value,
            source=source,
            olinpe_base=base,
        )
        for value in values
    )
    return len(values)
