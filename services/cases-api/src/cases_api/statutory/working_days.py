"""Working days in England, as the tribunal rules and the SEND Regulations (regs 15, 16) count them.

The First-tier Tribunal (HESC) Rules 2008 r12(5): a working day is any day except a Saturday, a
Sunday, Christmas Day, Good Friday or a bank holiday under the Banking and Financial Dealings Act
1971 s1 (substitute days included). The calendar is a parameter, ``IsHoliday``, so the rules stay
pure and testable; ``england_holidays`` is the default, built from the maintained ``holidays``
package (United Kingdom, subdivision England), which includes Christmas Day, Good Friday, Easter
Monday, the substitute days and the one-off bank holidays proclaimed under the 1971 Act.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import cache

import holidays

__all__ = [
    "HolidayPredicate",
    "IsHoliday",
    "england_holidays",
    "is_working_day",
    "next_working_day_after",
    "no_holidays",
    "nth_working_day_beginning_with",
    "working_day_on_or_after",
]

IsHoliday = Callable[[date], bool]
"""Whether a date is a holiday (besides weekends) for counting working days."""
HolidayPredicate = IsHoliday

_ONE_DAY = timedelta(days=1)


@cache
def _england_calendar(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def england_holidays(day: date) -> bool:
    """Whether ``day`` is a bank holiday in England, Christmas Day or Good Friday."""
    return day in _england_calendar(day.year)


def is_working_day(day: date, *, is_holiday: IsHoliday = england_holidays) -> bool:
    """Whether ``day`` is a working day (r12(5)): Monday to Friday and not a holiday."""
    return day.weekday() < 5 and not is_holiday(day)


def working_day_on_or_after(day: date, *, is_holiday: IsHoliday = england_holidays) -> date:
    """Return ``day`` if it is a working day, else the next working day."""
    while not is_working_day(day, is_holiday=is_holiday):
        day += _ONE_DAY
    return day


def next_working_day_after(day: date, *, is_holiday: IsHoliday = england_holidays) -> date:
    """Return the first working day strictly after ``day``."""
    return working_day_on_or_after(day + _ONE_DAY, is_holiday=is_holiday)


def no_holidays(_: date) -> bool:
    """A calendar with no holidays (weekends only), for tests of the counting itself."""
    return False


def nth_working_day_beginning_with(
    start: date, n: int, *, is_holiday: IsHoliday = england_holidays
) -> date:
    """The last day of a period of ``n`` working days beginning with ``start``.

    ``start`` counts as the first day when it is a working day; otherwise the period begins with
    the next working day. 15 working days beginning with Monday 2 June 2025 end on Friday 20 June.
    The SEND Regulations do not define a working day; the usual meaning (not a weekend, Christmas
    Day, Good Friday or an English bank holiday) is taken, as the tribunal rules define it.
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
        day += _ONE_DAY
