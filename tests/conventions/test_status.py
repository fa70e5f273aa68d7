from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conventions.models import Convention, Withdrawal
from tests.conventions.factories import ConventionFactory, sign

Status = Convention.Status


def convention(ends_on: date | None = date(2026, 12, 31)) -> Convention:
    return Convention(takes_effect_on=date(2024, 1, 1), ends_on=ends_on, current_ends_on=ends_on)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2023, 12, 31), Status.NOT_YET),
        (date(2024, 1, 1), Status.IN_FORCE),
        (date(2025, 6, 1), Status.IN_FORCE),
        (date(2026, 10, 1), Status.IN_FORCE),
        (date(2026, 10, 2), Status.ENDING_SOON),
        (date(2026, 12, 31), Status.ENDING_SOON),
        (date(2027, 1, 1), Status.ENDED),
    ],
)
def test_status_follows_the_dates_of_the_convention(today, expected):
    assert convention().status_on(today) == expected


def test_an_open_ended_convention_never_ends():
    assert convention(ends_on=None).status_on(date(2090, 1, 1)) == Status.IN_FORCE


def test_a_convention_with_a_partner_under_notice_is_under_notice():
    assert convention().status_on(date(2025, 6, 1), any_under_notice=True) == Status.UNDER_NOTICE


def test_ending_soon_outranks_a_notice_in_progress():
    assert convention().status_on(date(2026, 11, 1), any_under_notice=True) == Status.ENDING_SOON


def test_an_ended_convention_stays_ended_whatever_the_notices():
    assert convention().status_on(date(2027, 2, 1), any_under_notice=True) == Status.ENDED


def test_status_uses_the_end_date_changed_by_amendment():
    extended = convention()
    extended.current_ends_on = date(2028, 12, 31)

    assert extended.status_on(date(2027, 6, 1)) == Status.IN_FORCE


@pytest.mark.django_db
def test_todays_status_shows_a_pending_withdrawal_then_in_force_once_applied(partner):
    loire = ConventionFactory(multipartite=True)
    withdrawal = Withdrawal.objects.create(
        signatory=sign(loire, partner),
        letter_sent_on=date(2024, 11, 27),
        letter_received_on=date(2024, 11, 30),
        effective_on=date(2025, 2, 28),
    )

    with time_machine.travel(datetime(2025, 1, 15, 12, tzinfo=ZoneInfo("Europe/Paris")), tick=False):
        assert loire.status == Status.UNDER_NOTICE
        withdrawal.applied_at = datetime(2025, 1, 15, 12, tzinfo=ZoneInfo("Europe/Paris"))
        withdrawal.save()
        assert Convention.objects.get(pk=loire.pk).status == Status.IN_FORCE
