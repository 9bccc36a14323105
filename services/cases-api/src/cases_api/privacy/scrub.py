"""Taking one child out of stored JSON documents that also hold other children (a proposal from
the matching service names every child of the round; a replayable response names what it made).

Pure: the purge finds the documents and saves what this returns.
"""

from typing import Any

PURGED = "[purged]"


def mentions(value: Any, needle: str) -> bool:
    """Whether the id appears anywhere in the document, as a value or inside a text."""
    if isinstance(value, dict):
        return any(mentions(item, needle) for item in value.values())
    if isinstance(value, list):
        return any(mentions(item, needle) for item in value)
    return isinstance(value, str) and needle in value


def without(value: Any, needle: str) -> Any:
    """The document with every list entry about the id left out, and the id blanked out of any
    text that still names it (an explanation that mentions the child, say)."""
    if isinstance(value, dict):
        return {key: without(item, needle) for key, item in value.items()}
    if isinstance(value, list):
        return [without(item, needle) for item in value if not _is_about(item, needle)]
    if isinstance(value, str) and needle in value:
        return value.replace(needle, PURGED)
    return value


def _is_about(item: Any, needle: str) -> bool:
    # A record in a list (a child of the request, an assignment, a refusal) that names the id is
    # about that child; a bare id in a list of ids is the id itself.
    if isinstance(item, dict | list):
        return mentions(item, needle)
    return isinstance(item, str) and item == needle
