"""The officers' view of children in the coming transfer round whose plan names no new setting."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from cases_api.access.scope import Scope
from cases_api.children.models import Child
from cases_api.core.keyset import Keyset, fetch_page, typed
from cases_api.plans.models import Plan
from cases_api.statutory import PhaseTransfer, transfer_deadline
from cases_api.transfers.cohort import cohort_birth_dates, coming_round


@dataclass(frozen=True, kw_only=True)
class UnnamedFilters:
    as_of: date
    la_code: str | None = None
    transfers: Sequence[PhaseTransfer] = ()
    deadline_within_days: int | None = None
    include_infant_to_junior: bool = False
    scope: Scope  # the caller's: required, so a query never reads every LA's rows by default


def _transfers(filters: UnnamedFilters) -> list[PhaseTransfer]:
    chosen = [
        transfer
        for transfer in PhaseTransfer
        if filters.include_infant_to_junior or transfer is not PhaseTransfer.INFANT_TO_JUNIOR
    ]
    if filters.transfers:
        chosen = [transfer for transfer in chosen if transfer in filters.transfers]
    return chosen


def _view(filters: UnnamedFilters) -> tuple[sa.Select[Plan, Child], ColumnElement[Any]] | None:
    round_year = coming_round(filters.as_of)
    transfer_on = date(round_year, 9, 1)
    deadlines = [
        (
            cohort_birth_dates(transfer, round_year=round_year),
            transfer_deadline(transfer, transfer_year=round_year),
        )
        for transfer in _transfers(filters)
    ]
    if filters.deadline_within_days is not None:
        latest = filters.as_of + timedelta(days=filters.deadline_within_days)
        deadlines = [(born, deadline) for born, deadline in deadlines if deadline <= latest]
    if not deadlines:
        return None
    deadline = sa.case(
        *[
            (Child.date_of_birth.between(first, last), sa.literal(due, sa.Date))
            for (first, last), due in deadlines
        ],
    )
    query = (
        sa.select(Plan, Child)
        .join(Child, Child.id == Plan.child_id)
        .where(
            Plan.made_on.is_not(None),
            Plan.ceased_on.is_(None),
            sa.or_(*[Child.date_of_birth.between(first, last) for (first, last), _ in deadlines]),
            # Named for the new phase: section I of the latest final starts on or after the move.
            sa.or_(Plan.named_setting_from.is_(None), Plan.named_setting_from < transfer_on),
        )
    )
    if filters.la_code is not None:
        query = query.where(Child.la_code == filters.la_code)
    query = query.where(filters.scope.children_rows_filter())
    return query, deadline


def list_unnamed(
    session: Session, *, filters: UnnamedFilters, limit: int, cursor: str | None
) -> tuple[list[tuple[Plan, Child]], str | None]:
    """One page of the view, nearest deadline first, and the next cursor."""
    view = _view(filters)
    if view is None:
        return [], None
    query, deadline = view
    keyset = Keyset(
        name="deadline",
        key=deadline,
        tiebreak=Plan.id.expression,
        parse=lambda key, tiebreak: (
            date.fromisoformat(typed(str)(key)),
            uuid.UUID(str(tiebreak)),
        ),
    )
    rows, next_cursor = fetch_page(session, query, keyset=keyset, limit=limit, cursor=cursor)
    return [(row.Plan, row.Child) for row in rows], next_cursor


def count_unnamed(session: Session, *, filters: UnnamedFilters) -> int:
    """How many rows the view holds."""
    view = _view(filters)
    if view is None:
        return 0
    query, _ = view
    return session.scalar(query.with_only_columns(sa.func.count(Plan.id))) or 0
