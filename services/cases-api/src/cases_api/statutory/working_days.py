"""Working days in England, as the tribunal rules count them.

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
    "IsHoliday",
    "england_holidays",
    "is_working_day",
    "next_working_day_after",
    "working_day_on_or_after",
]

IsHoliday = Callable[[date], bool]
"""Whether a date is a holiday (besides weekends) for counting working days."""

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
