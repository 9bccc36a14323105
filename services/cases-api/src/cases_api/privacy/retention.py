"""Retention rules per record class, and which children's records are due for disposal.

The class of a child's records decides how long they are kept after birth:
- `ehcp_record`: any request for an EHC needs assessment or any EHC plan — until the 31st
  birthday (the EHCP record, kept to age 25 plus the six-year limitation period).
- `send_record`: a child known to the service with neither (SEN support, rounds only) — until the
  25th birthday (the school SEN file rule).
Audit events, disposal tombstones and released exports' audit entries are not a child's record:
the trail is kept (it names the child only by id, and the tombstone holds no personal data).
A birthday on 29 February falls on 1 March in common years, as for ages everywhere else."""

import calendar
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.assessments.models import AssessmentRequest
from cases_api.children.ages import latest_birth_date_for_age
from cases_api.children.models import Child
from cases_api.core.keyset import Keyset, fetch_page, typed
from cases_api.plans.models import Plan
from cases_api.privacy.models import LegalHold


@dataclass(frozen=True, slots=True)
class RetentionRule:
    """Keep a class of records until the child's `keep_until_age`th birthday."""

    record_class: str
    keep_until_age: int
    description: str


EHCP_RECORD = RetentionRule(
    record_class="ehcp_record",
    keep_until_age=31,
    description="EHC needs assessment requests and EHC plans: until the 31st birthday.",
)
SEND_RECORD = RetentionRule(
    record_class="send_record",
    keep_until_age=25,
    description="Children with no request or plan: until the 25th birthday.",
)
RULES = (EHCP_RECORD, SEND_RECORD)
RULES_BY_CLASS = {rule.record_class: rule for rule in RULES}


def birthday(date_of_birth: date, age: int) -> date:
    """The day someone born on `date_of_birth` turns `age` (29 February → 1 March)."""
    year = date_of_birth.year + age
    if date_of_birth.month == 2 and date_of_birth.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return date(year, date_of_birth.month, date_of_birth.day)


def _has_ehcp_record() -> sa.ColumnElement[bool]:
    requests = sa.select(AssessmentRequest.id).where(AssessmentRequest.child_id == Child.id)
    plans = sa.select(Plan.id).where(Plan.child_id == Child.id)
    return sa.or_(requests.exists(), plans.exists())


def _due_condition(as_of: date) -> sa.ColumnElement[bool]:
    has_ehcp = _has_ehcp_record()
    return sa.or_(
        sa.and_(
            has_ehcp,
            Child.date_of_birth <= latest_birth_date_for_age(EHCP_RECORD.keep_until_age, as_of),
        ),
        sa.and_(
            sa.not_(has_ehcp),
            Child.date_of_birth <= latest_birth_date_for_age(SEND_RECORD.keep_until_age, as_of),
        ),
    )


@dataclass(frozen=True, slots=True)
class DueChild:
    """A child whose records are due for disposal."""

    child_id: uuid.UUID
    la_code: str
    rule: RetentionRule
    due_on: date
    on_legal_hold: bool


_DATE = typed(str)
OLDEST_FIRST = Keyset(
    name="date_of_birth",
    key=Child.date_of_birth.expression,
    tiebreak=Child.id.expression,
    parse=lambda key, tiebreak: (date.fromisoformat(_DATE(key)), uuid.UUID(str(tiebreak))),
)


def _due_query(as_of: date, la_code: str | None) -> sa.Select[uuid.UUID, str, date, bool, bool]:
    held = sa.select(LegalHold.child_id).where(LegalHold.child_id == Child.id).exists()
    query = sa.select(
        Child.id,
        Child.la_code,
        Child.date_of_birth,
        _has_ehcp_record().label("has_ehcp"),
        held.label("held"),
    ).where(_due_condition(as_of))
    if la_code is not None:
        query = query.where(Child.la_code == la_code)
    return query


def _present(row: sa.Row[*tuple[Any, ...]]) -> DueChild:
    rule = EHCP_RECORD if row.has_ehcp else SEND_RECORD
    return DueChild(
        child_id=row.id,
        la_code=row.la_code,
        rule=rule,
        due_on=birthday(row.date_of_birth, rule.keep_until_age),
        on_legal_hold=bool(row.held),
    )


def list_due(
    session: Session, *, as_of: date, la_code: str | None, limit: int, cursor: str | None
) -> tuple[list[DueChild], str | None]:
    """One page of children due for disposal on `as_of`, oldest first (held ones flagged)."""
    rows, next_cursor = fetch_page(
        session, _due_query(as_of, la_code), keyset=OLDEST_FIRST, limit=limit, cursor=cursor
    )
    return [_present(row) for row in rows], next_cursor


def all_due(session: Session, *, as_of: date) -> Sequence[DueChild]:
    """Every child due for disposal on `as_of`, oldest first."""
    query = _due_query(as_of, None).order_by(Child.date_of_birth, Child.id)
    return [_present(row) for row in session.execute(query)]


def due_for(session: Session, *, child_id: uuid.UUID, as_of: date) -> DueChild | None:
    """This child, if due for disposal on `as_of`."""
    row = session.execute(_due_query(as_of, None).where(Child.id == child_id)).one_or_none()
    return _present(row) if row is not None else None
