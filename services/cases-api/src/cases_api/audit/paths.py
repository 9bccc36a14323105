"""Reading a path: the (collection, identifier) pairs it walks through."""

import re

_PARAMETER = re.compile(r"^\{(\w+)\}$")


def pairs_of(segments: list[str]) -> list[tuple[str, str]]:
    """(collection, identifier) pairs along a path: `plans/{plan_id}/versions` → [(plans, …)]."""
    return [
        (segments[index], segments[index + 1])
        for index in range(len(segments) - 1)
        if not _PARAMETER.match(segments[index])
    ]
