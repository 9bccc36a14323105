"""Exceptions to the assessment time limits (SEND Regulations 2014 reg 5(4), 8(2), 10(4), 13(3)).

Each limit "need not be complied with if it is impractical to do so because" of a listed
circumstance. Our reading, the stricter one where the text leaves room:

- The circumstance must fall *within the period* of the limit it excuses (the days the clock runs:
  from the day after it starts to the plain due date), for the duration the ground states *within*
  that period. An absence from the area of 4 weeks that lies mostly before the request was received
  does not excuse the 20 weeks; exceptional personal circumstances need no length but must overlap
  the period. Days outside the period count for nothing.
- The closure ground (reg 5(4)(a), 10(4)(a)) is about the head teacher's advice: it applies when the
  school or post-16 institution "was closed for a continuous period of not less than 4 weeks" (the
  closure itself lasts 4 weeks or more, so the record is the closure's first and last day) and the
  LA "requested advice from the head teacher or principal" during the window "beginning one week
  before" the first day of the closure "and ending one week before the date on which it re-opens"
  (the day after the closure's last day). Without the date of that request (``advice_requested_on``)
  the ground cannot be shown and excuses nothing; the request must itself fall within the period.
- Advice (reg 8) has its own grounds: exceptional personal circumstances, absence from the area for
  4 weeks or more, and a missed appointment for an examination or test made by the adviser during
  the six weeks (recorded on the advice request, see ``clock.AdviceRequest``); the closure ground is
  not one of them. The LA's own limits (reg 5(4), 10(4), applied to the final plan by reg 13(3))
  take the closure ground and not the missed appointment; whether reg 10(4) also lists a missed
  appointment is a reading we do not rely on (the stricter one: it does not excuse the LA).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from cases_api.statutory.errors import StatutoryRuleError

__all__ = [
    "ADVICE_GROUNDS",
    "CLOSURE_WINDOW_LEAD_DAYS",
    "LOCAL_AUTHORITY_GROUNDS",
    "MINIMUM_QUALIFYING_DAYS",
    "ClockException",
    "ExceptionGround",
    "adjusted_due_date",
    "closure_advice_window",
    "exception_days_between",
    "excuses",
    "merge_exception_periods",
]

MINIMUM_QUALIFYING_DAYS = 28
"""Closure and absence grounds need a continuous period of at least 4 weeks."""
CLOSURE_WINDOW_LEAD_DAYS = 7
"""Reg 10(4)(a): the window begins and ends one week before the closure and the re-opening."""

_ONE_DAY = timedelta(days=1)


class ExceptionGround(StrEnum):
    """The grounds of reg 5(4), 8(2) and 10(4) recorded as periods."""

    SETTING_CLOSED = "setting_closed"
    """Reg 5(4)(a), 10(4)(a): the school or post-16 institution was closed for 4 continuous weeks
    or more (record the closure's first and last day) and the LA asked its head teacher or
    principal for advice from one week before the closure to one week before it re-opened."""
    EXCEPTIONAL_PERSONAL_CIRCUMSTANCES = "exceptional_personal_circumstances"
    """Reg 5(4), 8(2), 10(4): exceptional personal circumstances of the child or parent, or the
    young person."""
    ABSENT_FROM_AREA = "absent_from_area"
    """Reg 5(4), 8(2), 10(4): the child or parent, or the young person, is away from the area for a
    continuous period of 4 weeks or more."""

    @property
    def needs_four_weeks(self) -> bool:
        """Whether this ground requires a continuous period of at least 4 weeks."""
        return self is not ExceptionGround.EXCEPTIONAL_PERSONAL_CIRCUMSTANCES


LOCAL_AUTHORITY_GROUNDS = frozenset(ExceptionGround)
"""The grounds that excuse the LA's limits (reg 5(4), 10(4), 13(3))."""
ADVICE_GROUNDS = frozenset(
    {ExceptionGround.EXCEPTIONAL_PERSONAL_CIRCUMSTANCES, ExceptionGround.ABSENT_FROM_AREA}
)
"""The recorded grounds that excuse an adviser's six weeks (reg 8(2)); no closure ground."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ClockException:
    """A recorded exception: its ground and its first and last day (both inclusive).

    ``advice_requested_on`` is for ``SETTING_CLOSED`` only: the day the LA asked the head teacher
    or principal for advice, which must fall in ``closure_advice_window``.
    """

    ground: ExceptionGround
    start: date
    end: date
    advice_requested_on: date | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise StatutoryRuleError(f"exception ends ({self.end}) before it starts ({self.start})")
        if self.ground.needs_four_weeks and self.days < MINIMUM_QUALIFYING_DAYS:
            raise StatutoryRuleError(
                f"{self.ground} needs a continuous period of at least 4 weeks; got {self.days} days"
            )
        if self.advice_requested_on is None:
            return
        if self.ground is not ExceptionGround.SETTING_CLOSED:
            raise StatutoryRuleError(
                "advice_requested_on belongs to the setting_closed ground only"
            )
        first, last = closure_advice_window(self)
        if not first <= self.advice_requested_on <= last:
            raise StatutoryRuleError(
                f"the head teacher was asked for advice on {self.advice_requested_on}, outside the "
                f"window reg 10(4)(a) describes for this closure ({first} to {last}: from one week "
                "before the closure to one week before the re-opening)"
            )

    @property
    def days(self) -> int:
        """Number of days the exception covers, counting both ends."""
        return (self.end - self.start).days + 1


def closure_advice_window(closure: ClockException) -> tuple[date, date]:
    """Return the first and last day on which asking the head teacher for advice brings a closure
    within reg 10(4)(a): one week before the closure to one week before the re-opening."""
    lead = timedelta(days=CLOSURE_WINDOW_LEAD_DAYS)
    reopens_on = closure.end + _ONE_DAY
    return closure.start - lead, reopens_on - lead


def excuses(
    exception: ClockException,
    *,
    first_day: date,
    last_day: date,
    grounds: frozenset[ExceptionGround] = LOCAL_AUTHORITY_GROUNDS,
) -> bool:
    """Whether ``exception`` excuses a limit whose clock runs from ``first_day`` to ``last_day``.

    The ground must be one the limit accepts (``grounds``) and the circumstance must fall within
    the period: absence for 4 continuous weeks within it; exceptional personal circumstances on at
    least one day of it; a closure that overlaps it, with the head teacher asked for advice within
    both the period and the reg 10(4)(a) window (see the module docstring).
    """
    if exception.ground not in grounds:
        return False
    overlap_start, overlap_end = max(exception.start, first_day), min(exception.end, last_day)
    if overlap_end < overlap_start:
        return False
    if exception.ground is ExceptionGround.ABSENT_FROM_AREA:
        return (overlap_end - overlap_start).days + 1 >= MINIMUM_QUALIFYING_DAYS
    if exception.ground is ExceptionGround.SETTING_CLOSED:
        asked = exception.advice_requested_on
        return asked is not None and first_day <= asked <= last_day
    return True


def _excusing(
    exceptions: Iterable[ClockException],
    *,
    first_day: date,
    last_day: date,
    grounds: frozenset[ExceptionGround],
) -> list[ClockException]:
    return [
        e for e in exceptions if excuses(e, first_day=first_day, last_day=last_day, grounds=grounds)
    ]


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
    exceptions: Iterable[ClockException],
    *,
    first_day: date,
    last_day: date,
    grounds: frozenset[ExceptionGround] = LOCAL_AUTHORITY_GROUNDS,
) -> int:
    """Count the days from ``first_day`` to ``last_day`` (inclusive) covered by an exception that
    excuses a limit running over those days."""
    total = 0
    excusing = _excusing(exceptions, first_day=first_day, last_day=last_day, grounds=grounds)
    for start, end in merge_exception_periods(excusing):
        overlap_start, overlap_end = max(start, first_day), min(end, last_day)
        if overlap_start <= overlap_end:
            total += (overlap_end - overlap_start).days + 1
    return total


def adjusted_due_date(
    exceptions: Iterable[ClockException],
    *,
    clock_started: date,
    plain_due: date,
    grounds: frozenset[ExceptionGround] = LOCAL_AUTHORITY_GROUNDS,
) -> date:
    """Return ``plain_due`` pushed back by the days of every exception that excuses the limit.

    An operational aid, not the law: where an exception applies the regulations replace the time
    limit with 'as soon as practicable', they do not extend it by a number of days. Treating the
    clock as paused during each exception gives officers a defensible working target. The clock
    counts from the day after ``clock_started`` (the day of receipt is not counted). Only
    exceptions that excuse the limit within its own period count (``excuses``, from the day after
    ``clock_started`` to ``plain_due``): one that begins after the plain due date counts for
    nothing, even before a due date extended by an earlier one. An excusing exception that runs
    past the due date pauses the clock for all its days from the day after ``clock_started``.
    """
    first_running_day = clock_started + _ONE_DAY
    excusing = _excusing(
        exceptions, first_day=first_running_day, last_day=plain_due, grounds=grounds
    )
    due = plain_due
    for start, end in merge_exception_periods(excusing):
        start = max(start, first_running_day)
        if end < start:
            continue
        due += timedelta(days=(end - start).days + 1)
    return due
