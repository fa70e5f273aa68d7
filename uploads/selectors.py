"""Reads: which tables are expected, and what a person may see of the collection."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conventions.models import Convention, Decision, Partner, Signatory
from conventions.selectors import indicator_list_decisions
from odpe.accounts import access
from odpe.accounts.access import is_reviewer, partners_followed_by
from uploads.models import (
    Campaign,
    CatalogueVersion,
    Indicator,
    ReminderSent,
    Submission,
    SubmissionVersion,
    TableRequirement,
    TableSpec,
)


def due_dates(campaign: Campaign, on: date | None = None) -> dict[tuple, date]:
    """Due date of each (partner id, spec id) pair a campaign expects, from the conventions in force on `on`.

    A requirement counts while its convention is in force, the partner is still a party to it (or to the
    framework convention it applies) and its agreed frequency asks for the campaign's data year: a partner
    whose withdrawal took effect drops out. Each pair is due on the date its application convention agreed,
    or the campaign's; the earliest wins when two conventions require the same table.
    """
    on = max(on or timezone.localdate(), campaign.opens_on)
    requirements = TableRequirement.objects.filter(
        Q(amendment__isnull=True) | Q(amendment__takes_effect_on__lte=on)
    ).select_related("convention")
    active = set(Signatory.objects.active_on(on).values_list("convention_id", "partner_id"))
    dates: dict[tuple, date] = {}
    for requirement in requirements:
        convention = requirement.convention
        if convention.status_on(on) in (Convention.Status.NOT_YET, Convention.Status.ENDED):
            continue
        if not requirement.expects(campaign.data_year):
            continue
        parties = {convention.pk, convention.parent_id}
        if any((convention_id, requirement.partner_id) in active for convention_id in parties):
            pair = (requirement.partner_id, requirement.spec_id)
            due_on = requirement.due_on_for(campaign)
            dates[pair] = min(due_on, dates.get(pair, due_on))
    return dates


def expected_pairs(campaign: Campaign, on: date | None = None) -> set[tuple]:
    """(partner id, spec id) pairs a campaign expects (see `due_dates`)."""
    return set(due_dates(campaign, on))


def due_date_of(submission: Submission, today: date | None = None) -> date:
    """The date this table is due: agreed with its partner, or the campaign's."""
    dates = due_dates(submission.campaign, today)
    return dates.get((submission.partner_id, submission.spec_id), submission.campaign.due_on)


def reminders_of(submission: Submission) -> QuerySet[ReminderSent]:
    """The reminders sent for this table, the oldest first."""
    return ReminderSent.objects.filter(
        campaign_id=submission.campaign_id, partner_id=submission.partner_id, spec_id=submission.spec_id
    ).select_related("sent_by")


def submissions_visible_to(user) -> QuerySet[Submission]:
    submissions = Submission.objects.select_related("campaign", "partner", "spec", "latest_version")
    if is_reviewer(user):
        return submissions
    return submissions.filter(partner__in=partners_followed_by(user))


def get_submission_for(user, pk) -> Submission:
    return get_object_or_404(submissions_visible_to(user), pk=pk)


def versions_visible_to(user) -> QuerySet[SubmissionVersion]:
    versions = SubmissionVersion.objects.select_related(
        "submission__campaign", "submission__partner", "submission__spec", "uploaded_by"
    )
    if is_reviewer(user):
        return versions
    return versions.filter(submission__partner__in=partners_followed_by(user))


def get_version_for(user, pk) -> SubmissionVersion:
    return get_object_or_404(versions_visible_to(user), pk=pk)


def get_contributing_partner_for(user, pk) -> Partner:
    """A partner whose collection the user takes part in: reviewers all, correspondents their own."""
    partners = Partner.objects.all() if is_reviewer(user) else partners_followed_by(user)
    return get_object_or_404(partners, pk=pk)


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    return Campaign.objects.all()


def get_campaign_for(user, pk) -> Campaign:
    return get_object_or_404(campaigns_visible_to(user), pk=pk)


def review_queue() -> QuerySet[SubmissionVersion]:
    return (
        SubmissionVersion.objects.filter(status=SubmissionVersion.Status.TO_REVIEW)
        .select_related("submission__campaign", "submission__partner", "submission__spec", "uploaded_by")
        .order_by("uploaded_at")
    )


@dataclass(frozen=True)
class CollectionYear:
    """One campaign as a correspondent sees it: what their institutions owe, and whether any of it is late."""

    campaign: Campaign
    submissions: list[Submission]
    late: list[Submission]

    @property
    def partners(self) -> list[Partner]:
        """The institutions that owe a table this year: those with a template to download."""
        return list({submission.partner_id: submission.partner for submission in self.submissions}.values())


def collection_years(user, today: date | None = None) -> list[CollectionYear]:
    today = today or timezone.localdate()
    submissions = (
        submissions_visible_to(user)
        .filter(partner__in=partners_followed_by(user))
        .select_related("accepted_version")
        .order_by("partner__name", "spec__code")
    )
    years = []
    for campaign in campaigns_visible_to(user).filter(opens_on__lte=today):
        dates = due_dates(campaign, today)
        owed = [submission for submission in submissions if submission.campaign_id == campaign.pk]
        for submission in owed:
            submission.due_on = dates.get((submission.partner_id, submission.spec_id), campaign.due_on)
        late = [submission for submission in owed if submission.is_late_on(today, submission.due_on)]
        years.append(CollectionYear(campaign=campaign, submissions=owed, late=late))
    return years


