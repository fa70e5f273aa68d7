"""Every write on the tables a partner owes under a convention and their agreed calendars (Loire art. 4):
expecting a table, by the convention itself or by an amendment, changing its calendar, no longer expecting
it, and expecting it again after that. Each writes its audit row in its transaction and tells the partner's correspondents once committed."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conventions.models import Amendment, Convention, Partner
from conventions.services import record_amendment, tell_on_commit
from odpe import audit
from odpe.audit import Actor
from odpe.errors import TransitionError
from uploads.models import Campaign, Submission, TableRequirement, TableSpec
from uploads.selectors import expected_pairs, partners_in_force
from uploads.services import open_current_submissions


def _calendar(requirement: TableRequirement) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(requirement.describe_calendar())


def _about(requirement: TableRequirement) -> dict:
    return {
        "convention": requirement.convention.reference,
        "table": requirement.spec.title,
        **audit.about_partner(requirement.partner),
    }


def _check_may_require(convention: Convention, partner: Partner) -> None:
    """A convention still running can require a table of a partner taking part in it today."""
    if convention.closed_at is not None:
        raise TransitionError(_("This convention has ended: it can no longer require a table."))
    if not partners_in_force(convention).filter(pk=partner.pk).exists():
        raise TransitionError(
            _("%(partner)s does not take part in this convention today.")
            % {"partner": capfirst(partner.with_article())}
        )


def _locked(requirement: TableRequirement) -> TableRequirement:
    """The requirement locked for this transaction, with what its audit row and messages name."""
    return (
        TableRequirement.objects.select_for_update(of=("self",))
        .select_related("convention", "partner", "spec")
        .get(pk=requirement.pk)
    )


def _tell_partner(requirement: TableRequirement, message, actor: Actor, **values) -> None:
    """`message` (lazy), written in the site's language with the table, the partner and the calendar at hand
    (and `values`): the partner's correspondents and the referents get it."""
    with translation.override(settings.LANGUAGE_CODE):
        sentence = str(message) % {
            "table": requirement.spec.title,
            "partner": capfirst(requirement.partner.with_article(full=True)),
            "of_partner": requirement.partner.of_name(full=True),
            "calendar": requirement.describe_calendar(),
            **values,
        }
    tell_on_commit(requirement.convention, [requirement.partner], sentence, actor)


@transaction.atomic(durable=True)
def expect_table(
    convention: Convention,
    *,
    actor: Actor,
    partner: Partner,
    spec: TableSpec,
    frequency: str = TableRequirement.Frequency.EVERY_YEAR,
    due_day: int | None = None,
    due_month: int | None = None,
    amendment: dict | None = None,
) -> TableRequirement:
    """The partner owes `spec` under the convention, on the calendar agreed with it (none: the campaign's).

    With `amendment` (signed_on, takes_effect_on, subject), an amendment of additional data supply is
    recorded first, in the same transaction, and the table is owed from the day it takes effect. Also
    refuses a partner not taking part in the convention today, a table already expected and a closed
    convention: the form offers none of them, but two admins may act at once.
    """
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    _check_may_require(convention, partner)
    if TableRequirement.objects.filter(convention=convention, partner=partner, spec=spec).exists():
        raise TransitionError(
            _("%(partner)s already owes « %(table)s » under this convention: change its calendar instead.")
            % {"partner": capfirst(partner.with_article()), "table": spec.title}
        )
    recorded = None
    if amendment is not None:
        recorded = record_amendment(
            convention, actor=actor, effect=Amendment.Effect.ADDITIONAL_DATA_SUPPLY, **amendment
        )
    requirement = TableRequirement.objects.create(
        convention=convention,
        amendment=recorded,
        partner=partner,
        spec=spec,
        frequency=frequency,
        due_day=due_day,
        due_month=due_month,
    )
    audit.record(
        actor,
        "table_requirement.added",
        requirement,
        calendar=_calendar(requirement),
        amendment=recorded.number if recorded else None,
        **_about(requirement),
    )
    # The collection already open asks for it at once, not at the next daily run.
    open_current_submissions(timezone.localdate())
    _tell_partner(
        requirement,
        gettext_lazy("%(partner)s now sends « %(table)s » under this convention: %(calendar)s."),
        actor,
    )
    return requirement


