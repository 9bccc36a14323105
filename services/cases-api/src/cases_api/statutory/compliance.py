"""20-week timeliness over many requests, as the DfE publishes it (with and without exceptions)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from cases_api.statutory.clock import AssessmentTimeline, clock_summary, final_plan_due
from cases_api.statutory.clock_exceptions import ClockException, exception_days_between

__all__ = [
    "Timeliness",
    "TwentyWeekCompliance",
    "twenty_week_compliance",
    "twenty_week_exception_applies",
]


@dataclass(frozen=True, slots=True)
class Timeliness:
    """How many plans were issued and how many of them within 20 weeks."""

    issued: int
    within_20_weeks: int

    @property
    def rate(self) -> float | None:
        """Share issued within 20 weeks (0–1), or None when no plan was issued."""
        return None if self.issued == 0 else self.within_20_weeks / self.issued


@dataclass(frozen=True, slots=True)
class TwentyWeekCompliance:
    """Timeliness without exceptions (``all_plans``) and with them (``excluding_exception_cases``).

    ``all_plans`` counts every issued plan against the plain 20 weeks; the DfE calls this
    'including exceptions' (England 2024: 45.9%). ``excluding_exception_cases`` leaves out plans
    where an exception applied, as the DfE's 'excluding exceptions' measure does (2024: 46.4%).
    """

    all_plans: Timeliness
    excluding_exception_cases: Timeliness


def twenty_week_compliance(timelines: Iterable[AssessmentTimeline]) -> TwentyWeekCompliance:
    """Return 20-week timeliness of the issued plans among ``timelines``; others are ignored."""
    issued = within = issued_ex = within_ex = 0
    for timeline in timelines:
        if timeline.final_issued_on is None:
            continue
        summary = clock_summary(timeline, today=timeline.final_issued_on)
        issued += 1
        within += summary.within_20_weeks is True
        if not summary.exception_applies:
            issued_ex += 1
            within_ex += summary.within_20_weeks is True
    return TwentyWeekCompliance(
        all_plans=Timeliness(issued=issued, within_20_weeks=within),
        excluding_exception_cases=Timeliness(issued=issued_ex, within_20_weeks=within_ex),
    )


def twenty_week_exception_applies(
    *, received_on: date, issued_on: date, exceptions: Iterable[ClockException]
) -> bool:
    """Whether an exception excuses the 20 weeks of a plan issued on ``issued_on``: the rule of
    ``clock_summary`` (``exception_applies``) for an issued plan, without the rest of its clock."""
    plain_due = final_plan_due(received_on)
    days = exception_days_between(
        exceptions,
        first_day=received_on + timedelta(days=1),
        last_day=min(issued_on, plain_due),
    )
    return days > 0
