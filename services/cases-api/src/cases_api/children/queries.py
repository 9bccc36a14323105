"""Listing children: filters, sort orders and keyset pagination, as SQL."""

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from cases_api.access import Scope
from cases_api.children.ages import latest_birth_date_for_age
from cases_api.children.models import UNLINKED_CHILD, Child, ChildNeed, SenStatus
from cases_api.core.keyset import Keyset, fetch_page, typed
from send_contracts import NeedCode


class ChildSort(StrEnum):
    NAME = "name"
    NAME_DESC = "-name"
    DATE_OF_BIRTH = "date_of_birth"
    DATE_OF_BIRTH_DESC = "-date_of_birth"


@dataclass(frozen=True, kw_only=True)
class ChildFilters:
    la_code: str | None = None
    need: NeedCode | None = None
    primary_need: NeedCode | None = None
    sen_status: SenStatus | None = None
    born_from: date | None = None
    born_to: date | None = None
    age: int | None = None
    current_school_urn: int | None = None
    name_contains: str | None = None


def escape_like(text: str) -> str:
    """``text`` with LIKE's wildcards escaped (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filter_clauses(filters: ChildFilters, *, today: date) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if filters.la_code is not None:
        clauses.append(Child.la_code == filters.la_code)
    if filters.need is not None:
        clauses.append(_has_need(filters.need))
    if filters.primary_need is not None:
        clauses.append(_has_need(filters.primary_need, rank=1))
    if filters.sen_status is not None:
        clauses.append(Child.sen_status == filters.sen_status)
    if filters.born_from is not None:
        clauses.append(Child.date_of_birth >= filters.born_from)
    if filters.born_to is not None:
        clauses.append(Child.date_of_birth <= filters.born_to)
    if filters.age is not None:
        youngest_older = latest_birth_date_for_age(filters.age + 1, today)
        clauses.append(Child.date_of_birth > youngest_older)
        clauses.append(Child.date_of_birth <= latest_birth_date_for_age(filters.age, today))
    if filters.current_school_urn is not None:
        clauses.append(Child.current_school_urn == filters.current_school_urn)
    if filters.name_contains is not None:
        pattern = f"%{escape_like(filters.name_contains)}%"
        clauses.append(
            sa.or_(
                Child.given_name.ilike(pattern, escape="\\"),
                Child.family_name.ilike(pattern, escape="\\"),
                (Child.given_name + " " + Child.family_name).ilike(pattern, escape="\\"),
            )
        )
    return clauses


def _has_need(need: NeedCode, *, rank: int | None = None) -> ColumnElement[bool]:
    query = sa.select(ChildNeed.child_id).where(
        ChildNeed.child_id == Child.id, ChildNeed.need == need
    )
    if rank is not None:
        query = query.where(ChildNeed.rank == rank)
    return query.exists()


_TEXT = typed(str)
_ISO_DATE = typed(str)


def _keyset(sort: ChildSort) -> Keyset:
    key: ColumnElement[Any]
    if sort.value.endswith("name"):
        key = sa.func.lower(Child.family_name + " " + Child.given_name)
        return Keyset(
            name=sort.value,
            key=key,
            tiebreak=Child.id.expression,
            descending=sort.value.startswith("-"),
            parse=lambda k, tiebreak: (_TEXT(k), uuid.UUID(str(tiebreak))),
        )
    return Keyset(
        name=sort.value,
        key=Child.date_of_birth.expression,
        tiebreak=Child.id.expression,
        descending=sort.value.startswith("-"),
        parse=lambda k, tiebreak: (date.fromisoformat(_ISO_DATE(k)), uuid.UUID(str(tiebreak))),
    )


def list_children(
    session: Session,
    *,
    filters: ChildFilters,
    scope: Scope,
    sort: ChildSort,
    limit: int,
    cursor: str | None,
    today: date,
) -> tuple[list[Child], str | None]:
    """One page of children and the next cursor."""
    query = (
        sa.select(Child)
        .where(scope.children_rows_filter(), *_filter_clauses(filters, today=today))
        .options(UNLINKED_CHILD)
    )
    rows, next_cursor = fetch_page(session, query, keyset=_keyset(sort), limit=limit, cursor=cursor)
    return [row.Child for row in rows], next_cursor


def names_of(session: Session, child_ids: list[uuid.UUID], *, scope: Scope) -> dict[uuid.UUID, str]:
    """The names of those of these children the caller may see, as officers read them."""
    if not child_ids:
        return {}
    query = sa.select(Child.id, Child.given_name, Child.family_name).where(
        Child.id.in_(set(child_ids)), scope.children_rows_filter()
    )
    return {row.id: f"{row.given_name} {row.family_name}" for row in session.execute(query)}
