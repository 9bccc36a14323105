"""Rounds themselves: open, read, change, list; the cohort; diffs and the summary."""

import uuid
from collections import Counter

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from cases_api.access import Scope
from cases_api.access.rounds import open_round_for_write, visible_round
from cases_api.auth.principal import Role
from cases_api.children.models import Child
from cases_api.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from cases_api.core.etag import check_if_match
from cases_api.core.time import today, utcnow
from cases_api.rounds import cohort, queries
from cases_api.rounds.models import (
    AllocationRound,
    Consultation,
    ConsultationStatus,
    RoundChild,
    RoundDecision,
    RoundProposal,
    RoundStatus,
)
from cases_api.rounds.presenting import present_progress
from cases_api.rounds.proposals import ProposalSummary, summarise
from cases_api.rounds.proposing import proposal_answer
from cases_api.rounds.reading import child_names, provision_facts
from cases_api.rounds.schemas import (
    CohortAdded,
    CohortRule,
    NotMatchable,
    RoundChildCreate,
    RoundChildProgress,
    RoundChildUpdate,
    RoundCreate,
    RoundSummary,
    RoundUpdate,
    SummaryFigures,
)
from cases_api.rounds.tracking import on_route


def create_round(session: Session, *, data: RoundCreate, scope: Scope) -> AllocationRound:
    """Open a round in the officer's LA."""
    if scope.principal.role is not Role.OFFICER or scope.principal.la_code is None:
        raise Forbidden("Rounds are opened by an officer of the LA that places the children.")
    round_ = AllocationRound(
        la_code=scope.principal.la_code,
        name=data.name,
        entry_date=data.entry_date,
        status=RoundStatus.OPEN,
        budget_pence=data.budget_pence,
        max_travel_km=data.max_travel_km,
        transport_cost_per_km_pence=data.transport_cost_per_km_pence,
        honour_preferences=data.honour_preferences,
        time_limit_s=data.time_limit_s,
        created_by=scope.principal.subject,
    )
    session.add(round_)
    session.flush()
    return round_


def update_round(
    session: Session,
    *,
    round_id: uuid.UUID,
    changes: RoundUpdate,
    if_match: str | None,
    scope: Scope,
) -> AllocationRound:
    """Rename, set the budget line, or close the round (not while consultations are pending)."""
    round_ = open_round_for_write(session, round_id=round_id, scope=scope)
    check_if_match(if_match, current_version=round_.version)
    for name in changes.model_fields_set:
        if getattr(changes, name) is None and name != "budget_pence":
            raise InvalidInput(f"{name} cannot be set to null.")
    if changes.status is RoundStatus.CLOSED:
        pending = session.scalar(
            sa.select(sa.func.count())
            .select_from(Consultation)
            .where(
                Consultation.round_id == round_id,
                Consultation.status == ConsultationStatus.PENDING,
            )
        )
        if pending:
            raise Conflict(f"{pending} consultations are still pending; close the round after.")
        round_.status = RoundStatus.CLOSED
    if changes.name is not None:
        round_.name = changes.name
    if "budget_pence" in changes.model_fields_set:
        round_.budget_pence = changes.budget_pence
    _touch(session, round_)
    return round_


def _touch(session: Session, round_: AllocationRound) -> None:
    # The cohort is part of the round: changing it moves the round's version, so a proposal
    # asked for before the change cannot be stored after it. The round is locked for the write
    # (`open_round_for_write`), so the version check fails only if that lock was bypassed.
    round_.updated_at = utcnow()
    try:
        session.flush()
    except StaleDataError as error:
        raise Conflict("Someone else changed this round at the same moment; retry.") from error


def apply_cohort_rule(
    session: Session, *, round_id: uuid.UUID, rule: CohortRule, scope: Scope
) -> CohortAdded:
    """Add the children a rule selects."""
    round_ = open_round_for_write(session, round_id=round_id, scope=scope)
    applied = cohort.apply_rule(session, round_=round_, rule=rule)
    _touch(session, round_)
    return CohortAdded(
        rule=rule,
        added=applied.added,
        already_in_round=applied.already_in_round,
        not_matchable_count=len(applied.not_matchable),
        not_matchable=_left_out(applied.not_matchable),
        staying_count=len(applied.staying),
        staying=_left_out(applied.staying),
    )


def _left_out(children: list[tuple[Child, str]]) -> list[NotMatchable]:
    return [
        NotMatchable(
            child_id=child.id,
            given_name=child.given_name,
            family_name=child.family_name,
            reason=why.removeprefix("has "),
        )
        for child, why in children
    ]


def add_round_child(
    session: Session, *, round_id: uuid.UUID, data: RoundChildCreate, scope: Scope
) -> RoundChild:
    """Add a child by hand."""
    round_ = open_round_for_write(session, round_id=round_id, scope=scope)
    member = cohort.add_child(
        session,
        round_=round_,
        child_id=data.child_id,
        suitable_kinds=data.suitable_kinds,
        requested=data.requested_provision_ids,
    )
    _touch(session, round_)
    return member


