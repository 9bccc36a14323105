"""Disposing of what retention says is due: the child and everything about them, one transaction
per child, leaving a tombstone and an audit event. Never a child under legal hold."""

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import QueryableAttribute, Session

import cases_api.models  # noqa: F401  every table must be known to find those naming a child
from cases_api.audit.models import AuditAction, AuditEvent
from cases_api.children.models import Child, ChildGuardian, Guardian
from cases_api.core.db import Base
from cases_api.core.time import utcnow
from cases_api.idempotency.models import IdempotencyKey
from cases_api.privacy import scrub
from cases_api.privacy.models import DisposalTombstone, LegalHold
from cases_api.privacy.retention import DueChild, all_due, due_for
from cases_api.rounds.models import RoundProposal


@dataclass(frozen=True, slots=True)
class PurgeResult:
    """What happened (or, in a dry run, would happen) to one due child."""

    child_id: uuid.UUID
    rule: str
    due_on: date
    purged: bool
    skipped_because: str | None = None


def _tables_naming_children() -> Iterator[tuple[sa.Table, sa.Column[uuid.UUID]]]:
    """Every table with a foreign key to a child, dependents first (so RESTRICT keys hold)."""
    children = Base.metadata.tables["children"]
    for table in reversed(Base.metadata.sorted_tables):
        if table is children:
            continue
        for foreign_key in table.foreign_keys:
            if foreign_key.column.table is children:
                yield table, foreign_key.parent


def _scrub_documents(session: Session, child_id: uuid.UUID) -> None:
    """Take the child out of the JSON documents that name them without a foreign key: stored
    proposals keep the rest of their round; replayable responses about the child go."""
    needle = str(child_id)

    def names_child(column: QueryableAttribute[Any]) -> sa.ColumnElement[bool]:
        return sa.cast(column, sa.Text).contains(needle, autoescape=True)

    proposals = sa.select(RoundProposal).where(
        sa.or_(names_child(RoundProposal.request), names_child(RoundProposal.response))
    )
    for proposal in session.scalars(proposals):
        proposal.request = scrub.without(proposal.request, needle)
        proposal.response = scrub.without(proposal.response, needle)
    session.execute(
        sa.delete(IdempotencyKey).where(
            sa.or_(
                names_child(IdempotencyKey.response_body),
                IdempotencyKey.location.contains(needle, autoescape=True),
            )
        )
    )


def purge_child(session: Session, *, due: DueChild, purged_by: str) -> None:
    """Delete the child, everything naming them, and guardians left with no child; then leave a
    tombstone and an audit event. The caller checked the child is due and not held."""
    guardian_ids = session.scalars(
        sa.select(ChildGuardian.guardian_id).where(ChildGuardian.child_id == due.child_id)
    ).all()
    for table, column in _tables_naming_children():
        session.execute(sa.delete(table).where(column == due.child_id))
    _scrub_documents(session, due.child_id)
    session.execute(sa.delete(Child).where(Child.id == due.child_id))
    if guardian_ids:
        still_linked = sa.select(ChildGuardian.guardian_id).where(
            ChildGuardian.guardian_id == Guardian.id
        )
        session.execute(
            sa.delete(Guardian).where(Guardian.id.in_(guardian_ids), ~still_linked.exists())
        )
    now = utcnow()
    session.add(
        DisposalTombstone(
            child_id=due.child_id,
            purged_at=now,
            rule=due.rule.record_class,
            due_on=due.due_on,
            purged_by=purged_by,
        )
    )
    session.add(
        AuditEvent(
            occurred_at=now,
            subject=purged_by,
            role="system",
            la_code=due.la_code,
            school_urns=[],
            action=AuditAction.PURGE,
            resource_type="children",
            resource_id=str(due.child_id),
            child_id=due.child_id,
            operation_id="purge",
            method="CLI",
            path="cases-api purge",
            request_id=None,
            outcome=200,
            reason=f"retention rule {due.rule.record_class}: due on {due.due_on.isoformat()}",
        )
    )
    session.flush()


def purge_one(
    session: Session, *, child_id: uuid.UUID, as_of: date, purged_by: str, dry_run: bool
) -> PurgeResult | None:
    """Purge this child if still due and not held, deciding under a lock on the child's row."""
    session.execute(sa.select(Child.id).where(Child.id == child_id).with_for_update())
    due = due_for(session, child_id=child_id, as_of=as_of)
    if due is None:
        return None
    result = PurgeResult(
        child_id=due.child_id, rule=due.rule.record_class, due_on=due.due_on, purged=not dry_run
    )
    if session.get(LegalHold, child_id) is not None:
        return PurgeResult(
            child_id=due.child_id,
            rule=due.rule.record_class,
            due_on=due.due_on,
            purged=False,
            skipped_because="legal hold",
        )
    if not dry_run:
        purge_child(session, due=due, purged_by=purged_by)
    return result


def purge_due(
    session_factory: Callable[[], Session], *, as_of: date, purged_by: str, dry_run: bool
) -> list[PurgeResult]:
    """Purge every child due on `as_of`, each in a transaction of its own."""
    with session_factory() as session:
        candidates = [due.child_id for due in all_due(session, as_of=as_of)]
    results = []
    for child_id in candidates:
        with session_factory() as session:
            result = purge_one(
                session, child_id=child_id, as_of=as_of, purged_by=purged_by, dry_run=dry_run
            )
            if dry_run:
                session.rollback()
            else:
                session.commit()
        if result is not None:
            results.append(result)
    return results
