"""Reference values (France, region) that the referent enters for an indicator, with their source and year.

A dashboard generated afterwards carries, for each figure, the latest reference of each scope up to its
data year, frozen in its snapshot like every figure: a published version never changes.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet

from dashboards.models import ReferenceValue
from odpe import audit
from odpe.audit import Actor
from uploads.models import Indicator


@transaction.atomic(durable=True)
def record_reference_value(
    *, actor: Actor, indicator: Indicator, scope: str, year: int, value: Decimal, source: str
) -> ReferenceValue:
    """Enter a reference value, or correct the one of the same indicator, scope and year."""
    reference, created = ReferenceValue.objects.update_or_create(
        indicator=indicator,
        scope=scope,
        year=year,
        defaults={"value": value, "source": source, "entered_by": actor.user},
    )
    audit.record(
        actor,
        "reference_value.recorded" if created else "reference_value.corrected",
        reference,
        indicator=indicator.code,
        scope=scope,
        year=year,
        value=str(value),
        source=source,
    )
    return reference


def reference_values() -> QuerySet[ReferenceValue]:
    return ReferenceValue.objects.select_related("indicator")


def latest_references(data_year: int) -> dict[str, list[dict]]:
    """For each indicator's code, the latest value of each scope up to `data_year`, France first."""
    latest: dict[tuple[str, str], ReferenceValue] = {}
    for reference in reference_values().filter(year__lte=data_year).order_by("year"):
        latest[(reference.indicator.code, reference.scope)] = reference
    references: dict[str, list[dict]] = {}
    for (code, _scope), reference in sorted(latest.items(), key=lambda item: item[0][1] != "france"):
        references.setdefault(code, []).append(
            {
                "scope": reference.scope,
                "year": reference.year,
                "value": float(reference.value),
                "source": reference.source,
            }
        )
    return references
