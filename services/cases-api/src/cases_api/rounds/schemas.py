"""Request and response bodies of allocation rounds and consultations."""

import uuid
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import AfterValidator, Field, StrictBool, model_validator

from cases_api.core.etag import etag_for
from cases_api.core.schemas import CaseDate, InputModel, OutputModel, Pence, StrictNumber
from cases_api.core.time import today
from cases_api.rounds.models import (
    AllocationRound,
    Consultation,
    ConsultationStatus,
    DecisionKind,
    RoundProposal,
    RoundStatus,
)
from send_contracts import ProvisionKind
from send_contracts.matching import MAX_TRANSPORT_POUNDS_PER_KM

Reason = Annotated[str, Field(min_length=3, max_length=2000)]


def _plausible_entry_date(value: date) -> date:
    # Rounds place children for an intake: the next September's transfers (named by 15 February
    # or 31 March) or a mid-year start. Two years back covers a round recorded late, five ahead
    # early planning; anything else is a typo that gives every child an impossible age.
    now = today()
    earliest, latest = now - timedelta(days=2 * 365), now + timedelta(days=5 * 365)
    if not earliest <= value <= latest:
        raise ValueError(f"a round's entry date is between {earliest} and {latest}")
    return value


EntryDate = Annotated[CaseDate, AfterValidator(_plausible_entry_date)]


class RoundCreate(InputModel):
    name: str = Field(min_length=1, max_length=200, examples=["September 2027 secondary transfer"])
    entry_date: EntryDate = Field(
        description="When the placements start: from two years before today to five after.",
        examples=["2027-09-01"],
    )
    budget_pence: Pence | None = Field(
        default=None, description="The High Needs budget line for this round's annual cost."
    )
    max_travel_km: Annotated[float, StrictNumber] | None = Field(default=40.0, gt=0, le=1000)
    transport_cost_per_km_pence: Annotated[int, StrictNumber] = Field(
        default=40_000,
        ge=0,
        le=round(MAX_TRANSPORT_POUNDS_PER_KM * 100),
        description="Home-to-school transport, per km of distance, per year.",
    )
    honour_preferences: StrictBool = Field(
        default=True, description="Families' requested settings first, as s39 requires."
    )
    time_limit_s: Annotated[float, StrictNumber] = Field(default=10.0, gt=0, le=300)


class RoundUpdate(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    status: RoundStatus | None = None
    budget_pence: Pence | None = None


class RoundRead(OutputModel):
    id: uuid.UUID
    la_code: str
    name: str
    entry_date: date
    status: RoundStatus
    budget_pence: int | None
    max_travel_km: float | None
    transport_cost_per_km_pence: int
    honour_preferences: bool
    time_limit_s: float
    created_by: str
    etag: str
    created_at: datetime
    updated_at: datetime


class CohortRule(StrEnum):
    PHASE_TRANSFER = "phase_transfer"
    NO_NAMED_SETTING = "no_named_setting"
    PLACEMENTS_ENDING = "placements_ending"


class CohortRuleApply(InputModel):
    rule: CohortRule


class CohortAdded(OutputModel):
    rule: CohortRule
    added: int
    already_in_round: int
    not_matchable: int = Field(description="Selected, but with no home location or no need.")


class RoundChildCreate(InputModel):
    child_id: uuid.UUID
    suitable_kinds: list[ProvisionKind] = Field(min_length=1, max_length=7)
    requested_provision_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=10, description="The family's requested settings (s38)."
    )

    @model_validator(mode="after")
    def _unique(self) -> Self:
        if len(set(self.suitable_kinds)) != len(self.suitable_kinds):
            raise ValueError("suitable_kinds lists a kind twice")
        if len(set(self.requested_provision_ids)) != len(self.requested_provision_ids):
            raise ValueError("requested_provision_ids lists a provision twice")
        return self


class RoundChildUpdate(InputModel):
    suitable_kinds: list[ProvisionKind] | None = Field(default=None, min_length=1, max_length=7)
    requested_provision_ids: list[uuid.UUID] | None = Field(default=None, max_length=10)


class RoundChildRead(OutputModel):
    child_id: uuid.UUID
    suitable_kinds: list[ProvisionKind]
    requested_provision_ids: list[uuid.UUID]
    age_at_entry: int
    added_by: str


