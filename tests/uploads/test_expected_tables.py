"""The tables a partner owes under a convention, and their agreed calendars (Loire art. 4), kept in the
site: expected by the convention or by an amendment, calendar changed, no longer expected, expected again."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from conventions.models import Amendment
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from tests.conventions.factories import ConventionFactory
from tests.uploads.factories import (
    CampaignFactory,
    TableRequirementFactory,
    TableSpecFactory,
    xlsx_upload,
)
from uploads import expected_tables, services
from uploads.models import Submission, TableRequirement
from uploads.selectors import due_dates
from uploads.worklist import tables_owed_by

pytestmark = pytest.mark.django_db

# The 2025 collection: open from 5 January 2026, due 31 March 2026 unless a partner agreed otherwise.
TODAY, OPENS, DUE = date(2026, 2, 2), date(2026, 1, 5), date(2026, 3, 31)


@pytest.fixture(autouse=True)
def on_a_day_of_the_2025_collection():
    moment = datetime(2026, 2, 2, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture(autouse=True)
def partner_with_its_article(partner):
    partner.article = "la"
    partner.save(update_fields=["article"])


@pytest.fixture
def campaign(db):
    return CampaignFactory(data_year=2025, opens_on=OPENS, due_on=DUE)


@pytest.fixture
def convention(partner):
    return ConventionFactory(bilateral=True, reference="CA-CAF", parties=[partner])


@pytest.fixture
def requirement(convention, partner, campaign):
    """A table the convention requires, its 2025 submission opened."""
    requirement = TableRequirementFactory(
        convention=convention, partner=partner, spec__title="Allocataires", signed=False
    )
    services.open_submissions(campaign)
    return requirement


def calendar_url(requirement):
    return reverse("uploads:expected_table_calendar", args=[requirement.pk])


def owed_due_dates(user) -> list[date]:
    return [task.due_on for task in tables_owed_by(user, TODAY)]


# The page ------------------------------------------------------------------------------------------


def test_the_page_lists_each_table_with_its_calendar_in_french_and_where_it_came_from(
    referent_client, requirement, convention, partner
):
    amendment = Amendment.objects.create(
        convention=convention,
        number=1,
        signed_on=date(2025, 6, 1),
        takes_effect_on=date(2025, 7, 1),
        subject="Tableau des mesures",
        effect=Amendment.Effect.ADDITIONAL_DATA_SUPPLY,
    )
    TableRequirementFactory(
        convention=convention,
        partner=partner,
        amendment=amendment,
        spec__title="Mesures",
        due_day=31,
        due_month=3,
        signed=False,
    )

    response = referent_client.get(reverse("uploads:expected_tables", args=[convention.pk]))

    assertContains(response, "La Caisse d&#x27;Allocations Familiales de la Loire")
    assertContains(response, "Chaque année, le 31 mars de l’année suivante")
    assertContains(response, "Chaque année, à la date de la campagne")
    assertContains(response, "Avenant n° 1, en vigueur le 1er juillet 2025")
    assertContains(response, "La convention elle-même")


def test_the_page_reads_the_same_few_queries_however_many_tables(
    referent_client, convention, partner, django_assert_max_num_queries
):
    for _ in range(12):
        TableRequirementFactory(convention=convention, partner=partner, signed=False)

    with django_assert_max_num_queries(12):
        response = referent_client.get(reverse("uploads:expected_tables", args=[convention.pk]))

    assert len(response.context["requirements"]) == 12


def test_the_convention_page_links_to_its_expected_tables_for_the_odpe_team_only(
    referent_client, member_client, convention
):
    url = reverse("uploads:expected_tables", args=[convention.pk])

    assertContains(referent_client.get(convention.get_absolute_url()), f'href="{url}"')
    assertNotContains(member_client.get(convention.get_absolute_url()), f'href="{url}"')


def test_a_correspondent_cannot_change_expected_tables(correspondent_client, requirement, convention):
    assert (
        correspondent_client.get(reverse("uploads:expected_tables", args=[convention.pk])).status_code == 403
    )
    response = correspondent_client.post(
        calendar_url(requirement), {"frequency": "every_year", "due_day": 30, "due_month": 4}
    )

    assert response.status_code == 403
    requirement.refresh_from_db()
    assert requirement.due_day is None


# Calendars -----------------------------------------------------------------------------------------


def test_referent_agrees_a_partner_calendar_and_the_home_shows_the_new_date(
    referent_client, correspondent, correspondent_client, requirement, django_capture_on_commit_callbacks
):
    assert owed_due_dates(correspondent) == [DUE]

    with django_capture_on_commit_callbacks(execute=True):
        response = referent_client.post(
            calendar_url(requirement), {"frequency": "every_year", "due_day": 30, "due_month": 4}
        )

    assertRedirects(response, reverse("uploads:expected_tables", args=[requirement.convention_id]))
    assert owed_due_dates(correspondent) == [date(2026, 4, 30)]
    assertContains(correspondent_client.get(reverse("home")), "30 avril 2026")
    event = AuditEvent.objects.get(action="table_requirement.calendar_changed")
    assert event.details["before"] == "chaque année, à la date de la campagne"
    assert event.details["calendar"] == "chaque année, le 30 avril de l’année suivante"
    [message] = [m for m in mail.outbox if correspondent.email in m.to]
    assert "le 30 avril de l’année suivante" in message.body


def test_an_agreed_day_without_its_month_is_refused_with_a_message(referent_client, requirement):
    response = referent_client.post(calendar_url(requirement), {"frequency": "every_year", "due_day": 30})

    assertContains(response, "Indiquez à la fois le jour et le mois de l’échéance convenue")
    requirement.refresh_from_db()
    assert requirement.due_day is None


# Expecting a table ---------------------------------------------------------------------------------


def test_adding_a_table_by_amendment_records_the_amendment(
    admin_client, convention, partner, campaign, correspondent, django_capture_on_commit_callbacks
):
    spec = TableSpecFactory(title="Informations préoccupantes")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("uploads:expected_table_add", args=[convention.pk]),
            {
                "partner": partner.pk,
                "spec": spec.pk,
                "frequency": "every_year",
                "due_day": 15,
                "due_month": 5,
                "by_amendment": "on",
                "signed_on": "2026-01-20",
                "takes_effect_on": "2026-02-01",
                "subject": "Informations préoccupantes",
            },
        )

    assertRedirects(response, reverse("uploads:expected_tables", args=[convention.pk]))
    amendment = Amendment.objects.get(convention=convention)
    assert (amendment.number, amendment.effect) == (1, Amendment.Effect.ADDITIONAL_DATA_SUPPLY)
    requirement = TableRequirement.objects.get(convention=convention, spec=spec)
    assert requirement.amendment == amendment
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "amendment.recorded",
        "table_requirement.added",
    }
    assert AuditEvent.objects.get(action="table_requirement.added").details["amendment"] == 1
    # The open collection asks for it at once, on its agreed date.
    assert Submission.objects.filter(campaign=campaign, partner=partner, spec=spec).exists()
    assert owed_due_dates(correspondent) == [date(2026, 5, 15)]
    assert any("Informations préoccupantes" in m.body for m in mail.outbox if correspondent.email in m.to)


def test_a_referent_adds_a_table_under_the_convention_but_records_no_amendment(
    referent_client, convention, partner
):
    spec = TableSpecFactory()
    url = reverse("uploads:expected_table_add", args=[convention.pk])
    assert "by_amendment" not in referent_client.get(url).context["form"].fields

    referent_client.post(
        url,
        {
            "partner": partner.pk,
            "spec": spec.pk,
            "frequency": "every_year",
            "by_amendment": "on",
            "subject": "x",
        },
    )

    assert TableRequirement.objects.get(spec=spec).amendment is None
    assert not Amendment.objects.exists()


def test_only_a_partner_taking_part_in_the_convention_can_be_asked_for_a_table(
    referent_client, convention, other_partner
):
    spec = TableSpecFactory()

    response = referent_client.post(
        reverse("uploads:expected_table_add", args=[convention.pk]),
        {"partner": other_partner.pk, "spec": spec.pk, "frequency": "every_year"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["partner"]
    assert not TableRequirement.objects.exists()


def test_expecting_the_same_table_twice_is_refused_with_a_message(referent_client, requirement, partner):
    response = referent_client.post(
        reverse("uploads:expected_table_add", args=[requirement.convention_id]),
        {"partner": partner.pk, "spec": requirement.spec_id, "frequency": "odd_years"},
    )

    assertContains(response, "doit déjà «\u00a0Allocataires\u00a0» au titre de cette convention")
    assert TableRequirement.objects.count() == 1


def test_an_amendment_that_fails_leaves_no_table_behind(admin_user, convention, partner):
    """The amendment and its table are one act: a refused table takes its amendment back with it."""
    spec = TableSpecFactory()
    TableRequirementFactory(convention=convention, partner=partner, spec=spec, signed=False)
    amendment = {"signed_on": date(2026, 1, 1), "takes_effect_on": date(2026, 1, 1), "subject": "Tableau"}

    with pytest.raises(TransitionError):
        expected_tables.expect_table(
            convention, actor=Actor(user=admin_user), partner=partner, spec=spec, amendment=amendment
        )

    assert not Amendment.objects.exists()


# No longer expecting a table -----------------------------------------------------------------------


def test_a_table_no_longer_expected_is_not_owed_after_its_last_year(
    referent_client, requirement, campaign, correspondent
):
    response = referent_client.post(
        reverse("uploads:expected_table_stop", args=[requirement.pk]), {"last_data_year": 2024}
    )

    assertRedirects(response, reverse("uploads:expected_tables", args=[requirement.convention_id]))
    requirement.refresh_from_db()
    assert requirement.ends_with_data_year == 2024
    assert due_dates(campaign, TODAY) == {}
    assert owed_due_dates(correspondent) == []  # the empty 2025 submission is gone
    assert AuditEvent.objects.get(action="table_requirement.ended").details["last_data_year"] == 2024


def test_a_table_already_sent_for_a_later_year_keeps_being_expected(
    referent_client, requirement, campaign, correspondent
):
    submission = Submission.objects.get(campaign=campaign)
    services.receive_upload(
        submission, actor=Actor(user=correspondent), uploaded_file=xlsx_upload(), attested=True
    )

    response = referent_client.post(
        reverse("uploads:expected_table_stop", args=[requirement.pk]), {"last_data_year": 2024}
    )

    assertContains(response, "Un tableau de 2025 a déjà été envoyé")
    requirement.refresh_from_db()
    assert requirement.ends_with_data_year is None


def test_a_submission_another_convention_still_requires_stays_open(
    admin_user, requirement, campaign, partner
):
    other = ConventionFactory(parties=[partner])
    TableRequirementFactory(convention=other, partner=partner, spec=requirement.spec, signed=False)

    expected_tables.stop_expecting_table(requirement, actor=Actor(user=admin_user), last_data_year=2024)

    assert Submission.objects.filter(campaign=campaign, partner=partner).exists()
    assert (partner.pk, requirement.spec_id) in due_dates(campaign, TODAY)


# Expecting a table again ------------------------------------------------------------------------


def test_a_table_stopped_by_mistake_is_expected_again_from_its_page(
    referent_client, requirement, campaign, correspondent, django_capture_on_commit_callbacks
):
    expected_tables.stop_expecting_table(requirement, actor=Actor(user=correspondent), last_data_year=2024)
    page = referent_client.get(reverse("uploads:expected_tables", args=[requirement.convention_id]))
    assertContains(page, reverse("uploads:expected_table_resume", args=[requirement.pk]))

    with django_capture_on_commit_callbacks(execute=True):
        response = referent_client.post(reverse("uploads:expected_table_resume", args=[requirement.pk]))

    assertRedirects(response, reverse("uploads:expected_tables", args=[requirement.convention_id]))
    requirement.refresh_from_db()
    assert requirement.ends_with_data_year is None
    assert owed_due_dates(correspondent) == [DUE]  # the 2025 submission is open again
    event = AuditEvent.objects.get(action="table_requirement.resumed")
    assert event.details["was_last_data_year"] == 2024
    [message] = [m for m in mail.outbox if correspondent.email in m.to]
    assert (
        "« Allocataires » de la Caisse d'Allocations Familiales de la Loire est de nouveau attendu"
        in message.body
    )


def test_a_table_still_expected_is_not_expected_twice(referent_client, requirement):
    response = referent_client.post(reverse("uploads:expected_table_resume", args=[requirement.pk]))

    assertContains(response, "Ce tableau est toujours attendu.")
    assert not AuditEvent.objects.filter(action="table_requirement.resumed").exists()


def test_a_table_of_an_ended_convention_cannot_be_expected_again(admin_user, requirement):
    expected_tables.stop_expecting_table(requirement, actor=Actor(user=admin_user), last_data_year=2024)
    requirement.convention.closed_at = requirement.convention.created_at
    requirement.convention.save(update_fields=["closed_at"])

    with pytest.raises(TransitionError):
        expected_tables.expect_table_again(requirement, actor=Actor(user=admin_user))
    requirement.refresh_from_db()
    assert requirement.ends_with_data_year == 2024


# The Django admin ----------------------------------------------------------------------------------


def test_the_django_admin_shows_expected_tables_without_changing_them(admin_client, requirement):
    assert admin_client.get(reverse("admin:uploads_tablerequirement_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:uploads_tablerequirement_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:uploads_tablerequirement_change", args=[requirement.pk]),
        {"due_day": 1, "due_month": 1},
    )
    assert response.status_code == 403
    requirement.refresh_from_db()
    assert requirement.due_day is None
