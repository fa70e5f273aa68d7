"""Date arithmetic of the conventions, free of Django."""

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """Calendar months, clamped to the end of the month: 30 Nov + 3 months = 28 or 29 Feb."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
