"""Keyset pagination over any query: order by (sort key, unique tiebreak), resume after a cursor."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from cases_api.core.errors import InvalidInput
from cases_api.core.pagination import decode_cursor, encode_cursor

SORT_KEY_LABEL = "sort_key"
TIEBREAK_LABEL = "tiebreak"


@dataclass(frozen=True, kw_only=True)
class Keyset:
    """How a list is ordered: a sort expression, a unique tiebreak column, and the direction."""

    name: str
    key: ColumnElement[Any]
    tiebreak: ColumnElement[Any]
    descending: bool = False
    # Turns the cursor's JSON values back into typed ones; raises ValueError/TypeError if foreign.
    parse: Callable[[Any, Any], tuple[Any, Any]]


def fetch_page(
    session: Session,
    query: sa.Select[*tuple[Any, ...]],
    *,
    keyset: Keyset,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[sa.Row[Any]], str | None]:
    """The rows of one page (each with `sort_key` and `tiebreak` columns) and the next cursor."""
    query = query.add_columns(
        keyset.key.label(SORT_KEY_LABEL), keyset.tiebreak.label(TIEBREAK_LABEL)
    )
    if cursor is not None:
        values = decode_cursor(cursor, sort=keyset.name)
        try:
            after_key, after_tiebreak = keyset.parse(*values)
        except (ValueError, TypeError) as error:
            raise InvalidInput("The cursor is not valid; start again without one.") from error
        if not (_fits(after_key, keyset.key.type) and _fits(after_tiebreak, keyset.tiebreak.type)):
            raise InvalidInput("The cursor is not valid; start again without one.")
        row = sa.tuple_(keyset.key, keyset.tiebreak)
        bound = sa.tuple_(
            sa.literal(after_key, keyset.key.type),
            sa.literal(after_tiebreak, keyset.tiebreak.type),
        )
        query = query.where(row < bound if keyset.descending else row > bound)
    if keyset.descending:
        query = query.order_by(keyset.key.desc(), keyset.tiebreak.desc())
    else:
        query = query.order_by(keyset.key.asc(), keyset.tiebreak.asc())
    rows = session.execute(query.limit(limit + 1)).unique().all()
    page = rows[:limit]
    if len(rows) <= limit:
        return page, None
    last = page[-1]
    next_values = [getattr(last, SORT_KEY_LABEL), str(getattr(last, TIEBREAK_LABEL))]
    return page, encode_cursor(next_values, sort=keyset.name)


# Bounds (exclusive) of the integer types, narrowest first: PostgreSQL casts the cursor's value
# to the column's type, so a value beyond it is an error there rather than an empty page.
_INTEGER_BOUNDS = ((sa.SmallInteger, 2**15), (sa.BigInteger, 2**63), (sa.Integer, 2**31))


def _fits(value: Any, column_type: sa.types.TypeEngine[Any]) -> bool:
    """Whether the value is one the column could hold: an integer column's values are integers
    in its range; other types' values are checked by the keyset's parser and the cursor's
    decoding (finite numbers, text without NUL)."""
    for integer_type, bound in _INTEGER_BOUNDS:
        if isinstance(column_type, integer_type):
            return (
                isinstance(value, int) and not isinstance(value, bool) and -bound <= value < bound
            )
    return True


def typed(*expected: type) -> Callable[[Any], Any]:
    """A cursor-value parser that accepts only these JSON types (never bool)."""

    def parse(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, expected):
            raise TypeError(f"expected {expected}, got {type(value).__name__}")
        return value

    return parse
