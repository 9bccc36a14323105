"""Request and response bodies of allocation rounds and consultations."""

import uuid
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, Field, StrictBool, model_validator

from cases_api.core.etag import etag_for
from cases_api.core.references import ChildReference, ProvisionReference
from cases_api.core.schemas import (
    CaseDate,
    InputModel,
    OutputModel,
    Pence,
    StrictNumber,
    legal_bases_of,
)
from cases_api.core.time import today
from cases_api.plans.sections import SettingCode
from cases_api.rounds.models import (
    AllocationRound,
    Consultation,
    ConsultationStatus,
    DecisionKind,
    RoundProposal,
    RoundStatus,
)
from cases_api.rounds.route import RoundStage
from cases_api.statutory import basis
from send_contracts import NeedCode, ProvisionKind
from send_contracts.matching import (
    MAX_TRANSPORT_POUNDS_PER_KM,
    RefusalReason,
    SolverInfo,
    UnplacedReason,
    WhyNot,
)
from send_contracts.problems import FieldRuleError

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


class NotMatchable(OutputModel):
    child_id: uuid.UUID
    given_name: str
    family_name: str
    reason: str = Field(
        description="Why the child was not added, for people: `no home location`, `no recorded "
        "need`, an age outside the matching contract, or that the child stays in a setting "
        "that takes their new year group.",
        examples=["no home location"],
    )


class CohortAdded(OutputModel):
    rule: CohortRule
    added: int
    already_in_round: int
    not_matchable_count: int = Field(
        description="Selected by the rule but not added: no home location or no recorded need."
    )
    not_matchable: list[NotMatchable] = Field(
        description="Each child counted in `not_matchable_count`, with why; record what is "
        "missing, then apply the rule again."
    )
    staying_count: int = Field(
        default=0,
        description="In a transfer year group, but their current setting takes them on (an "
        "all-through special school, a school's own sixth form): not added.",
    )
    staying: list[NotMatchable] = Field(default_factory=list)


class RoundChildCreate(InputModel):
    child_id: ChildReference
    suitable_kinds: list[ProvisionKind] = Field(min_length=1, max_length=7)
    requested_provision_ids: list[ProvisionReference] = Field(
        default_factory=list, max_length=10, description="The family's requested settings (s38)."
    )

    @model_validator(mode="after")
    def _unique(self) -> Self:
        if len(set(self.suitable_kinds)) != len(self.suitable_kinds):
            raise FieldRuleError("suitable_kinds", "suitable_kinds lists a kind twice")
        if len(set(self.requested_provision_ids)) != len(self.requested_provision_ids):
            raise FieldRuleError(
                "requested_provision_ids", "requested_provision_ids lists a provision twice"
            )
        return self


class RoundChildUpdate(InputModel):
    suitable_kinds: list[ProvisionKind] | None = Field(default=None, min_length=1, max_length=7)
    requested_provision_ids: list[ProvisionReference] | None = Field(default=None, max_length=10)


YEAR_GROUP_DESCRIPTION = (
    "The year group the child enters, from the school-year age at entry (year group = age - 4): "
    "`Reception`, `Year 1` … `Year 14`; `Nursery` (3), else `Age n`."
)


class CurrentSetting(OutputModel):
    """Where the child is now: the active placement, else the setting the plan names."""

    source: Literal["placement", "plan"]
    provision_id: uuid.UUID | None = Field(description="Null when the plan names a setting code.")
    name: str | None = Field(description="The provision's name; null for a setting code.")
    urn: int | None = Field(description="The URN of the provision's establishment.")
    setting_code: SettingCode | None = Field(
        description="SEN2 code of a setting without a URN (e.g. `EHE`), when the plan names one."
    )


class RoundChildRead(OutputModel):
    child_id: uuid.UUID
    given_name: str | None = Field(description="Null only if the caller may not see the child.")
    family_name: str | None
    year_group: str = Field(description=YEAR_GROUP_DESCRIPTION, examples=["Year 7"])
    primary_need: NeedCode | None
    current_setting: CurrentSetting | None = Field(
        description="The active placement (latest started), else the plan's named setting."
    )
    suitable_kinds: list[ProvisionKind]
    requested_provision_ids: list[uuid.UUID]
    age_at_entry: int = Field(
        description="School-year age at the entry date: the age on the 31 August before "
        "(Reception 4, Year 7 11), as the matching contract takes it."
    )
    transfer: str | None = Field(
        description="The phase transfer the child makes at entry (into_reception, into_junior, "
        "into_middle, into_secondary, into_upper, into_post_16), or null."
    )
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


class ProposalExchange(OutputModel):
    """The exchange with the matching service exactly as stored, for audit."""

    id: uuid.UUID
    number: int
    requested_by: str
    created_at: datetime
    request: dict[str, Any] = Field(description="The exact request sent to the matching service.")
    response: dict[str, Any] = Field(
        description="The matching service's answer as given, with any child cases-api left out "
        "of the request (an age outside the contract) added to `unplaced` and the totals, its "
        "detail beginning 'Left out of the matching request'."
    )


