"""Putting audit events that could not be written (the database was down) back into the trail.

When an event cannot be committed, the recorder logs it whole, as `audit_event_not_written` with
the row under `audit_event` (id included). `recover` reads such JSON log lines and inserts the
events the trail does not hold yet; the event id makes it idempotent."""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cases_api.audit.models import AuditEvent
from cases_api.audit.schemas import AuditEventRead

NOT_WRITTEN = "audit_event_not_written"
LOGGED_KEY = "audit_event"
_BATCH = 500


def loggable(event: AuditEvent) -> dict[str, Any]:
    """The row as JSON, everything needed to insert it again."""
    return AuditEventRead.model_validate(event).model_dump(mode="json")


@dataclass
class Recovery:
    """What a recovery found and did."""

    lines: int = 0
    events: int = 0
    inserted: int = 0
    already_in_trail: int = 0
    unreadable: list[str] = field(default_factory=list)


def events_in(lines: Iterable[str], recovery: Recovery) -> dict[str, AuditEventRead]:
    """The logged events in these lines, by id; other lines are passed over, broken ones noted."""
    found: dict[str, AuditEventRead] = {}
    for number, line in enumerate(lines, start=1):
        recovery.lines += 1
        if NOT_WRITTEN not in line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            recovery.unreadable.append(f"line {number}: not JSON")
            continue
        if not isinstance(record, dict) or record.get("event") != NOT_WRITTEN:
            continue
        try:
            event = AuditEventRead.model_validate(record.get(LOGGED_KEY))
        except ValidationError as error:
            recovery.unreadable.append(f"line {number}: {error.error_count()} invalid fields")
            continue
        found[str(event.id)] = event
    recovery.events += len(found)
    return found


def recover(session_factory: Callable[[], Session], lines: Iterable[str]) -> Recovery:
    """Insert the logged events the trail lacks, in batches, each its own transaction."""
    recovery = Recovery()
    events = list(events_in(lines, recovery).values())
    for start in range(0, len(events), _BATCH):
        batch = events[start : start + _BATCH]
        with session_factory() as session:
            present = set(
                session.scalars(
                    sa.select(AuditEvent.id).where(AuditEvent.id.in_([e.id for e in batch]))
                )
            )
            missing = [event for event in batch if event.id not in present]
            session.add_all(AuditEvent(**event.model_dump()) for event in missing)
            session.commit()
        recovery.inserted += len(missing)
        recovery.already_in_trail += len(present)
    return recovery