def _member(session: Session, round_id: uuid.UUID, child_id: uuid.UUID) -> RoundChild:
    member = session.get(RoundChild, (round_id, child_id))
    if member is None:
        raise NotFound("The child is not in this round.")
    return member


def update_round_child(
    session: Session,
    *,
    round_id: uuid.UUID,
    child_id: uuid.UUID,
    changes: RoundChildUpdate,
    if_match: str | None,
    scope: Scope,
) -> RoundChild:
    """Correct the suitable kinds or the family's requested settings (If-Match: the round's
    ETag, since the cohort is part of the round)."""
    round_ = open_round_for_write(session, round_id=round_id, scope=scope)
    check_if_match(if_match, current_version=round_.version)
    member = _member(session, round_id, child_id)
    if changes.suitable_kinds is not None:
        member.suitable_kinds = [kind.value for kind in changes.suitable_kinds]
    if changes.requested_provision_ids is not None:
        member.requested_provision_ids = [str(p) for p in changes.requested_provision_ids]
    _touch(session, round_)
    return member


def remove_round_child(
    session: Session,
    *,
    round_id: uuid.UUID,
    child_id: uuid.UUID,
    if_match: str | None,
    scope: Scope,
) -> None:
    """Take a child out of the round (409 once a decision stands for them)."""
    round_ = open_round_for_write(session, round_id=round_id, scope=scope)
    check_if_match(if_match, current_version=round_.version)
    member = _member(session, round_id, child_id)
    decided = session.scalar(
        sa.select(RoundDecision.id).where(
            RoundDecision.round_id == round_id,
            RoundDecision.child_id == child_id,
            RoundDecision.current.is_(True),
        )
    )
    if decided is not None:
        raise Conflict("A decision stands for this child in the round; it cannot be removed.")
    session.delete(member)
    _touch(session, round_)


def _figures(summary: ProposalSummary) -> SummaryFigures:
    return SummaryFigures.model_validate(summary, from_attributes=True)


def summary(session: Session, *, round_id: uuid.UUID, scope: Scope) -> RoundSummary:
    """The round at a glance, with the latest proposal's figures beside the previous one's."""
    round_ = visible_round(session, round_id=round_id, scope=scope)
    cohort_size = session.scalar(
        sa.select(sa.func.count()).select_from(RoundChild).where(RoundChild.round_id == round_id)
    )
    decisions = Counter(
        session.scalars(
            sa.select(RoundDecision.kind).where(
                RoundDecision.round_id == round_id, RoundDecision.current.is_(True)
            )
        )
    )
    consultations = Counter(
        session.scalars(sa.select(Consultation.status).where(Consultation.round_id == round_id))
    )
    proposals = session.scalars(
        sa.select(RoundProposal)
        .where(RoundProposal.round_id == round_id)
        .order_by(RoundProposal.number.desc())
        .limit(2)
    ).all()
    figures = [
        _figures(summarise(proposal_answer(p), budget_pence=round_.budget_pence)) for p in proposals
    ]
    members = session.scalars(sa.select(RoundChild).where(RoundChild.round_id == round_id)).all()
    children = on_route(session, round_=round_, members=members, today=today())
    stages = Counter(child.progress.stage.value for child in children)
    return RoundSummary(
        round_id=round_id,
        cohort=cohort_size or 0,
        decisions={kind.value: count for kind, count in sorted(decisions.items())},
        consultations={status.value: count for status, count in sorted(consultations.items())},
        placements_made=consultations.get(ConsultationStatus.AGREED, 0),
        route=dict(sorted(stages.items())),
        plans_overdue=sum(child.progress.overdue for child in children),
        latest_proposal=figures[0] if figures else None,
        previous_proposal=figures[1] if len(figures) > 1 else None,
    )


def progress_page(
    session: Session,
    *,
    round_id: uuid.UUID,
    scope: Scope,
    limit: int,
    cursor: str | None,
) -> tuple[list[RoundChildProgress], str | None]:
    """A page of the cohort, each child with where they stand on the route to a named setting."""
    round_ = visible_round(session, round_id=round_id, scope=scope)
    members, next_cursor = queries.list_round_children(
        session, round_id=round_id, scope=scope, limit=limit, cursor=cursor
    )
    children = on_route(session, round_=round_, members=members, today=today())
    names = child_names(session, (str(m.child_id) for m in members), scope=scope)
    provisions = provision_facts(session, (str(c.provision_id) for c in children if c.provision_id))
    return [
        present_progress(
            child,
            name=names.get(str(child.child_id)),
            age_at_entry=member.age_at_entry,
            provision=provisions.get(str(child.provision_id)),
        )
        for child, member in zip(children, members, strict=True)
    ], next_cursor