class ChildRef(OutputModel):
    """A child as the matching service was told of them."""

    id: uuid.UUID
    given_name: str | None = Field(
        description="Null where the caller may not see the child, or the child is gone."
    )
    family_name: str | None
    year_group: str | None = Field(description=YEAR_GROUP_DESCRIPTION, examples=["Year 7"])
    primary_need: NeedCode | None


class ProvisionRef(OutputModel):
    """A provision of the directory, by name."""

    id: uuid.UUID
    name: str | None = Field(description="Null only for a provision the directory does not hold.")
    urn: int | None = Field(description="The URN of the provision's establishment.")
    kind: ProvisionKind | None


class AlternativeView(OutputModel):
    provision: ProvisionRef
    distance_km: float
    why_not: WhyNot = Field(
        description="`full`, `taken_by_preference`, `higher_total_cost`, `parental_preference`; "
        "treat an unknown code as other."
    )


class AssignmentView(OutputModel):
    child: ChildRef
    provision: ProvisionRef
    distance_km: float
    annual_cost_pence: int
    transport_cost_pence: int
    preference_honoured: bool
    explanation: str = Field(description="For people; provisions named as `Name (URN n)`.")
    nearer_alternatives: list[AlternativeView] = Field(
        description="Admissible provisions nearer than the chosen one, nearest first."
    )


class UnplacedView(OutputModel):
    child: ChildRef
    reason: UnplacedReason
    detail: str = Field(description="For people; provisions named as `Name (URN n)`.")


class PreferenceNotHonouredView(OutputModel):
    child: ChildRef
    provision: ProvisionRef = Field(description="The family's first preference.")
    reason: RefusalReason = Field(description="The s39(4) ground, or `not_considered`.")


class ProposalTotalsView(OutputModel):
    children: int
    placed: int
    unplaced: int
    preferences_requested: int
    preferences_honoured: int
    annual_cost_pence: int
    transport_cost_pence: int
    total_cost_pence: int
    distance_km: float
    budget_pence: int | None
    overspend_pence: int


class ProposalView(ProposalListItem):
    """A proposal in the LA's terms: children and provisions by name, money in pence. The
    exchange with the matching service as stored is at `…/proposals/{number}/exchange`."""

    assignments: list[AssignmentView]
    unplaced_children: list[UnplacedView]
    preferences_not_honoured: list[PreferenceNotHonouredView]
    totals: ProposalTotalsView
    solver: SolverInfo


class ChangeCode(StrEnum):
    NEWLY_PLACED = "newly_placed"
    MOVED = "moved"
    LOST_PLACE = "lost_place"
    ACCEPTED_OR_PLACED = "accepted_or_placed"
    PROMISED_ELSEWHERE = "promised_elsewhere"
    LEFT_ROUND = "left_round"


CHANGE_CODES = """What happened to the child between the two proposals:
- `newly_placed`: unplaced (or not yet in the round) in the first, placed in the second;
- `moved`: placed in both, at another provision in the second;
- `lost_place`: placed in the first, in the second's cohort but unplaced;
- `accepted_or_placed`: left out of the second because a place was promised to the child
  meanwhile (accepted or overridden, perhaps agreed by the school since) at the provision the
  first proposal had: `promised_provision`;
- `promised_elsewhere`: the same, but the place promised is at another provision than the first
  proposal's (an override, or a place accepted from a proposal in between);
- `left_round`: left out of the second with no place promised: taken out of the cohort."""


class ProposalChange(OutputModel):
    child_id: uuid.UUID
    given_name: str | None = Field(description="Null where the caller may not see the child.")
    family_name: str | None
    change: ChangeCode = Field(description=CHANGE_CODES)
    before_provision: ProvisionRef | None = Field(description="Null: unplaced or not in it.")
    after_provision: ProvisionRef | None = Field(description="Null: unplaced or not in it.")
    promised_provision: ProvisionRef | None = Field(
        description="For `accepted_or_placed` and `promised_elsewhere`: the place promised."
    )


class ProposalDiff(OutputModel):
    before: int
    after: int
    changes: list[ProposalChange]
    placed_delta: int
    annual_cost_delta_pence: int


class DecisionCreate(InputModel):
    child_id: ChildReference
    decision: DecisionKind
    provision_id: ProvisionReference | None = Field(
        default=None, description="Required to override: the provision chosen instead."
    )
    reason: Reason | None = Field(default=None, description="Required to reject or override.")

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.decision is not DecisionKind.ACCEPTED and self.reason is None:
            raise FieldRuleError(
                "reason", f"a reason is required to {self.decision.value.removesuffix('ed')}"
            )
        if self.decision is DecisionKind.OVERRIDDEN and self.provision_id is None:
            raise FieldRuleError("provision_id", "provision_id is required to override")
        if self.decision is not DecisionKind.OVERRIDDEN and self.provision_id is not None:
            raise FieldRuleError(
                "provision_id", "provision_id is only for overrides; accept takes the proposal's"
            )
        return self


