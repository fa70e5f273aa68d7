from datetime import date

import pytest

from conventions.dates import add_months
from conventions.models import Convention


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 3, 15), 1, date(2024, 4, 15)),
        (date(2024, 3, 15), 3, date(2024, 6, 15)),
        (date(2024, 1, 1), 0, date(2024, 1, 1)),
        (date(2024, 6, 30), 1, date(2024, 7, 30)),
    ],
)
def test_add_months_keeps_the_day_of_an_ordinary_date(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2024, 3, 31), 1, date(2024, 4, 30)),
        (date(2024, 8, 31), 3, date(2024, 11, 30)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(start, months, expected):
    assert add_months(start, months) == expected


def test_add_months_from_29_february_lands_on_28_february_the_next_year():
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_add_months_from_29_february_keeps_it_in_the_next_leap_year():
    assert add_months(date(2024, 2, 29), 48) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2024, 11, 20), 3, date(2025, 2, 20)),
        (date(2024, 10, 31), 3, date(2025, 1, 31)),
        (date(2024, 12, 31), 12, date(2025, 12, 31)),
        (date(2024, 12, 31), 14, date(2026, 2, 28)),
    ],
)
def test_add_months_rolls_over_into_the_next_year(start, months, expected):
    assert add_months(start, months) == expected


def convention(notice_months: int, counted_from: str) -> Convention:
    # Date arithmetic only: no database needed.
    return Convention(notice_months=notice_months, notice_counted_from=counted_from)


def test_three_months_notice_counted_from_receipt_of_the_letter():
    loire = convention(3, Convention.NoticeStart.RECEIVED)

    assert loire.notice_effective_on(date(2024, 11, 27), date(2024, 11, 30)) == date(2025, 2, 28)


def test_one_month_notice_counted_from_receipt_of_the_letter():
    pipase = convention(1, Convention.NoticeStart.RECEIVED)

    assert pipase.notice_effective_on(date(2024, 1, 29), date(2024, 1, 31)) == date(2024, 2, 29)


def test_notice_counted_from_sending_ignores_the_date_of_receipt():
    counted_from_sent = convention(3, Convention.NoticeStart.SENT)

    assert counted_from_sent.notice_effective_on(date(2024, 11, 27), date(2024, 12, 2)) == date(2025, 2, 27)


def test_the_same_letter_gives_different_dates_from_sending_and_from_receipt():
    sent, received = date(2024, 10, 30), date(2024, 11, 4)

    from_sent = convention(1, Convention.NoticeStart.SENT).notice_effective_on(sent, received)
    from_received = convention(1, Convention.NoticeStart.RECEIVED).notice_effective_on(sent, received)

    assert (from_sent, from_received) == (date(2024, 11, 30), date(2024, 12, 4))


def test_notice_crossing_the_new_year():
    assert convention(3, Convention.NoticeStart.RECEIVED).notice_effective_on(
        date(2024, 12, 10), date(2024, 12, 12)
    ) == date(2025, 3, 12)
