"""Appeals to the First-tier Tribunal (SEND): what can be appealed and by when.

Deadline, Tribunal Procedure (First-tier Tribunal) (HESC) Rules 2008 r20(1): the notice of appeal
must reach the tribunal by the later of two months after the decision notice was *sent* and one
month after the mediation certificate was issued. Periods counted *from* a date end on the
corresponding date, clamped to the month end (31 December + 2 months is the last day of February).

That raw last day then moves, in this order:

- r12(3)(a), special educational needs cases: a time for starting proceedings that ends on a day
  from 25 December to 1 January inclusive, or on any day in August, is met on the first working
  day after 1 January or after 31 August. Our reading: the test is the day the time *ends* (the
  raw last day), so a time ending on Saturday 24 December does not reach into the window when
  r12(2) then carries it to 27 or 28 December (nor one ending on Saturday 31 July when r12(2)
  carries it to 2 August); that is the earlier date, the safe one for the family. 31 August is in August (→ the first working day after it); 1 September is not (it stands,
  or r12(2) moves it if it is not a working day). "After 1 January" means from 2 January, skipping
  a substitute New Year bank holiday and weekends.
- r12(2): a time ending on a day that is not a working day is met on the next working day.

Mediation, or a certificate that the family considered and declined it, is needed before appealing
unless the appeal is only about the school or setting named in section I (CFA 2014 s55).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cases_api.statutory._calendar import add_months
from cases_api.statutory.errors import StatutoryRuleError
from cases_api.statutory.working_days import (
    IsHoliday,
    england_holidays,
    is_working_day,
    next_working_day_after,
    working_day_on_or_after,
)

__all__ = [
    "APPEAL_MONTHS_AFTER_CERTIFICATE",
    "APPEAL_MONTHS_AFTER_DECISION",
    "AppealDeadline",
    "AppealGround",
    "DeadlineRoll",
    "appeal_deadline",
    "appeal_deadline_detail",
    "mediation_certificate_required",
    "roll_tribunal_deadline",
]

APPEAL_MONTHS_AFTER_DECISION = 2
APPEAL_MONTHS_AFTER_CERTIFICATE = 1

BASIS_DECISION = "HESC Rules 2008 r20(1) (2 months after the decision notice)"
BASIS_CERTIFICATE = "HESC Rules 2008 r20(1) (1 month after the mediation certificate)"


class AppealGround(StrEnum):
    """The decisions a parent or young person can appeal."""

    REFUSAL_TO_ASSESS = "refusal_to_assess"
    REFUSAL_TO_ISSUE = "refusal_to_issue"
    SECTION_B = "section_b"
    SECTION_F = "section_f"
    SECTION_I = "section_i"
    CEASE_TO_MAINTAIN = "cease_to_maintain"


class DeadlineRoll(StrEnum):
    """Which rule, if any, moved the raw last day."""

    NONE = "none"
    CHRISTMAS = "christmas"  # r12(3)(a): 25 December – 1 January
    AUGUST = "august"  # r12(3)(a): any day in August
    NON_WORKING_DAY = "non_working_day"  # r12(2)

    @property
    def citation(self) -> str:
        """The rule that moved the day ('' when none did)."""
        return {
            DeadlineRoll.NONE: "",
            DeadlineRoll.CHRISTMAS: "r12(3)(a)",
            DeadlineRoll.AUGUST: "r12(3)(a)",
            DeadlineRoll.NON_WORKING_DAY: "r12(2)",
        }[self]


@dataclass(frozen=True, slots=True, kw_only=True)
class AppealDeadline:
    """The last day to appeal: ``raw_last_day`` by r20(1), ``last_day`` after r12 moved it."""

    raw_last_day: date
    last_day: date
    rolled_by: DeadlineRoll
    legal_basis: str


def _in_christmas_window(day: date) -> bool:
    return (day.month, day.day) >= (12, 25) or (day.month, day.day) == (1, 1)


def roll_tribunal_deadline(
    raw_last_day: date, *, is_holiday: IsHoliday = england_holidays
) -> tuple[date, DeadlineRoll]:
    """Return the day a time for starting SEN proceedings ending on ``raw_last_day`` is met.

    r12(3)(a) first (Christmas and August windows), else r12(2) (next working day).
    """
    if _in_christmas_window(raw_last_day):
        new_year = date(raw_last_day.year + (raw_last_day.month == 12), 1, 1)
        return next_working_day_after(new_year, is_holiday=is_holiday), DeadlineRoll.CHRISTMAS
    if raw_last_day.month == 8:
        end_of_august = date(raw_last_day.year, 8, 31)
        return next_working_day_after(end_of_august, is_holiday=is_holiday), DeadlineRoll.AUGUST
    if is_working_day(raw_last_day, is_holiday=is_holiday):
        return raw_last_day, DeadlineRoll.NONE
    rolled = working_day_on_or_after(raw_last_day, is_holiday=is_holiday)
    return rolled, DeadlineRoll.NON_WORKING_DAY


def mediation_certificate_required(grounds: Iterable[AppealGround]) -> bool:
    """Return whether appealing on ``grounds`` needs mediation first (not for section I alone)."""
    chosen = set(grounds)
    if not chosen:
        raise StatutoryRuleError("an appeal needs at least one ground")
    return chosen != {AppealGround.SECTION_I}


def appeal_deadline_detail(
    *,
    notice_sent_on: date,
    mediation_certificate_on: date | None = None,
    is_holiday: IsHoliday = england_holidays,
) -> AppealDeadline:
    """Return the last day to appeal a decision whose notice was sent on ``notice_sent_on``.

    r20(1): the later of notice + 2 months and certificate + 1 month; then r12(3)(a) / r12(2).
    """
    raw = add_months(notice_sent_on, APPEAL_MONTHS_AFTER_DECISION)
    basis = BASIS_DECISION
    if mediation_certificate_on is not None:
        if mediation_certificate_on < notice_sent_on:
            raise StatutoryRuleError(
                "a mediation certificate cannot precede the decision notice it concerns"
            )
        after_certificate = add_months(mediation_certificate_on, APPEAL_MONTHS_AFTER_CERTIFICATE)
        if after_certificate > raw:
            raw, basis = after_certificate, BASIS_CERTIFICATE
    last_day, rolled_by = roll_tribunal_deadline(raw, is_holiday=is_holiday)
    if rolled_by is not DeadlineRoll.NONE:
        basis = f"{basis}; {rolled_by.citation}"
    return AppealDeadline(
        raw_last_day=raw, last_day=last_day, rolled_by=rolled_by, legal_basis=basis
    )


def appeal_deadline(
    *,
    decision_on: date,
    mediation_certificate_on: date | None = None,
    is_holiday: IsHoliday = england_holidays,
) -> date:
    """Return the last day to appeal; ``decision_on`` is the day the decision notice was sent."""
    return appeal_deadline_detail(
        notice_sent_on=decision_on,
        mediation_certificate_on=mediation_certificate_on,
        is_holiday=is_holiday,
    ).last_day
