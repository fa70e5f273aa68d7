"""The indicator catalogue's writes: the ODPE team defines indicators and rates, and rewords them; a body's
decision adopts the list as it stands as a new version (Loire art. 3). A campaign collects the version
adopted when it was created (`uploads.services`); what was defined since waits for the next decision."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from conventions.models import Decision
from odpe import audit
from odpe.audit import Actor
from odpe.errors import TransitionError
from uploads.models import CatalogueVersion, Indicator


def define_indicator(indicator: Indicator, *, actor: Actor) -> Indicator:
    """Add `indicator` (unsaved, checked by its form) to the catalogue: a statistic partners send, or a rate
    of two others. Refuses in French what the database refuses (a code taken meanwhile, a rate that does not
    divide two other indicators)."""
    try:
        with transaction.atomic(durable=True):
            indicator.save(force_insert=True)
            audit.record(actor, "indicator.defined", indicator, **_shape(indicator))
    except IntegrityError as error:
        if Indicator.objects.filter(code=indicator.code).exists():
            raise TransitionError(
                _("The code “%s” is already used by another indicator.") % indicator.code
            ) from error
        raise TransitionError(
            _("A rate divides one indicator by another: neither may be the rate itself.")
        ) from error
    return indicator


def reword_indicator(indicator: Indicator, *, actor: Actor, label: str, definition: str) -> Indicator:
    """New label and definition. The code, unit and, for a rate, its numerator and denominator stay: a
    campaign or a dashboard may already use them, so a new statistic is a new indicator."""
    with transaction.atomic(durable=True):
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        before = {"label": indicator.label, "definition": indicator.definition}
        indicator.label, indicator.definition = label, definition
        indicator.save(update_fields=["label", "definition"])
        changed = sorted(field for field, value in before.items() if getattr(indicator, field) != value)
        audit.record(actor, "indicator.reworded", indicator, changed=changed, previous_label=before["label"])
    return indicator


def _shape(indicator: Indicator) -> dict:
    shape = {"code": indicator.code, "domain": indicator.domain, "unit": indicator.unit}
    if indicator.numerator_id:
        shape |= {"numerator": indicator.numerator.code, "denominator": indicator.denominator.code}
    return shape


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
