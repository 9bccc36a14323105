"""Calendar arithmetic for statutory periods: days, weeks and months with clamping."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

__all__ = ["add_months", "add_weeks", "last_day_of_months_starting_with"]


def add_weeks(start: date, weeks: int) -> date:
    """Return the date ``weeks`` weeks after ``start`` (the last day of 'within N weeks of')."""
    return start + timedelta(weeks=weeks)


def _days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(start: date, months: int) -> date:
    """Return the corresponding date ``months`` later, clamped to the month's last day.

    31 January + 1 month is the last day of February; 29 February + 12 months is 28 February.
    This is the corresponding-date rule for periods counted *from* a date (Dodds v Walker [1981]).
    """
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    return date(year, month, min(start.day, _days_in_month(year, month)))


def last_day_of_months_starting_with(start: date, months: int) -> date:
    """Return the last day of a period of ``months`` months *starting with* ``start``.

    The period includes ``start``, so it ends the day before the corresponding date; where the
    target month has no corresponding date (29 February, 31st), it ends on that month's last day.
    1 March 2025 + 12 months → 28 February 2026; 29 February 2024 + 12 months → 28 February 2025.
    """
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    days_in_month = _days_in_month(year, month)
    if start.day > days_in_month:
        return date(year, month, days_in_month)
    return date(year, month, start.day) - timedelta(days=1)
