"""Exceptions to the assessment time limits (SEND Regulations 2014 reg 5(4), 8(2), 10(4), 13(3)).

Reg 8(2) also excuses advice when the family misses an appointment; that ground is not modelled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from cases_api.statutory.errors import StatutoryRuleError

__all__ = [
    "MINIMUM_QUALIFYING_DAYS",
    "ClockException",
    "ExceptionGround",
    "adjusted_due_date",
    "exception_days_between",
    "merge_exception_periods",
]

MINIMUM_QUALIFYING_DAYS = 28
"""Closure and absence grounds need a continuous period of at least 4 weeks."""

_ONE_DAY = timedelta(days=1)


class ExceptionGround(StrEnum):
    """The grounds of reg 10(4)(a)–(d), which reg 5(4), 8(2) and 13(3) repeat or refer to."""

    SETTING_CLOSED = "setting_closed"
    """(a)/(b) advice was asked of a school, college or early years provider around a closure of
    at least 4 continuous weeks. Record the regulation's window: from one week before the
    closure to one week before the re-opening (as long as the closure itself)."""
    EXCEPTIONAL_PERSONAL_CIRCUMSTANCES = "exceptional_personal_circumstances"
    """(c) exceptional personal circumstances of the child or parent, or the young person."""
    ABSENT_FROM_AREA = "absent_from_area"
    """(d) the child or parent, or the young person, is away from the area for 4 weeks or more."""

    @property
    def needs_four_weeks(self) -> bool:
        """Whether this ground requires a continuous period of at least 4 weeks."""
        return self is not ExceptionGround.EXCEPTIONAL_PERSONAL_CIRCUMSTANCES


@dataclass(frozen=True, slots=True, kw_only=True)
class ClockException:
    """A recorded exception: its ground and its first and last day (both inclusive)."""

    ground: ExceptionGround
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise StatutoryRuleError(f"exception ends ({self.end}) before it starts ({self.start})")
        if self.ground.needs_four_weeks and self.days < MINIMUM_QUALIFYING_DAYS:
            raise StatutoryRuleError(
                f"{self.ground} needs a continuous period of at least 4 weeks; got {self.days} days"
            )

    @property
    def days(self) -> int:
        """Number of days the exception covers, counting both ends."""
        return (self.end - self.start).days + 1


def merge_exception_periods(exceptions: Iterable[ClockException]) -> list[tuple[date, date]]:
    """Return the exceptions' periods sorted, with overlapping and adjacent periods merged."""
    periods = sorted((exception.start, exception.end) for exception in exceptions)
    merged: list[tuple[date, date]] = []
    for start, end in periods:
        if merged and start <= merged[-1][1] + _ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def exception_days_between(
    exceptions: Iterable[ClockException], *, first_day: date, last_day: date
) -> int:
    """Count the days from ``first_day`` to ``last_day`` (inclusive) covered by any exception."""
    total = 0
    for start, end in merge_exception_periods(exceptions):
        overlap_start, overlap_end = max(start, first_day), min(end, last_day)
        if overlap_start <= overlap_end:
            total += (overlap_end - overlap_start).days + 1
    return total


def adjusted_due_date(
    exceptions: Iterable[ClockException], *, clock_started: date, plain_due: date
) -> date:
    """Return ``plain_due`` pushed back by every exception day that falls while the clock runs.

    An operational aid, not the law: where an exception applies the regulations replace the time
    limit with 'as soon as practicable', they do not extend it by a number of days. Treating the
    clock as paused during each exception gives officers a defensible working target. The clock
    counts from the day after ``clock_started`` (the day of receipt is not counted), so exception
    days on or before it change nothing. An exception that starts on or before the (already
    extended) due date pauses the clock for all its days, including those after the plain due date.
    """
    due = plain_due
    first_running_day = clock_started + _ONE_DAY
    for start, end in merge_exception_periods(exceptions):
        start = max(start, first_running_day)
        if end < start:
            continue
        if start > due:
            break
        due += timedelta(days=(end - start).days + 1)
    return due