def specs_visible_to(user) -> QuerySet[TableSpec]:
    return TableSpec.objects.prefetch_related("columns__indicator")


def get_spec_for(user, pk) -> TableSpec:
    return get_object_or_404(specs_visible_to(user), pk=pk)


@dataclass(frozen=True)
class MatrixCell:
    submission: Submission | None
    expected: bool
    late: bool
    due_on: date
    reminders: list[ReminderSent]

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else SubmissionVersion.Status.MISSING

    def get_status_display(self) -> str:
        if self.submission:
            return self.submission.get_status_display()
        return SubmissionVersion.Status.MISSING.label


@dataclass(frozen=True)
class MatrixRow:
    partner: Partner
    cells: list[MatrixCell | None]
    correspondents: list  # whom to contact: the people acting for the partner


def completeness_matrix(
    campaign: Campaign, today: date | None = None
) -> tuple[list[TableSpec], list[MatrixRow]]:
    """Partners × tables of a campaign: what was expected, what arrived, and what is late."""
    today = today or timezone.localdate()
    dates = due_dates(campaign, today)
    expected = set(dates)
    submissions = {
        (s.partner_id, s.spec_id): s
        for s in campaign.submissions.select_related("partner", "spec", "latest_version", "campaign")
    }
    pairs = expected | {pair for pair, s in submissions.items() if s.latest_version_id}
    partners = Partner.objects.in_bulk({partner_id for partner_id, _ in pairs})
    contacts = access.correspondents_acting_for_each(partners.values())
    reminders: dict[tuple, list[ReminderSent]] = {}
    for reminder in campaign.reminders.select_related("sent_by"):
        reminders.setdefault((reminder.partner_id, reminder.spec_id), []).append(reminder)
    specs = TableSpec.objects.in_bulk({spec_id for _, spec_id in pairs})
    ordered_specs = sorted(specs.values(), key=lambda spec: spec.code)
    rows = []
    for partner in sorted(partners.values(), key=lambda partner: partner.name):
        cells = []
        for spec in ordered_specs:
            if (partner.pk, spec.pk) not in pairs:
                cells.append(None)
                continue
            submission = submissions.get((partner.pk, spec.pk))
            is_expected = (partner.pk, spec.pk) in expected
            due_on = dates.get((partner.pk, spec.pk), campaign.due_on)
            late = is_expected and (submission.is_late_on(today, due_on) if submission else today > due_on)
            cells.append(
                MatrixCell(
                    submission=submission,
                    expected=is_expected,
                    late=late,
                    due_on=due_on,
                    reminders=reminders.get((partner.pk, spec.pk), []),
                )
            )
        rows.append(MatrixRow(partner=partner, cells=cells, correspondents=contacts[partner.pk]))
    return ordered_specs, rows


# The indicator catalogue --------------------------------------------------------------------------------


def adopted_catalogue() -> CatalogueVersion | None:
    """The latest version adopted by a decision, with the body and meeting that adopted it."""
    return (
        CatalogueVersion.objects.select_related("adopted_by__meeting__body")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.select_related("numerator", "denominator").order_by(
                    "domain", "code"
                ),
            )
        )
        .order_by("-number")
        .first()
    )


def indicators_not_adopted(version: CatalogueVersion | None) -> QuerySet[Indicator]:
    """Indicators added to the catalogue since its adopted version: the next decision adopts them."""
    indicators = Indicator.objects.select_related("numerator", "denominator").order_by("domain", "code")
    return indicators.exclude(pk__in=version.indicators.all()) if version else indicators


def get_indicator(pk) -> Indicator:
    """Any indicator of the catalogue: every role reads it (the page says who may change it)."""
    return get_object_or_404(Indicator, pk=pk)


def decisions_to_adopt_a_catalogue() -> QuerySet[Decision]:
    """Decisions adopting the list of indicators that have not adopted a version yet."""
    return indicator_list_decisions().filter(catalogue_version__isnull=True)


# The expected tables of a convention ------------------------------------------------------------------


def requirements_visible_to(user) -> QuerySet[TableRequirement]:
    """Expected tables are kept by the ODPE team (`access.REVIEWERS`); nobody else reads them here."""
    requirements = TableRequirement.objects.select_related("convention", "partner", "spec", "amendment")
    return requirements if is_reviewer(user) else requirements.none()


def get_requirement_for(user, pk) -> TableRequirement:
    return get_object_or_404(requirements_visible_to(user), pk=pk)


def expected_tables_of(user, convention: Convention) -> QuerySet[TableRequirement]:
    """The tables a convention requires, by partner then table: the ended ones too, for the record."""
    return (
        requirements_visible_to(user).filter(convention=convention).order_by("partner__name", "spec__title")
    )


def partners_in_force(convention: Convention, on: date | None = None) -> QuerySet[Partner]:
    """The partners that may be asked for a table under `convention` today: its parties taking part, or
    those of the framework convention it applies (as `due_dates` counts them)."""
    on = on or timezone.localdate()
    parties = Signatory.objects.active_on(on).filter(
        Q(convention=convention) | Q(convention_id=convention.parent_id)
    )
    return Partner.objects.filter(pk__in=parties.values("partner_id")).order_by("name")


def specs_sent_under(partner: Partner, convention: Convention) -> QuerySet:
    """The table specs whose figures the partner sends under the convention: those it requires of the
    partner, or that an application convention made under it does (what its exit policy destroys)."""
    return TableRequirement.objects.filter(
        Q(convention=convention) | Q(convention__parent=convention), partner=partner
    ).values("spec_id")
