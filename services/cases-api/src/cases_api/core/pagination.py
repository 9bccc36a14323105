"""Cursor (keyset) pagination: opaque cursors, `Link: rel="next"` headers."""

import base64
import json
import math
from collections.abc import Iterable, Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query, Request, Response
from pydantic import BaseModel, Field

from cases_api.core.errors import InvalidInput

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

Item = TypeVar("Item")

LimitQuery = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"Page size (default {DEFAULT_LIMIT}).")
]
CursorQuery = Annotated[
    str | None,
    Query(max_length=512, description="Opaque cursor from the previous page's `next_cursor`."),
]


class Page(BaseModel, Generic[Item]):
    """One page of a list. Follow `next_cursor` (or the `Link` header) for the next page."""

    items: list[Item]
    next_cursor: str | None = Field(description="Null on the last page.")


def single_page(items: Iterable[Item]) -> Page[Item]:
    """A short list whose size the law or the record bounds, in the page envelope every list
    uses: all of it, with no next page."""
    return Page(items=list(items), next_cursor=None)


def encode_cursor(values: Sequence[Any], *, sort: str) -> str:
    """An opaque cursor pointing after the row whose sort key is `values`."""
    raw = json.dumps({"s": sort, "k": list(values)}, separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


_INT64 = 2**63


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a value a cursor holds")


def _storable(value: Any) -> bool:
    """Whether both databases can compare a column with this value: the cursors we make hold
    strings without NUL (PostgreSQL cannot take one), 64-bit integers, finite numbers, nulls."""
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, str):
        return "\x00" not in value
    if isinstance(value, int):
        return -_INT64 <= value < _INT64
    if isinstance(value, float):
        return math.isfinite(value)  # 1e400 parses as infinity
    return False


def decode_cursor(cursor: str, *, sort: str) -> list[Any]:
    """The sort key a cursor points after; 422 when it is not one of ours or another sort's.
    Callers check each value's type for their sort; the ranges every database takes are
    checked here."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.urlsafe_b64decode(padded.encode())
        payload = json.loads(raw, parse_constant=_no_constants)
        values = payload["k"]
        cursor_sort = payload["s"]
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidInput("The cursor is not valid; start again without one.") from error
    if cursor_sort != sort or not isinstance(values, list):
        raise InvalidInput("The cursor belongs to another sort order; start again without one.")
    if not all(_storable(value) for value in values):
        raise InvalidInput("The cursor is not valid; start again without one.")
    return values


def set_next_link(request: Request, response: Response, next_cursor: str | None) -> None:
    """Add `Link: <…>; rel="next"` carrying the same filters and the next cursor."""
    if next_cursor is None:
        return
    url = request.url.remove_query_params("cursor").include_query_params(cursor=next_cursor)
    response.headers["Link"] = f'<{url}>; rel="next"'
