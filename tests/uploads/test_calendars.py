"""Per-partner calendars: each expected table is due on the date and at the frequency its application
convention agreed (Loire art. 4), or on the campaign's due date."""

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from odpe.worklist import Urgency
from tests.uploads.factories import CampaignFactory, SubmissionFactory, TableRequirementFactory
from uploads.models import TableRequirement
from uploads.reminders import send_due_reminders
from uploads.selectors import collection_years, completeness_matrix, due_dates
from uploads.worklist import tables_owed_by

# The 2025 collection: open from 5 January 2026, due 31 March 2026 unless a partner agreed otherwise.
OPENS, DUE, AGREED = date(2026, 1, 5), date(2026, 3, 31), date(2026, 4, 30)


@pytest.fixture
def campaign(db):
    return CampaignFactory(data_year=2025, opens_on=OPENS, due_on=DUE)


@pytest.fixture
def agreed(campaign, partner):
    requirement = TableRequirementFactory(partner=partner, agreed_calendar=True)
    SubmissionFactory(campaign=campaign, partner=partner, spec=requirement.spec)
    return requirement


def test_a_table_is_due_on_the_date_its_application_convention_agreed(campaign, agreed):
    assert due_dates(campaign, OPENS) == {(agreed.partner_id, agreed.spec_id): AGREED}


def test_a_table_without_an_agreed_date_is_due_with_the_campaign(campaign, requirement):
    assert due_dates(campaign, OPENS) == {(requirement.partner_id, requirement.spec_id): DUE}


def test_the_31st_agreed_falls_on_the_last_day_of_a_shorter_month(campaign, partner):
    TableRequirementFactory(partner=partner, due_day=31, due_month=2)

    assert list(due_dates(campaign, OPENS).values()) == [date(2026, 2, 28)]


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        (TableRequirement.Frequency.EVERY_YEAR, True),
        (TableRequirement.Frequency.ODD_YEARS, True),
        (TableRequirement.Frequency.EVEN_YEARS, False),
    ],
)
def test_a_table_is_expected_only_in_the_years_its_frequency_names(campaign, partner, frequency, expected):
    TableRequirementFactory(partner=partner, frequency=frequency)

    assert bool(due_dates(campaign, OPENS)) is expected


def test_an_agreed_day_needs_its_month(partner):
    with pytest.raises(IntegrityError):
        TableRequirementFactory(partner=partner, due_day=30, due_month=None)


def test_a_table_with_a_later_agreed_date_is_not_late_after_the_campaigns_date(campaign, agreed):
    (row,) = completeness_matrix(campaign, date(2026, 4, 15))[1]

    assert [(cell.due_on, cell.late) for cell in row.cells] == [(AGREED, False)]


def test_a_table_is_late_the_day_after_its_agreed_date(campaign, agreed):
    (row,) = completeness_matrix(campaign, date(2026, 5, 1))[1]

    assert [cell.late for cell in row.cells] == [True]


def test_the_correspondent_sees_the_agreed_date_and_no_lateness_before_it(campaign, agreed, correspondent):
    (year,) = collection_years(correspondent, date(2026, 4, 15))

    assert [submission.due_on for submission in year.submissions] == [AGREED]
    assert year.late == []


@time_machine.travel(date(2026, 4, 15))
def test_the_collection_page_shows_each_tables_agreed_date(campaign, agreed, correspondent_client):
    response = correspondent_client.get(reverse("uploads:collection"))

    assertContains(response, "30 avril 2026")
    assertNotContains(response, "La date limite est dépassée")


@time_machine.travel(date(2026, 4, 15))
def test_the_matrix_shows_an_agreed_date_that_differs_from_the_campaigns(campaign, agreed, referent_client):
    response = referent_client.get(campaign.get_absolute_url())

    assertContains(response, "à rendre le 30 avril 2026")


def test_reminders_follow_the_agreed_date(campaign, agreed, correspondent):
    for day in [OPENS, date(2026, 3, 28), date(2026, 4, 1), date(2026, 4, 27), date(2026, 5, 1)]:
        send_due_reminders(day)

    assert [message.subject for message in mail.outbox] == [
        "Vos tableaux 2025 sont attendus au plus tard le 30 avril 2026",
        "Vos tableaux 2025 sont attendus au plus tard le 30 avril 2026",
        "Vos tableaux 2025 sont en retard",
    ]


def test_the_correspondents_home_shows_the_agreed_date_of_a_table_owed(campaign, agreed, correspondent):
    (owed,) = tables_owed_by(correspondent, date(2026, 4, 15))

    assert owed.due_on == AGREED
    assert owed.urgency != Urgency.LATE
