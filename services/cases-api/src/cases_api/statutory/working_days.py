"""Working days for the periods counted in them (SEND Regulations 2014 regs 15 and 16).

A working day is any day other than a Saturday, a Sunday or a bank holiday in England (the usual
meaning; the regulations do not define it). This module is pure: callers pass the bank holidays as
a predicate. Without one only weekends are skipped, which is the later (more lenient) date when a
bank holiday falls in the period, so callers serving officers should pass England's holidays.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

__all__ = ["HolidayPredicate", "is_working_day", "no_holidays", "nth_working_day_beginning_with"]

HolidayPredicate = Callable[[date], bool]


def no_holidays(_: date) -> bool:
    """The default predicate: no bank holidays (weekends only)."""
    return False


def is_working_day(day: date, *, is_holiday: HolidayPredicate = no_holidays) -> bool:
    """Whether ``day`` is a working day: Monday to Friday and not a bank holiday."""
    return day.weekday() < 5 and not is_holiday(day)


def nth_working_day_beginning_with(
    start: date, n: int, *, is_holiday: HolidayPredicate = no_holidays
) -> date:
    """The last day of a period of ``n`` working days beginning with ``start``.

    ``start`` counts as the first day when it is a working day; otherwise the period begins with
    the next working day. 15 working days beginning with Monday 2 June 2025 end on Friday 20 June.
    """
    if n < 1:
        raise ValueError("a period of working days has at least one day")
    day = start
    counted = 0
    while True:
        if is_working_day(day, is_holiday=is_holiday):
            counted += 1
            if counted == n:
                return day
        day += timedelta(days=1)
