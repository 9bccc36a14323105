"""Loading what is recorded about a round's children, in bulk, to place each on the route."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.plans.models import IN_FORCE_KINDS, Plan
from cases_api.plans.sections import PlanSections
from cases_api.rounds.models import (
    AllocationRound,
    Consultation,
    DecisionKind,
    RoundChild,
    RoundDecision,
)
from cases_api.rounds.proposing import latest_proposal, proposal_answer
from cases_api.rounds.route import Facts, Progress, progress

_PROMISED = (DecisionKind.ACCEPTED, DecisionKind.OVERRIDDEN)


@dataclass(frozen=True, kw_only=True)
class ChildOnRoute:
    child_id: uuid.UUID
    provision_id: uuid.UUID | None
    decision_id: uuid.UUID | None
    consultation_id: uuid.UUID | None
    consultation_due_on: date | None
    school_answered_on: date | None
    plan_id: uuid.UUID | None
    notice_version: int | None
    notice_issued_on: date | None
    plan_issued_on: date | None
    progress: Progress


def on_route(
    session: Session, *, round_: AllocationRound, members: Sequence[RoundChild], today: date
) -> list[ChildOnRoute]:
    """Each member's stage on the route, in the order given (a few queries, not one a child)."""
    child_ids = [member.child_id for member in members]
    latest = latest_proposal(session, round_.id)
    placed: dict[str, str] = {}
    considered: set[str] = set()
    if latest is not None:
        answer = proposal_answer(latest)
        placed = {a.child_id: a.provision_id for a in answer.assignments}
        considered = set(placed) | {u.child_id for u in answer.unplaced}
    decisions = {
        d.child_id: d
        for d in session.scalars(
            sa.select(RoundDecision).where(
                RoundDecision.round_id == round_.id,
                RoundDecision.current.is_(True),
                RoundDecision.child_id.in_(child_ids),
            )
        )
    }
    consultations: dict[uuid.UUID, Consultation] = {}
    for consultation in session.scalars(
        sa.select(Consultation)
        .where(Consultation.round_id == round_.id, Consultation.child_id.in_(child_ids))
        .order_by(Consultation.created_at, Consultation.id)
    ):
        consultations[consultation.child_id] = consultation  # the latest wins
    plans = {
        plan.child_id: plan
        for plan in session.scalars(
            sa.select(Plan).where(Plan.child_id.in_(child_ids), Plan.ceased_on.is_(None))
        )
    }
    return [
        _child_on_route(
            member,
            round_=round_,
            proposed=(str(member.child_id) in placed)
            if str(member.child_id) in considered
            else None,
            decision=decisions.get(member.child_id),
            consultation=consultations.get(member.child_id),
            plan=plans.get(member.child_id),
            today=today,
        )
        for member in members
    ]


def _child_on_route(
    member: RoundChild,
    *,
    round_: AllocationRound,
    proposed: bool | None,
    decision: RoundDecision | None,
    consultation: Consultation | None,
    plan: Plan | None,
    today: date,
) -> ChildOnRoute:
    promised = decision is not None and decision.kind in _PROMISED
    provision_id = decision.provision_id if decision is not None else None
    notice = None
    if promised and decision is not None and plan is not None and decision.notice_version:
        notice = plan.versions[decision.notice_version - 1]
    issued_on = (
        _issued_naming(plan, provision_id, after=notice.number if notice else 0, since=decision)
        if promised and plan is not None and decision is not None
        else None
    )
    facts = Facts(
        proposed=proposed,
        decision=decision.kind.value if decision is not None else None,
        consultation=consultation.status.value if consultation is not None else None,
        consultation_due_on=consultation.due_on if consultation is not None else None,
        notice_issued_on=notice.issued_on if notice is not None else None,
        notice_comments_waived=notice.comments_waived if notice is not None else False,
        plan_issued_on=issued_on,
        has_plan=plan is not None,
        transfer=member.transfer,
        entry_date=round_.entry_date,
    )
    return ChildOnRoute(
        child_id=member.child_id,
        provision_id=provision_id,
        decision_id=decision.id if decision is not None else None,
        consultation_id=consultation.id if consultation is not None else None,
        consultation_due_on=facts.consultation_due_on,
        school_answered_on=consultation.answered_on if consultation is not None else None,
        plan_id=plan.id if plan is not None else None,
        notice_version=notice.number if notice is not None else None,
        notice_issued_on=facts.notice_issued_on,
        plan_issued_on=issued_on,
        progress=progress(facts, today=today),
    )


def _issued_naming(
    plan: Plan, provision_id: uuid.UUID | None, *, after: int, since: RoundDecision
) -> date | None:
    """When an in-force version after the notice (or, without one, issued on or after the
    decision) first named the setting."""
    decided_on = since.created_at.date()
    for version in plan.versions:
        if version.number <= after or version.kind not in IN_FORCE_KINDS:
            continue
        if not after and version.issued_on < decided_on:
            continue
        named = PlanSections.model_validate(version.sections).i
        if named is not None and named.provision_id == provision_id:
            return version.issued_on
    return None
