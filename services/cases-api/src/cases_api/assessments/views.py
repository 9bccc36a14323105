"""The officer views over open requests: computed in Python from each request's clock.

Pure: requests in, cases out. The router loads the LA's open requests in one query
(`queries.open_requests`), then pages through what these functions return.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cases_api.assessments.clock import clock_of, timeline_of
from cases_api.assessments.models import AssessmentRequest
from cases_api.core.errors import InvalidInput
from cases_api.core.pagination import decode_cursor, encode_cursor
from cases_api.statutory import (
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    TwentyWeekCompliance,
    twenty_week_compliance,
)


class AssessmentStage(StrEnum):
    """The steps of a request's clock an officer can be late on."""

    DECISION_TO_ASSESS = MilestoneKind.DECISION_TO_ASSESS.value
    ADVICE = MilestoneKind.ADVICE.value
    NO_PLAN_NOTICE = MilestoneKind.NO_PLAN_NOTICE.value
    FINAL_PLAN = MilestoneKind.FINAL_PLAN.value


@dataclass(frozen=True, slots=True)
class CaseOnClock:
    """A request and the milestones that put it in a view (overdue, or due soon)."""

    request: AssessmentRequest
    milestones: tuple[Milestone, ...]

    @property
    def sort_key(self) -> tuple[date, str]:
        return min(m.due for m in self.milestones), str(self.request.id)


def _cases(
    requests: Iterable[AssessmentRequest],
    *,
    as_of: date,
    stage: AssessmentStage | None,
    due_soon_days: int,
    selects: Callable[[Milestone], bool],
) -> list[CaseOnClock]:
    cases = []
    for request in requests:
        summary = clock_of(request, as_of=as_of, due_soon_days=due_soon_days)
        chosen = tuple(
            m
            for m in summary.milestones
            if selects(m) and (stage is None or m.kind.value == stage.value)
        )
        if chosen:
            cases.append(CaseOnClock(request, chosen))
    return sorted(cases, key=lambda case: case.sort_key)


def overdue_cases(
    requests: Iterable[AssessmentRequest], *, as_of: date, stage: AssessmentStage | None
) -> list[CaseOnClock]:
    """Requests with a milestone past its due date and not done, most overdue first."""
    return _cases(
        requests,
        as_of=as_of,
        stage=stage,
        due_soon_days=0,
        selects=lambda m: m.status is MilestoneStatus.OVERDUE,
    )


def due_soon_cases(
    requests: Iterable[AssessmentRequest],
    *,
    as_of: date,
    stage: AssessmentStage | None,
    within_days: int,
) -> list[CaseOnClock]:
    """Requests with a milestone not done and due within ``within_days`` (0 = today)."""
    return _cases(
        requests,
        as_of=as_of,
        stage=stage,
        due_soon_days=within_days,
        selects=lambda m: m.status is MilestoneStatus.DUE_SOON,
    )


def page_of(
    cases: Sequence[CaseOnClock], *, view: str, limit: int, cursor: str | None
) -> tuple[list[CaseOnClock], str | None]:
    """One page of computed cases, resuming after the cursor's (due date, request id)."""
    remaining = list(cases)
    if cursor is not None:
        values = decode_cursor(cursor, sort=view)
        try:
            due, request_id = values
            after = (date.fromisoformat(due), str(request_id))
        except (ValueError, TypeError) as error:
            raise InvalidInput("The cursor is not valid; start again without one.") from error
        remaining = [case for case in remaining if case.sort_key > after]
    page = remaining[:limit]
    if len(remaining) <= limit:
        return page, None
    due, request_id = page[-1].sort_key
    return page, encode_cursor([due.isoformat(), request_id], sort=view)


def count_by_stage(cases: Iterable[CaseOnClock]) -> dict[AssessmentStage, int]:
    """How many cases have a selected milestone at each stage (a case may count at several)."""
    counts = dict.fromkeys(AssessmentStage, 0)
    for case in cases:
        for stage in {AssessmentStage(m.kind.value) for m in case.milestones}:
            counts[stage] += 1
    return counts


def compliance_of(requests: Iterable[AssessmentRequest]) -> TwentyWeekCompliance:
    """20-week timeliness of these requests' issued plans, with and without exceptions."""
    return twenty_week_compliance(timeline_of(request) for request in requests)
