"""The officers' view over the deadlines issue 11 added: pure rows in, filtered pages out.

Each row is one deadline of one record (a review meeting's report, an order's step, a transfer's
letter …), with the LA responsible for meeting it. ``gathering`` loads the rows in the caller's
scope; these functions choose, sort, page and count them.
"""

import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cases_api.core.errors import InvalidInput
from cases_api.core.pagination import decode_cursor, encode_cursor
from cases_api.statutory import MilestoneStatus
from cases_api.statutory.deadlines import Deadline, DeadlineKind


class RecordKind(StrEnum):
    ANNUAL_REVIEW = "annual_review"
    SCHEDULED_REVIEW = "scheduled_review"  # a plan's next review meeting; its id is the plan's
    PLAN = "plan"
    TRIBUNAL_ORDER = "tribunal_order"
    LA_TRANSFER = "la_transfer"
    COMMISSIONING_CHANGE = "commissioning_change"
    REASSESSMENT_REQUEST = "reassessment_request"


PATHS = {
    RecordKind.ANNUAL_REVIEW: "/v1/annual-reviews/{}",
    RecordKind.SCHEDULED_REVIEW: "/v1/plans/{}/scheduled-review",
    RecordKind.PLAN: "/v1/plans/{}",
    RecordKind.TRIBUNAL_ORDER: "/v1/tribunal-orders/{}",
    RecordKind.LA_TRANSFER: "/v1/la-transfers/{}",
    RecordKind.COMMISSIONING_CHANGE: "/v1/commissioning-changes/{}",
    RecordKind.REASSESSMENT_REQUEST: "/v1/reassessment-requests/{}",
}


@dataclass(frozen=True, slots=True)
class DeadlineRow:
    record: RecordKind
    record_id: uuid.UUID
    child_id: uuid.UUID
    la_code: str  # the LA that must meet the deadline
    deadline: Deadline

    @property
    def sort_key(self) -> tuple[date, str, str]:
        return self.deadline.due, str(self.record_id), self.deadline.detail or self.deadline.kind


def choose(
    rows: Iterable[DeadlineRow],
    *,
    status: MilestoneStatus,
    la_code: str | None,
    kind: DeadlineKind | None,
) -> list[DeadlineRow]:
    """The rows with this status (and LA and kind, when given), earliest due first."""
    chosen = [
        row
        for row in rows
        if row.deadline.status is status
        and (la_code is None or row.la_code == la_code)
        and (kind is None or row.deadline.kind is kind)
    ]
    return sorted(chosen, key=lambda row: row.sort_key)


def page_of(
    rows: Sequence[DeadlineRow], *, view: str, limit: int, cursor: str | None
) -> tuple[list[DeadlineRow], str | None]:
    """One page, resuming after the cursor's (due date, record id, step)."""
    remaining = list(rows)
    if cursor is not None:
        try:
            due, record_id, step = decode_cursor(cursor, sort=view)
            after = (date.fromisoformat(due), str(record_id), str(step))
        except (ValueError, TypeError) as error:
            raise InvalidInput("The cursor is not valid; start again without one.") from error
        remaining = [row for row in remaining if row.sort_key > after]
    page = remaining[:limit]
    if len(remaining) <= limit:
        return page, None
    due, record_id, step = page[-1].sort_key
    return page, encode_cursor([due.isoformat(), record_id, step], sort=view)


def count_by_kind(rows: Iterable[DeadlineRow]) -> dict[DeadlineKind, int]:
    counts = Counter(row.deadline.kind for row in rows)
    return {kind: counts[kind] for kind in DeadlineKind if counts[kind]}


@dataclass(frozen=True, slots=True)
class KindCompliance:
    kind: DeadlineKind
    legal_basis: tuple[str, ...]
    due: int
    met: int
    late: int
    overdue: int
    open: int


def compliance(
    rows: Iterable[DeadlineRow], *, period_from: date, period_to: date, la_code: str | None
) -> list[KindCompliance]:
    """For each kind, the deadlines that fell due in the period and how they stand."""
    by_kind: dict[DeadlineKind, list[Deadline]] = {}
    for row in rows:
        if la_code is not None and row.la_code != la_code:
            continue
        if period_from <= row.deadline.due <= period_to:
            by_kind.setdefault(row.deadline.kind, []).append(row.deadline)
    result = []
    for kind in DeadlineKind:
        deadlines = by_kind.get(kind, [])
        if not deadlines:
            continue
        statuses = Counter(d.status for d in deadlines)
        result.append(
            KindCompliance(
                kind=kind,
                legal_basis=tuple(sorted({d.legal_basis for d in deadlines})),
                due=len(deadlines),
                met=statuses[MilestoneStatus.MET],
                late=statuses[MilestoneStatus.LATE],
                overdue=statuses[MilestoneStatus.OVERDUE],
                open=statuses[MilestoneStatus.PENDING] + statuses[MilestoneStatus.DUE_SOON],
            )
        )
    return result