class ProposalListItem(OutputModel):
    id: uuid.UUID
    number: int
    status: str
    placed: int
    unplaced: int
    annual_cost_pence: int
    requested_by: str
    created_at: datetime


class ProposalRead(ProposalListItem):
    request: dict[str, Any] = Field(description="The exact request sent to the matching service.")
    response: dict[str, Any] = Field(description="The matching service's answer, as given.")


class ProposalChange(OutputModel):
    child_id: uuid.UUID
    before_provision_id: uuid.UUID | None
    after_provision_id: uuid.UUID | None


class ProposalDiff(OutputModel):
    before: int
    after: int
    changes: list[ProposalChange]
    placed_delta: int
    annual_cost_delta_pence: int


class DecisionCreate(InputModel):
    child_id: uuid.UUID
    decision: DecisionKind
    provision_id: uuid.UUID | None = Field(
        default=None, description="Required to override: the provision chosen instead."
    )
    reason: Reason | None = Field(default=None, description="Required to reject or override.")

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.decision is not DecisionKind.ACCEPTED and self.reason is None:
            raise ValueError(f"a reason is required to {self.decision.value.removesuffix('ed')}")
        if self.decision is DecisionKind.OVERRIDDEN and self.provision_id is None:
            raise ValueError("provision_id is required to override")
        if self.decision is not DecisionKind.OVERRIDDEN and self.provision_id is not None:
            raise ValueError("provision_id is only for overrides; accept takes the proposal's")
        return self


class DecisionRead(OutputModel):
    id: uuid.UUID
    child_id: uuid.UUID
    proposal_id: uuid.UUID
    kind: DecisionKind
    provision_id: uuid.UUID | None
    reason: str | None
    current: bool
    decided_by: str
    created_at: datetime
    consultation_id: uuid.UUID | None = None


class ConsultationAnswer(InputModel):
    answer: ConsultationStatus = Field(description="`agreed` or `declined`.")
    reason: Reason | None = Field(default=None, description="Required to decline.")

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.answer not in (ConsultationStatus.AGREED, ConsultationStatus.DECLINED):
            raise ValueError("answer is agreed or declined")
        if self.answer is ConsultationStatus.DECLINED and self.reason is None:
            raise ValueError("a reason is required to decline")
        return self


class ConsultationRead(OutputModel):
    id: uuid.UUID
    round_id: uuid.UUID | None
    child_id: uuid.UUID
    provision_id: uuid.UUID
    status: ConsultationStatus
    sent_on: date
    due_on: date
    answered_on: date | None
    answer_reason: str | None
    placement_id: uuid.UUID | None
    etag: str


class SummaryFigures(OutputModel):
    children: int
    placed: int
    unplaced_by_reason: dict[str, int]
    preferences_requested: int
    preferences_honoured: int
    preferences_refused_by_ground: dict[str, int]
    annual_cost_pence: int
    transport_cost_pence: int
    budget_pence: int | None
    over_budget_pence: int


class RoundSummary(OutputModel):
    round_id: uuid.UUID
    cohort: int
    decisions: dict[str, int]
    consultations: dict[str, int]
    placements_made: int
    latest_proposal: SummaryFigures | None
    previous_proposal: SummaryFigures | None


def present_round(round_: AllocationRound) -> RoundRead:
    """The API view of a round."""
    return RoundRead.model_validate(
        {
            **{column.key: getattr(round_, column.key) for column in round_.__table__.columns},
            "etag": etag_for(round_.version),
        }
    )


def present_proposal(proposal: RoundProposal, *, full: bool) -> ProposalListItem:
    """A stored proposal; with `full`, the exact request and answer too."""
    totals = proposal.response["totals"]
    fields = {
        "id": proposal.id,
        "number": proposal.number,
        "status": proposal.response["status"],
        "placed": totals["placed"],
        "unplaced": totals["unplaced"],
        "annual_cost_pence": round(totals["annual_cost"] * 100),
        "requested_by": proposal.requested_by,
        "created_at": proposal.created_at,
    }
    if full:
        return ProposalRead(**fields, request=proposal.request, response=proposal.response)
    return ProposalListItem(**fields)


def present_consultation(consultation: Consultation) -> ConsultationRead:
    """The API view of a consultation."""
    return ConsultationRead.model_validate(
        {
            **{c.key: getattr(consultation, c.key) for c in consultation.__table__.columns},
            "etag": etag_for(consultation.version),
        }
    )
