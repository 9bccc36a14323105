"""Lists of rounds, their cohort, proposals, decisions, and consultations."""

import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.access import Scope
from cases_api.access.rounds import require_round_reader
from cases_api.core.keyset import Keyset, fetch_page, typed
from cases_api.rounds.models import (
    AllocationRound,
    Consultation,
    ConsultationStatus,
    RoundChild,
    RoundDecision,
    RoundProposal,
)

_TEXT = typed(str)
_INT = typed(int)


def _by_id(name: str, key: Any, tiebreak: Any) -> Keyset:
    return Keyset(
        name=name,
        key=key,
        tiebreak=tiebreak,
        parse=lambda k, t: (_TEXT(k), uuid.UUID(str(t))),
    )


def list_rounds(
    session: Session, *, scope: Scope, limit: int, cursor: str | None
) -> tuple[list[AllocationRound], str | None]:
    """The caller's LA's rounds, newest entry date first."""
    require_round_reader(scope)
    query = sa.select(AllocationRound).where(scope.la_filter(AllocationRound.la_code))
    keyset = Keyset(
        name="-entry_date",
        key=sa.cast(AllocationRound.entry_date, sa.String),
        tiebreak=AllocationRound.id.expression,
        descending=True,
        parse=lambda k, t: (_TEXT(k), uuid.UUID(str(t))),
    )
    rows, next_cursor = fetch_page(session, query, keyset=keyset, limit=limit, cursor=cursor)
    return [row.AllocationRound for row in rows], next_cursor


def _visible_round(round_id: uuid.UUID, scope: Scope) -> sa.Select[uuid.UUID]:
    return sa.select(AllocationRound.id).where(
        AllocationRound.id == round_id, scope.la_filter(AllocationRound.la_code)
    )


def list_round_children(
    session: Session, *, round_id: uuid.UUID, scope: Scope, limit: int, cursor: str | None
) -> tuple[list[RoundChild], str | None]:
    """The cohort, by child id."""
    query = sa.select(RoundChild).where(RoundChild.round_id.in_(_visible_round(round_id, scope)))
    keyset = Keyset(
        name="child_id",
        key=sa.cast(RoundChild.child_id, sa.String),
        tiebreak=RoundChild.child_id.expression,
        parse=lambda k, t: (_TEXT(k), uuid.UUID(str(t))),
    )
    rows, next_cursor = fetch_page(session, query, keyset=keyset, limit=limit, cursor=cursor)
    return [row.RoundChild for row in rows], next_cursor


def list_proposals(
    session: Session, *, round_id: uuid.UUID, scope: Scope
) -> Sequence[RoundProposal]:
    """Every proposal of the round, newest first (a round asks for a handful)."""
    return session.scalars(
        sa.select(RoundProposal)
        .where(RoundProposal.round_id.in_(_visible_round(round_id, scope)))
        .order_by(RoundProposal.number.desc())
    ).all()


def list_decisions(
    session: Session,
    *,
    round_id: uuid.UUID,
    scope: Scope,
    current_only: bool,
    limit: int,
    cursor: str | None,
) -> tuple[list[tuple[RoundDecision, uuid.UUID | None]], str | None]:
    """Decisions in the order they were taken, each with the consultation it opened, if any."""
    query = (
        sa.select(RoundDecision, Consultation.id.label("consultation_id"))
        .outerjoin(Consultation, Consultation.decision_id == RoundDecision.id)
        .where(RoundDecision.round_id.in_(_visible_round(round_id, scope)))
    )
    if current_only:
        query = query.where(RoundDecision.current.is_(True))
    keyset = _by_id("created", sa.cast(RoundDecision.created_at, sa.String), RoundDecision.id)
    rows, next_cursor = fetch_page(session, query, keyset=keyset, limit=limit, cursor=cursor)
    return [(row.RoundDecision, row.consultation_id) for row in rows], next_cursor


def list_consultations(
    session: Session,
    *,
    scope: Scope,
    status: ConsultationStatus | None,
    round_id: uuid.UUID | None,
    provision_id: uuid.UUID | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[Consultation], str | None]:
    """Consultations the caller may see, soonest reply due first."""
    query = sa.select(Consultation).where(scope.consultations_filter())
    if status is not None:
        query = query.where(Consultation.status == status)
    if round_id is not None:
        query = query.where(Consultation.round_id == round_id)
    if provision_id is not None:
        query = query.where(Consultation.provision_id == provision_id)
    keyset = _by_id("due_on", sa.cast(Consultation.due_on, sa.String), Consultation.id)
    rows, next_cursor = fetch_page(session, query, keyset=keyset, limit=limit, cursor=cursor)
    return [row.Consultation for row in rows], next_cursor
