"""The indicator catalogue's one write: a body's decision adopts the current list as a new version
(Loire art. 3). A campaign collects the version adopted when it was created (`uploads.services`)."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from conventions.models import Decision
from odpe import audit
from odpe.audit import Actor
from odpe.errors import TransitionError
from uploads.models import CatalogueVersion, Indicator


@transaction.atomic(durable=True)
def adopt_catalogue(decision: Decision, *, actor: Actor) -> CatalogueVersion:
    """The indicators of the catalogue as they stand become a new version, adopted by `decision`: a
    decision adopting the list of indicators, which has not adopted another version."""
    decision = (
        Decision.objects.select_for_update(of=("self",)).select_related("meeting__body").get(pk=decision.pk)
    )
    if decision.kind != Decision.Kind.INDICATOR_LIST:
        raise TransitionError(_("Only a decision adopting the list of indicators can adopt the catalogue."))
    if CatalogueVersion.objects.filter(adopted_by=decision).exists():
        raise TransitionError(_("This decision has already adopted a version of the catalogue."))
    indicators = list(Indicator.objects.all())
    if not indicators:
        raise TransitionError(_("The catalogue has no indicator yet: there is nothing to adopt."))
    number = (CatalogueVersion.objects.aggregate(last=Max("number"))["last"] or 0) + 1
    version = CatalogueVersion.objects.create(number=number, adopted_by=decision)
    version.indicators.set(indicators)
    audit.record(
        actor,
        "catalogue.adopted",
        version,
        decision_id=str(decision.pk),
        body=decision.meeting.body.kind,
        indicators=len(indicators),
    )
    return version
