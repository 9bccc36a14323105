"""HTTP routes of allocation rounds and consultations. Thin: parse, call the service, present."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request, Response, status

from cases_api.access import ScopeDep
from cases_api.access.flags import undisclosed_child_ids
from cases_api.access.policy import Audit, Reason, policy
from cases_api.access.redaction import exchange_child_ids, redact_exchange
from cases_api.access.references import BodyReferencesChecked
from cases_api.access.rounds import visible_consultation, visible_round
from cases_api.auth.deps import Officer
from cases_api.core.deps import SessionDep
from cases_api.core.etag import etag_for
from cases_api.core.pagination import CursorQuery, LimitQuery, Page, set_next_link, single_page
from cases_api.idempotency.deps import IdempotencyDep, respond_created
from cases_api.rounds import decisions, proposing, queries, reading, service
from cases_api.rounds.models import ConsultationStatus
from cases_api.rounds.schemas import (
    CohortAdded,
    CohortRuleApply,
    ConsultationAnswer,
    ConsultationRead,
    DecisionCreate,
    DecisionRead,
    ProposalDiff,
    ProposalExchange,
    ProposalListItem,
    ProposalView,
    RoundChildCreate,
    RoundChildProgress,
    RoundChildRead,
    RoundChildUpdate,
    RoundCreate,
    RoundRead,
    RoundSummary,
    RoundUpdate,
    present_consultation,
    present_exchange,
    present_proposal,
    present_round,
)

router = APIRouter(tags=["allocation rounds"])
consultations_router = APIRouter(tags=["consultations"])

RoundId = Annotated[uuid.UUID, Path(description="The round.")]
ProposalNumber = Annotated[int, Path(ge=1, le=100_000, description="1 for the first proposal.")]
IfMatch = Annotated[str | None, Header(max_length=200, description="The round's ETag.")]
MATCHING_FAILURES: dict[int | str, dict[str, Any]] = {
    502: {"description": "The matching service broke its contract; nothing was stored"},
    503: {"description": "The matching service is down or slow; nothing was stored"},
}


@router.post(
    "/rounds",
    status_code=status.HTTP_201_CREATED,
    operation_id="createRound",
    summary="Open an allocation round in the officer's LA",
    dependencies=[policy(Audit.write("rounds"))],
)
def create_round(
    body: RoundCreate,
    session: SessionDep,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> RoundRead:
    """Opens an allocation round in the officer's LA: the children to place for an entry date,
    and optionally a budget line. Who may call: officers with an LA; other roles get 403.
    Send an `Idempotency-Key` to retry safely: the same key and body within 24 hours replay
    the first answer; the same key with another body is 422."""
    created = present_round(service.create_round(session, data=body, scope=scope))
    respond_created(
        response, idempotency, body=created, location=f"/v1/rounds/{created.id}", etag=created.etag
    )
    return created


@router.get(
    "/rounds",
    operation_id="listRounds",
    summary="The LA's allocation rounds",
    dependencies=[policy(Audit.read("rounds"), scopes=("rounds:read",))],
)
def list_rounds(
    request: Request,
    response: Response,
    session: SessionDep,
    scope: ScopeDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[RoundRead]:
    """The LA's allocation rounds, newest first. Who may call: the LA's officers and service
    clients with the scope under `security`; other roles get 403."""
    rows, next_cursor = queries.list_rounds(session, scope=scope, limit=limit, cursor=cursor)
    set_next_link(request, response, next_cursor)
    return Page(items=[present_round(row) for row in rows], next_cursor=next_cursor)


@router.get(
    "/rounds/{round_id}",
    operation_id="getRound",
    summary="Read a round",
    dependencies=[policy(Audit.read("rounds", "round_id"), scopes=("rounds:read",))],
)
def get_round(
    round_id: RoundId, session: SessionDep, scope: ScopeDep, response: Response
) -> RoundRead:
    """Reads an allocation round: its entry date, budget line, state and `ETag`. Who may call:
    the LA's officers and service clients with the scope under `security`; a round of
    another LA is 404."""
    found = present_round(visible_round(session, round_id=round_id, scope=scope))
    response.headers["ETag"] = found.etag
    return found


@router.patch(
    "/rounds/{round_id}",
    operation_id="updateRound",
    summary="Rename a round, set its budget line, or close it (needs If-Match)",
    dependencies=[policy(Audit.write("rounds", "round_id"))],
)
def update_round(
    round_id: RoundId,
    body: RoundUpdate,
    session: SessionDep,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> RoundRead:
    """Renames a round, sets its budget line (pence), or closes it; closing it while
    consultations are still pending is 409. Who may call: the LA's officers; other roles get
    403. Needs `If-Match` with the ETag of your last read: 428 without it, 412 when the
    record has changed since (read it again)."""
    updated = present_round(
        service.update_round(
            session, round_id=round_id, changes=body, if_match=if_match, scope=scope
        )
    )
    response.headers["ETag"] = updated.etag
    return updated


@router.post(
    "/rounds/{round_id}/cohort-rules",
    operation_id="applyCohortRule",
    summary="Add the children a rule selects (phase transfer, no named setting, ending)",
    dependencies=[policy(Audit.write("rounds", "round_id"))],
)
def apply_cohort_rule(
    round_id: RoundId, body: CohortRuleApply, session: SessionDep, scope: ScopeDep
) -> CohortAdded:
    """Adds to the round every child of the LA a rule selects: those with a phase transfer
    coming, those whose plan names no setting for it, or those whose placement ends.
    Children already in it stay as they are. Who may call: the LA's officers; other roles
    get 403."""
    return service.apply_cohort_rule(session, round_id=round_id, rule=body.rule, scope=scope)


@router.post(
    "/rounds/{round_id}/children",
    status_code=status.HTTP_201_CREATED,
    operation_id="addRoundChild",
    summary="Add a child to the round by hand",
    dependencies=[policy(Audit.write("rounds", "round_id"))],
)
def add_round_child(
    round_id: RoundId,
    body: RoundChildCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> RoundChildRead:
    """Adds one child of the LA to the round by hand, with the kinds of provision that suit
    them and the family's requested settings. A child already in the round is 409. Who may
    call: officers of the LA that holds the record. Other roles get 403; a record you may
    not see is 404. Send an `Idempotency-Key` to retry safely: the same key and body within
    24 hours replay the first answer; the same key with another body is 422."""
    (member,) = reading.present_members(
        session,
        [service.add_round_child(session, round_id=round_id, data=body, scope=scope)],
        scope=scope,
    )
    respond_created(
        response,
        idempotency,
        body=member,
        location=f"/v1/rounds/{round_id}/children/{member.child_id}",
    )
    return member


@router.get(
    "/rounds/{round_id}/children",
    operation_id="listRoundChildren",
    summary="The round's cohort",
    dependencies=[policy(Audit.read("rounds", "round_id"), scopes=("rounds:read",))],
)
def list_round_children(
    round_id: RoundId,
    request: Request,
    response: Response,
    session: SessionDep,
    scope: ScopeDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[RoundChildRead]:
    """The round's cohort: each child with their suitable kinds and requested settings. Who may
    call: the LA's officers and service clients with the scope under `security`."""
    visible_round(session, round_id=round_id, scope=scope)
    rows, next_cursor = queries.list_round_children(
        session, round_id=round_id, scope=scope, limit=limit, cursor=cursor
    )
    set_next_link(request, response, next_cursor)
    return Page(items=reading.present_members(session, rows, scope=scope), next_cursor=next_cursor)