class DecisionRead(OutputModel):
    id: uuid.UUID
    child_id: uuid.UUID
    proposal_id: uuid.UUID
    kind: DecisionKind
    provision_id: uuid.UUID | None
    reason: str | None
    plan_id: uuid.UUID | None = Field(
        default=None, description="The plan the amendment notice proposing the setting went on."
    )
    notice_version: int | None = Field(
        default=None, description="That notice's version number (reg 22(2))."
    )
    current: bool
    decided_by: str
    created_at: datetime
    consultation_id: uuid.UUID | None = None
    warnings: list[str] = Field(
        default_factory=list,
        description="On an override: what to check again, e.g. a setting not designated for the "
        "child's primary need (allowed, unlike one that does not admit the child's year group).",
    )


class ConsultationAnswer(InputModel):
    answer: ConsultationStatus = Field(description="`agreed` or `declined`.")
    reason: Reason | None = Field(default=None, description="Required to decline.")

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.answer not in (ConsultationStatus.AGREED, ConsultationStatus.DECLINED):
            raise FieldRuleError("answer", "answer is agreed or declined")
        if self.answer is ConsultationStatus.DECLINED and self.reason is None:
            raise FieldRuleError("reason", "a reason is required to decline")
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
    legal_bases: dict[str, str] = legal_bases_of(due_on=basis.SCHOOL_CONSULTATION_REPLY)
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


class RoundChildProgress(OutputModel):
    """Where a child stands on the route from a proposal to a plan naming the setting."""

    child_id: uuid.UUID
    given_name: str | None = Field(description="Null only if the caller may not see the child.")
    family_name: str | None
    year_group: str = Field(description=YEAR_GROUP_DESCRIPTION, examples=["Year 7"])
    stage: RoundStage = Field(
        description="awaiting_proposal, proposed, unplaced, rejected, school_declined (decide "
        "again); school_consulted (15 days); family_commenting (the amendment notice's 15 days); "
        "ready_to_issue; plan_issued; placed (the child has no plan to name the setting in)."
    )
    provision_id: uuid.UUID | None
    provision_name: str | None
    provision_urn: int | None
    decision_id: uuid.UUID | None
    consultation_id: uuid.UUID | None
    school_reply_due_on: date | None
    school_answered_on: date | None
    plan_id: uuid.UUID | None
    notice_version: int | None = Field(
        description="The plan version of the amendment notice proposing the setting (reg 22(2))."
    )
    notice_issued_on: date | None
    comments_until: date | None = Field(description="The family's 15 days end on this day.")
    may_issue_from: date | None
    plan_due_by: date | None = Field(
        description="The last day to issue the plan naming the setting: the earlier of 8 weeks "
        "after the notice (reg 22(3)) and the phase-transfer deadline (reg 18(1))."
    )
    plan_due_basis: str | None
    plan_issued_on: date | None
    overdue: bool
    legal_bases: dict[str, str] = legal_bases_of(
        school_reply_due_on=basis.SCHOOL_CONSULTATION_REPLY,
        comments_until=basis.AMENDMENT_COMMENT_WINDOW,
        may_issue_from=basis.AMENDMENT_COMMENT_WINDOW,
        plan_due_by=f"{basis.AMENDED_PLAN} or {basis.PHASE_TRANSFER}, whichever is earlier "
        "(plan_due_basis says which)",
    )


class RoundSummary(OutputModel):
    round_id: uuid.UUID
    cohort: int
    decisions: dict[str, int]
    consultations: dict[str, int]
    placements_made: int
    route: dict[str, int] = Field(description="Children at each stage of the route to the plan.")
    plans_overdue: int = Field(
        description="Children whose plan naming the setting is past its deadline."
    )
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


def present_proposal(proposal: RoundProposal) -> ProposalListItem:
    """A stored proposal in a list: its headline figures."""
    totals = proposal.response["totals"]
    return ProposalListItem(
        id=proposal.id,
        number=proposal.number,
        status=proposal.response["status"],
        placed=totals["placed"],
        unplaced=totals["unplaced"],
        annual_cost_pence=round(totals["annual_cost"] * 100),
        requested_by=proposal.requested_by,
        created_at=proposal.created_at,
    )


def present_exchange(proposal: RoundProposal) -> ProposalExchange:
    """A stored proposal's exchange with the matching service, untouched."""
    return ProposalExchange(
        id=proposal.id,
        number=proposal.number,
        requested_by=proposal.requested_by,
        created_at=proposal.created_at,
        request=proposal.request,
        response=proposal.response,
    )


def present_consultation(consultation: Consultation) -> ConsultationRead:
    """The API view of a consultation."""
    return ConsultationRead.model_validate(
        {
            **{c.key: getattr(consultation, c.key) for c in consultation.__table__.columns},
            "etag": etag_for(consultation.version),
        }
    )
