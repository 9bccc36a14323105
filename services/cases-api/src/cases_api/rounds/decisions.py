"""Officers' decisions on a proposal, and schools' answers to the consultations that follow."""

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.access.rounds import open_round_for_write, require_answerer, visible_consultation
from cases_api.access.scope import Scope
from cases_api.children.models import Child
from cases_api.core.errors import Conflict, InvalidInput, NotFound
from cases_api.core.time import today, utcnow
from cases_api.placements.models import Placement, PlacementStatus
from cases_api.placements.places import hold_place, release_hold, take_held_place
from cases_api.plans.service import propose_named_setting
from cases_api.provisions.models import Provision
from cases_api.rounds.models import (
    AllocationRound,
    Consultation,
    ConsultationStatus,
    DecisionKind,
    RoundChild,
    RoundDecision,
)
from cases_api.rounds.proposals import check_override
from cases_api.rounds.proposing import (
    as_available,
    as_cohort_child,
    latest_proposal,
    proposal_answer,
)
from cases_api.rounds.schemas import ConsultationAnswer, DecisionCreate
from cases_api.statutory import school_reply_due

_PROMISED = (DecisionKind.ACCEPTED, DecisionKind.OVERRIDDEN)


def _standing_decision(
    session: Session, round_id: uuid.UUID, child_id: uuid.UUID
) -> RoundDecision | None:
    return session.scalar(
        sa.select(RoundDecision).where(
            RoundDecision.round_id == round_id,
            RoundDecision.child_id == child_id,
            RoundDecision.current.is_(True),
        )
    )


def _check_override(
    session: Session, *, round_: AllocationRound, member: RoundChild, provision: Provision
) -> list[str]:
    checked = check_override(
        as_cohort_child(member, session.get_one(Child, member.child_id)),
        as_available(provision, free_places=provision.free_places),
        max_travel_km=round_.max_travel_km,
    )
    if checked.refusal is not None:
        raise InvalidInput(f"The override is not admissible: {checked.refusal}.")
    return checked.warnings


def decide(
    session: Session, *, round_id: uuid.UUID, data: DecisionCreate, scope: Scope
) -> tuple[RoundDecision, Consultation | None, list[str]]:
    """Accept, reject or override the latest proposal for one child. Accepting or overriding
    promises the place at once (409 if none is free), opens a consultation with the school
    (15 days, s39(2)) and, where the child's plan is in force, sends the family an amendment
    notice proposing the setting (reg 22(2)); the amended plan is issued by an officer later."""
    round_ = open_round_for_write(session, round_id=round_id, scope=scope)
    member = session.get(RoundChild, (round_id, data.child_id))
    if member is None:
        raise NotFound("The child is not in this round.")
    proposal = latest_proposal(session, round_id)
    if proposal is None:
        raise Conflict("Ask for a proposal before deciding on it.")
    standing = _standing_decision(session, round_id, data.child_id)
    if standing is not None and standing.kind in _PROMISED:
        raise Conflict(
            "A place is already promised to this child in this round; wait for the school's "
            "answer.",
            decision_id=str(standing.id),
        )
    provision_id = data.provision_id
    if data.decision is DecisionKind.ACCEPTED:
        proposed = {a.child_id: a.provision_id for a in proposal_answer(proposal).assignments}
        if str(data.child_id) not in proposed:
            raise Conflict(
                "The latest proposal places this child nowhere; override with a provision instead."
            )
        provision_id = uuid.UUID(proposed[str(data.child_id)])
    provision = session.get(Provision, provision_id) if provision_id else None
    warnings: list[str] = []
    if data.decision is DecisionKind.OVERRIDDEN:
        if provision is None:
            raise InvalidInput(f"provision_id {provision_id} is not in the directory.")
        warnings = _check_override(session, round_=round_, member=member, provision=provision)
    if standing is not None:
        standing.current = False
        session.flush()
    decision = RoundDecision(
        round_id=round_id,
        child_id=data.child_id,
        proposal_id=proposal.id,
        kind=data.decision,
        provision_id=provision.id if provision is not None else None,
        reason=data.reason,
        decided_by=scope.principal.subject,
    )
    session.add(decision)
    session.flush()
    consultation = None
    if provision is not None:
        hold_place(session, provision)
        sent_on = today()
        notice = propose_named_setting(
            session,
            child_id=data.child_id,
            provision=provision,
            starts_on=round_.entry_date,
            issued_on=sent_on,
            scope=scope,
        )
        if notice is not None:
            decision.plan_id = notice.plan_id
            decision.notice_version = notice.number
        consultation = Consultation(
            round_id=round_id,
            decision_id=decision.id,
            child_id=data.child_id,
            provision_id=provision.id,
            status=ConsultationStatus.PENDING,
            sent_on=sent_on,
            due_on=school_reply_due(sent_on),
        )
        session.add(consultation)
    round_.updated_at = utcnow()
    session.flush()
    return decision, consultation, warnings


def answer(
    session: Session,
    *,
    consultation_id: uuid.UUID,
    data: ConsultationAnswer,
    scope: Scope,
) -> Consultation:
    """The school agrees (the promised place becomes a placement from the entry date; an officer
    then issues the amended plan naming it) or declines (the place is released and the child
    can be proposed again)."""
    consultation = visible_consultation(session, consultation_id=consultation_id, scope=scope)
    require_answerer(scope)
    if consultation.status is not ConsultationStatus.PENDING:
        raise Conflict(
            f"The consultation was answered already ({consultation.status.value}).",
            consultation_status=consultation.status.value,
        )
    provision = consultation.provision
    round_ = session.get(AllocationRound, consultation.round_id) if consultation.round_id else None
    if data.answer is ConsultationStatus.AGREED:
        take_held_place(session, provision)
        starts_on = round_.entry_date if round_ is not None else today()
        placement = Placement(
            child_id=consultation.child_id,
            provision_id=provision.id,
            status=PlacementStatus.ACTIVE,
            starts_on=starts_on,
            annual_cost_pence=session.get_one(Provision, provision.id).annual_cost_pence,
        )
        session.add(placement)
        session.flush()
        consultation.placement_id = placement.id
    else:
        release_hold(session, provision)
        if consultation.decision_id is not None:
            session.get_one(RoundDecision, consultation.decision_id).current = False
    consultation.status = data.answer
    consultation.answered_on = today()
    consultation.answer_reason = data.reason
    consultation.answered_by = scope.principal.subject
    consultation.updated_at = utcnow()
    session.flush()
    return consultation