@router.get(
    "/rounds/{round_id}/progress",
    operation_id="listRoundProgress",
    summary="Where each child stands from proposal to a plan naming the setting, with deadlines",
    dependencies=[policy(Audit.read("rounds", "round_id"), scopes=("rounds:read",))],
)
def list_round_progress(
    round_id: RoundId,
    request: Request,
    response: Response,
    session: SessionDep,
    scope: ScopeDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[RoundChildProgress]:
    """Where each child of the round stands, from proposal through consultation with the school
    and the family's comments to a plan naming the setting, with the deadline of the next
    step. Who may call: the LA's officers and service clients with the scope under
    `security`."""
    items, next_cursor = service.progress_page(
        session, round_id=round_id, scope=scope, limit=limit, cursor=cursor
    )
    set_next_link(request, response, next_cursor)
    return Page(items=items, next_cursor=next_cursor)


@router.patch(
    "/rounds/{round_id}/children/{child_id}",
    operation_id="updateRoundChild",
    summary="Correct a child's suitable kinds or the family's requested settings "
    "(needs If-Match: the round's ETag)",
    dependencies=[policy(Audit.write("children", "child_id"))],
)
def update_round_child(
    round_id: RoundId,
    child_id: uuid.UUID,
    body: RoundChildUpdate,
    session: SessionDep,
    scope: ScopeDep,
    response: Response,
    _references: BodyReferencesChecked,
    if_match: IfMatch = None,
) -> RoundChildRead:
    """Corrects a child's suitable kinds of provision or the family's requested settings in the
    round; later proposals use the new values. Who may call: the LA's officers; other roles
    get 403."""
    member = service.update_round_child(
        session, round_id=round_id, child_id=child_id, changes=body, if_match=if_match, scope=scope
    )
    (updated,) = reading.present_members(session, [member], scope=scope)
    # The cohort is part of the round: the round's new ETag, for the next change to either.
    response.headers["ETag"] = etag_for(
        visible_round(session, round_id=round_id, scope=scope).version
    )
    return updated


@router.delete(
    "/rounds/{round_id}/children/{child_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="removeRoundChild",
    summary="Take a child out of the round (needs If-Match: the round's ETag)",
    dependencies=[policy(Audit.write("children", "child_id"))],
)
def remove_round_child(
    round_id: RoundId,
    child_id: uuid.UUID,
    session: SessionDep,
    scope: ScopeDep,
    if_match: IfMatch = None,
) -> None:
    """Takes a child out of the round; 204. A child with a decision already taken is 409. Who
    may call: the LA's officers; other roles get 403."""
    service.remove_round_child(
        session, round_id=round_id, child_id=child_id, if_match=if_match, scope=scope
    )


@router.post(
    "/rounds/{round_id}/proposals",
    status_code=status.HTTP_201_CREATED,
    operation_id="requestProposal",
    summary="Ask the matching service for a proposal, keep the exchange, and present it",
    responses=MATCHING_FAILURES,
    dependencies=[policy(Audit.write("rounds", "round_id"))],
)
def request_proposal(
    round_id: RoundId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> ProposalView:
    """Sends the round's cohort and the free places to the matching service, stores the
    exchange, and presents its proposal: who goes where, why, and at what cost. 409 when
    every child already has a place promised; 502 when the matching service breaks its
    contract and 503 when it is down or slow (nothing is stored either way). Who may call:
    the LA's officers; other roles get 403. Send an `Idempotency-Key` to retry safely: the
    same key and body within 24 hours replay the first answer; the same key with another
    body is 422."""
    proposal = proposing.request_proposal(
        session,
        round_id=round_id,
        client=request.app.state.matching_client,
        scope=scope,
        request_id=request.scope.get("state", {}).get("request_id"),
    )
    created = reading.present_stored(session, proposal=proposal, scope=scope)
    respond_created(
        response,
        idempotency,
        body=created,
        location=f"/v1/rounds/{round_id}/proposals/{created.number}",
    )
    return created


@router.get(
    "/rounds/{round_id}/proposals",
    operation_id="listProposals",
    summary="The round's proposals, newest first",
    dependencies=[policy(Audit.read("rounds", "round_id"), scopes=("rounds:read",))],
)
def list_proposals(
    round_id: RoundId, session: SessionDep, scope: ScopeDep
) -> Page[ProposalListItem]:
    """The round's proposals, newest first, with their totals. Who may call: the LA's officers
    and service clients with the scope under `security`."""
    visible_round(session, round_id=round_id, scope=scope)
    return single_page(
        present_proposal(p) for p in queries.list_proposals(session, round_id=round_id, scope=scope)
    )


@router.get(
    "/rounds/{round_id}/proposals/{number}",
    operation_id="getProposal",
    summary="A proposal in the LA's terms: who goes where and why, by name, in pence",
    dependencies=[policy(Audit.read("proposals", "number"), scopes=("rounds:read",))],
)
def get_proposal(
    round_id: RoundId, number: ProposalNumber, session: SessionDep, scope: ScopeDep
) -> ProposalView:
    """One proposal in the LA's terms: each child by name, the provision proposed and why, the
    cost in pence, and who could not be placed. Who may call: the LA's officers and service
    clients with the scope under `security`."""
    return reading.read_proposal(session, round_id=round_id, number=number, scope=scope)


@router.get(
    "/rounds/{round_id}/proposals/{number}/exchange",
    operation_id="getProposalExchange",
    summary="For audit: the exact request sent to the matching service and its answer, as stored",
    # The exchange holds each child's home location as sent to the solver, so it needs both.
    dependencies=[
        policy(Audit.read("proposals", "number"), scopes=("rounds:read", "locations:read"))
    ],
)
def get_proposal_exchange(
    round_id: RoundId, number: ProposalNumber, session: SessionDep, scope: ScopeDep
) -> ProposalExchange:
    """For audit: the exact request sent to the matching service and its answer, as stored (it
    holds children's locations, hence the extra scope for service clients). Who may call:
    the LA's officers and service clients with the scopes under `security`."""
    exchange = present_exchange(
        proposing.get_proposal(session, round_id=round_id, number=number, scope=scope)
    )
    undisclosed = undisclosed_child_ids(session, exchange_child_ids(exchange))
    return redact_exchange(exchange, scope, undisclosed=undisclosed)


@router.get(
    "/rounds/{round_id}/proposals/{number}/diff/{other}",
    operation_id="diffProposals",
    summary="What changed, child by child and why, between two proposals",
    dependencies=[policy(Audit.read("proposals", "number"), scopes=("rounds:read",))],
)
def diff_proposals(
    round_id: RoundId,
    number: ProposalNumber,
    other: ProposalNumber,
    session: SessionDep,
    scope: ScopeDep,
) -> ProposalDiff:
    """What changed between two proposals of the round, child by child, and why. Who may call:
    the LA's officers and service clients with the scope under `security`."""
    return reading.diff(session, round_id=round_id, before=number, after=other, scope=scope)


@router.post(
    "/rounds/{round_id}/decisions",
    status_code=status.HTTP_201_CREATED,
    operation_id="decideChild",
    summary="Accept, reject or override the latest proposal for a child",
    dependencies=[policy(Audit.write("rounds", "round_id"))],
)
def decide_child(
    round_id: RoundId,
    body: DecisionCreate,
    session: SessionDep,
    principal: Officer,
    scope: ScopeDep,
    response: Response,
    idempotency: IdempotencyDep,
) -> DecisionRead:
    """Accepts, rejects or overrides (another provision, with a reason) the latest proposal for
    a child. Accepting opens a consultation with the school. 409 before any proposal, or
    while a place promised to the child awaits the school's answer; an inadmissible override
    is 422. Who may call: officers of the LA that holds the record. Other roles get 403; a
    record you may not see is 404. Send an `Idempotency-Key` to retry safely: the same key
    and body within 24 hours replay the first answer; the same key with another body is 422."""
    decision, consultation, warnings = decisions.decide(
        session, round_id=round_id, data=body, scope=scope
    )
    created = DecisionRead.model_validate(decision).model_copy(
        update={"consultation_id": consultation.id if consultation else None, "warnings": warnings}
    )
    respond_created(
        response, idempotency, body=created, location=f"/v1/rounds/{round_id}/decisions"
    )
    return created


@router.get(
    "/rounds/{round_id}/decisions",
    operation_id="listDecisions",
    summary="The round's decisions",
    dependencies=[policy(Audit.read("rounds", "round_id"), scopes=("rounds:read",))],
)
def list_decisions(
    round_id: RoundId,
    request: Request,
    response: Response,
    session: SessionDep,
    scope: ScopeDep,
    current_only: bool = True,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[DecisionRead]:
    """The round's decisions, child by child, with who decided and when. Who may call: the LA's
    officers and service clients with the scope under `security`."""
    visible_round(session, round_id=round_id, scope=scope)
    rows, next_cursor = queries.list_decisions(
        session,
        round_id=round_id,
        scope=scope,
        current_only=current_only,
        limit=limit,
        cursor=cursor,
    )
    set_next_link(request, response, next_cursor)
    return Page(
        items=[
            DecisionRead.model_validate(decision).model_copy(
                update={"consultation_id": consultation_id}
            )
            for decision, consultation_id in rows
        ],
        next_cursor=next_cursor,
    )


@router.get(
    "/rounds/{round_id}/summary",
    operation_id="getRoundSummary",
    summary="Placed, refused and unplaced, cost against the budget line, and the last two proposals",
    dependencies=[policy(Audit.read("rounds", "round_id"), scopes=("rounds:read",))],
)
def get_round_summary(round_id: RoundId, session: SessionDep, scope: ScopeDep) -> RoundSummary:
    """The round at a glance: placed, refused and unplaced children, the cost against the
    budget line, and the last two proposals compared. Who may call: the LA's officers and
    service clients with the scope under `security`."""
    return service.summary(session, round_id=round_id, scope=scope)


@consultations_router.get(
    "/consultations",
    operation_id="listConsultations",
    summary="Consultations: a school sees its own; officers their LA's",
    dependencies=[
        policy(
            Audit.read("consultations"),
            reason=Reason.bulk("lists of consultations", narrowed_by=("round_id", "provision_id")),
            scopes=("rounds:read",),
        )
    ],
)
def list_consultations(
    request: Request,
    response: Response,
    session: SessionDep,
    scope: ScopeDep,
    status: ConsultationStatus | None = None,
    round_id: uuid.UUID | None = None,
    provision_id: uuid.UUID | None = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[ConsultationRead]:
    """Consultations with schools about placing a child: a school sees those sent to it, a
    family those about its children, officers their LA's (with `X-Access-Reason` unless
    narrowed by `round_id` or `provision_id`), service clients with the scope under
    `security`. Administrators get 403."""
    rows, next_cursor = queries.list_consultations(
        session,
        scope=scope,
        status=status,
        round_id=round_id,
        provision_id=provision_id,
        limit=limit,
        cursor=cursor,
    )
    set_next_link(request, response, next_cursor)
    return Page(items=[present_consultation(row) for row in rows], next_cursor=next_cursor)


@consultations_router.get(
    "/consultations/{consultation_id}",
    operation_id="getConsultation",
    summary="Read a consultation",
    dependencies=[policy(Audit.read("consultations", "consultation_id"), scopes=("rounds:read",))],
)
def get_consultation(
    consultation_id: uuid.UUID, session: SessionDep, scope: ScopeDep
) -> ConsultationRead:
    """Reads a consultation: the child, the provision, its deadline (15 days) and its answer.
    Who may call: the school consulted, the child's family, the LA's officers, and service
    clients with the scope under `security`; administrators get 403, and a consultation you
    may not see is 404."""
    return present_consultation(
        visible_consultation(session, consultation_id=consultation_id, scope=scope)
    )


@consultations_router.post(
    "/consultations/{consultation_id}/answer",
    operation_id="answerConsultation",
    summary="The school agrees (a placement and a plan naming it) or declines (with a reason)",
    dependencies=[policy(Audit.write("consultations", "consultation_id"))],
)
def answer_consultation(
    consultation_id: uuid.UUID,
    body: ConsultationAnswer,
    session: SessionDep,
    scope: ScopeDep,
    idempotency: IdempotencyDep,
) -> ConsultationRead:
    """The school's answer: agree (the child's placement and a plan naming the setting follow)
    or decline, with a reason. Answering twice is 409. Who may call: the school consulted,
    or an officer of the LA on its behalf; other roles get 403. Send an `Idempotency-Key` to
    retry safely: the same key and body within 24 hours replay the first answer; the same
    key with another body is 422."""
    answered = present_consultation(
        decisions.answer(session, consultation_id=consultation_id, data=body, scope=scope)
    )
    # A retried answer with the same key gets this response again, not "answered already".
    idempotency.remember(status_code=200, body=answered)
    return answered
