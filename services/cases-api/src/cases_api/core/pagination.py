"""Cursor (keyset) pagination: opaque cursors, `Link: rel="next"` headers."""

import base64
import json
from collections.abc import Sequence
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


def encode_cursor(values: Sequence[Any], *, sort: str) -> str:
    """An opaque cursor pointing after the row whose sort key is `values`."""
    raw = json.dumps({"s": sort, "k": list(values)}, separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *, sort: str) -> list[Any]:
    """The sort key a cursor points after; 422 when it is not one of ours or another sort's."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        values = payload["k"]
        cursor_sort = payload["s"]
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidInput("The cursor is not valid; start again without one.") from error
    if cursor_sort != sort or not isinstance(values, list):
        raise InvalidInput("The cursor belongs to another sort order; start again without one.")
    return values


def set_next_link(request: Request, response: Response, next_cursor: str | None) -> None:
    """Add `Link: <…>; rel="next"` carrying the same filters and the next cursor."""
    if next_cursor is None:
        return
    url = request.url.remove_query_params("cursor").include_query_params(cursor=next_cursor)
    response.headers["Link"] = f'<{url}>; rel="next"'
