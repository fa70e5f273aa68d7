"""The observatory's data base: the figures of accepted tables, of accepted answers to data requests and of
the OLINPE base become observations (one place)."""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from odpe.errors import TransitionError
from uploads.data_requests.models import Addressee, Answer
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
    same indicator and breakdown, or figures another of the partner's tables or answers already gives.
    """
    submission = version.submission
    return _replace(
        values,
        source_id=submission.partner_id,
        year=submission.campaign.data_year,
        replaced=Q(version__submission=submission),
        origin={"version": version},
    )


def replace_answer_observations(answer: Answer, values: list[Value]) -> int:
    """The accepted answer's figures become its partner's observations for the request's data year, as
    an accepted version's do (same refusals), replacing those of an earlier answer to the same request."""
    addressee = answer.addressee
    return _replace(
        values,
        source_id=addressee.partner_id,
        year=addressee.request.data_year,
        replaced=Q(answer__addressee=addressee),
        origin={"answer": answer},
    )


def remove_answer_observations(addressee: Addressee) -> int:
    """The partner's answer no longer counts: its figures leave the observations. How many went."""
    removed, _by_model = Observation.objects.filter(answer__addressee=addressee).delete()
    return removed


def _replace(values: list[Value], *, source_id, year: int, replaced: Q, origin: dict) -> int:
    repeated = [key for key, count in Counter(value.key for value in values).items() if count > 1]
    if repeated:
        raise TransitionError(
            _(
                "This table gives several values for the same indicator and breakdown: its column mapping "
                "must be completed before it can be accepted."
            )
        )
    elsewhere = (
        Observation.objects.filter(source_id=source_id, data_year=year)
        .exclude(replaced)
        .select_related("version__submission__spec", "answer__addressee__request")
    )
    keys = {value.key for value in values}
    clash = next((o for o in elsewhere if (o.indicator_id, o.territory, o.sex, o.age_group) in keys), None)
    if clash is not None:
        raise TransitionError(_already_given(clash, year))
    Observation.objects.filter(replaced).delete()
    Observation.objects.bulk_create(
        Observation(
            indicator_id=value.indicator_id,
            data_year=year,
            territory=value.territory,
            sex=value.sex,
            age_group=value.age_group,
            value=value.value,
            source_id=source_id,
            **origin,
        )
        for value in values
    )
    return len(values)


def _already_given(clash: Observation, year: int) -> str:
    if clash.answer_id is not None:
        return _(
            "These figures are already given for %(year)s by the same partner’s answer to the data request "
            "“%(request)s”."
        ) % {"year": year, "request": clash.answer.addressee.request.title}
    if clash.version_id is None:
        return _("These figures are already given for %(year)s by the OLINPE base.") % {"year": year}
    return _("These figures are already given for %(year)s by the table “%(table)s” of the same partner.") % {
        "year": year,
        "table": clash.version.submission.spec.title,
    }


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
