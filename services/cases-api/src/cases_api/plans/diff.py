"""The difference between two versions' sections: per section, per item (by id), per field.

Pure: JSON-like dicts in, changes out. Sections holding one record (A, I) are compared field by
field; sections holding lists (B–H2, J, K) match items by their `id`, so reordering is no change.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

SECTION_KEYS = ("a", "b", "c", "d", "e", "f", "g", "h1", "h2", "i", "j", "k")


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, kw_only=True)
class Change:
    """One difference. `item_id` is None in single-record sections; `field` is None when a whole
    item (or record) was added or removed."""

    section: str
    change: ChangeKind
    item_id: str | None
    field: str | None
    before: Any
    after: Any


def diff_sections(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Every change from `before` to `after`, in section order (A to K)."""
    changes: list[Change] = []
    for key in SECTION_KEYS:
        old, new = before.get(key), after.get(key)
        label = key.upper()
        if isinstance(old, list) or isinstance(new, list):
            changes.extend(_diff_items(label, old or [], new or []))
        else:
            changes.extend(_diff_record(label, old, new, item_id=None))
    return changes


def _diff_record(
    section: str, old: dict[str, Any] | None, new: dict[str, Any] | None, *, item_id: str | None
) -> list[Change]:
    if old == new:
        return []
    if old is None or new is None:
        kind = ChangeKind.ADDED if old is None else ChangeKind.REMOVED
        return [
            Change(section=section, change=kind, item_id=item_id, field=None, before=old, after=new)
        ]
    fields = list(old) + [name for name in new if name not in old]
    return [
        Change(
            section=section,
            change=ChangeKind.CHANGED,
            item_id=item_id,
            field=name,
            before=old.get(name),
            after=new.get(name),
        )
        for name in fields
        if old.get(name) != new.get(name)
    ]


def _diff_items(section: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    old_by_id = {item["id"]: item for item in old}
    new_by_id = {item["id"]: item for item in new}
    changes: list[Change] = []
    for item_id, item in old_by_id.items():
        changes.extend(_diff_record(section, item, new_by_id.get(item_id), item_id=item_id))
    for item_id, item in new_by_id.items():
        if item_id not in old_by_id:
            changes.extend(_diff_record(section, None, item, item_id=item_id))
    return changes