@transaction.atomic(durable=True)
def change_table_calendar(
    requirement: TableRequirement,
    *,
    actor: Actor,
    frequency: str,
    due_day: int | None,
    due_month: int | None,
) -> TableRequirement:
    """The calendar newly agreed with the partner; lateness, reminders and homes follow it at once."""
    requirement = _locked(requirement)
    before = _calendar(requirement)
    requirement.frequency, requirement.due_day, requirement.due_month = frequency, due_day, due_month
    requirement.save(update_fields=["frequency", "due_day", "due_month"])
    audit.record(
        actor,
        "table_requirement.calendar_changed",
        requirement,
        before=before,
        calendar=_calendar(requirement),
        **_about(requirement),
    )
    _tell_partner(
        requirement, gettext_lazy("The calendar of « %(table)s » %(of_partner)s is now: %(calendar)s."), actor
    )
    return requirement


@transaction.atomic(durable=True)
def stop_expecting_table(
    requirement: TableRequirement, *, actor: Actor, last_data_year: int
) -> TableRequirement:
    """The table is owed up to `last_data_year` and no longer after it. Its row stays: what was received
    keeps its history. Submissions already opened for a later year are removed while nothing was sent for
    them and no other convention requires the table; a later year already sent is refused."""
    requirement = _locked(requirement)
    if requirement.ends_with_data_year is not None:
        raise TransitionError(
            _("This table is no longer expected after %(year)s.") % {"year": requirement.ends_with_data_year}
        )
    later = Submission.objects.filter(
        partner=requirement.partner, spec=requirement.spec, campaign__data_year__gt=last_data_year
    ).select_related("campaign")
    sent = later.filter(latest_version__isnull=False).order_by("campaign__data_year").first()
    if sent is not None:
        raise TransitionError(
            _("A table of %(year)s was already sent: the last data year expected cannot be before it.")
            % {"year": sent.campaign.data_year}
        )
    requirement.ends_with_data_year = last_data_year
    requirement.save(update_fields=["ends_with_data_year"])
    for campaign in Campaign.objects.filter(pk__in=later.values("campaign_id")):
        if (requirement.partner_id, requirement.spec_id) not in expected_pairs(campaign):
            later.filter(campaign=campaign).delete()
    audit.record(
        actor, "table_requirement.ended", requirement, last_data_year=last_data_year, **_about(requirement)
    )
    _tell_partner(
        requirement,
        gettext_lazy("« %(table)s » %(of_partner)s is no longer expected after the data of %(year)s."),
        actor,
        year=last_data_year,
    )
    return requirement


@transaction.atomic(durable=True)
def expect_table_again(requirement: TableRequirement, *, actor: Actor) -> TableRequirement:
    """A table no longer expected is owed again on its calendar, from the campaign open now: a table
    stopped by mistake, or taken up again with the partner. Its row is the same one, so the tables it
    received keep their history; refused while the convention has ended or the partner left it."""
    requirement = _locked(requirement)
    if requirement.ends_with_data_year is None:
        raise TransitionError(_("This table is still expected."))
    _check_may_require(requirement.convention, requirement.partner)
    last_data_year = requirement.ends_with_data_year
    requirement.ends_with_data_year = None
    requirement.save(update_fields=["ends_with_data_year"])
    audit.record(
        actor,
        "table_requirement.resumed",
        requirement,
        was_last_data_year=last_data_year,
        calendar=_calendar(requirement),
        **_about(requirement),
    )
    open_current_submissions(timezone.localdate())
    _tell_partner(
        requirement, gettext_lazy("« %(table)s » %(of_partner)s is expected again: %(calendar)s."), actor
    )
    return requirement
