"""Response bodies of phase transfers."""

import uuid
from datetime import date

from pydantic import Field

from cases_api.children.models import Child
from cases_api.core.schemas import OutputModel, legal_bases_of
from cases_api.deadlines.schemas import DeadlineRead, present_deadline
from cases_api.plans.http import PlanMilestoneRead
from cases_api.plans.models import Plan
from cases_api.plans.schemas import NamedSettingRead, named_setting_read
from cases_api.statutory import (
    PhaseTransfer,
    TransferDue,
    basis,
    next_transfer,
    transfer_milestone,
)
from cases_api.statutory.deadlines import DeadlineKind, evaluate_deadline
from cases_api.statutory.three_tier import TierTransfer, TierTransferDue


class TransferRead(OutputModel):
    transfer: PhaseTransfer
    from_year_group: int
    into_year_group: int
    transfer_on: date = Field(description="The September the child moves.")
    deadline: date = Field(description="15 February (31 March into post-16) of that year.")
    last_day: date = Field(description="The last day the amended plan meets reg 18 ('before').")
    named_on: date | None = Field(
        description="The day a final or re-issued plan first named a setting from that September."
    )
    milestone: PlanMilestoneRead | None = Field(
        description="For transfers after the plan was made final: the naming milestone's status."
    )
    legal_bases: dict[str, str] = legal_bases_of(
        deadline=basis.PHASE_TRANSFER, last_day=basis.PHASE_TRANSFER
    )


class TierTransferRead(OutputModel):
    """A first → middle or middle → upper transfer, recognised from the current setting's ages."""

    transfer: TierTransfer
    setting_ages: str = Field(examples=["9-13"], description="The current setting's GIAS ages.")
    into_year_group: int
    transfer_on: date
    deadline: date = Field(description="15 February of the year of transfer.")
    last_day: date
    named_on: date | None
    legal_basis: str
    plan_deadline: DeadlineRead | None = Field(
        description="For a plan made before the transfer: naming the next school, due by "
        "``last_day``."
    )


def present_tier_transfer(
    due: TierTransferDue,
    *,
    setting_ages: tuple[int, int],
    named_on: date | None,
    applies: bool,
    as_of: date,
) -> TierTransferRead:
    deadline = (
        present_deadline(
            evaluate_deadline(
                DeadlineKind.PHASE_TRANSFER,
                due=due.last_day,
                done=named_on,
                today=as_of,
                legal_basis=due.legal_basis,
                detail=str(due.transfer),
            )
        )
        if applies
        else None
    )
    return TierTransferRead(
        transfer=due.transfer,
        setting_ages=f"{setting_ages[0]}-{setting_ages[1]}",
        into_year_group=due.into_year_group,
        transfer_on=due.transfer_on,
        deadline=due.deadline,
        last_day=due.last_day,
        named_on=named_on,
        legal_basis=due.legal_basis,
        plan_deadline=deadline,
    )


class ChildTransfersRead(OutputModel):
    child_id: uuid.UUID
    date_of_birth: date
    as_of: date
    year_group: int = Field(description="0 is reception; negative before it.")
    year_group_label: str
    plan_id: uuid.UUID | None
    next_transfer: PhaseTransfer | None = Field(description="The transfer of the coming September.")
    transfers: list[TransferRead]
    three_tier_transfer: TierTransferRead | None = Field(
        default=None,
        description="Where the child's current setting is a first or middle school (three-tier "
        "areas, reg 2(1) and reg 18(1)(b)): the move out of it.",
    )


class UnnamedTransferRead(OutputModel):
    plan_id: uuid.UUID
    child_id: uuid.UUID
    child_name: str
    date_of_birth: date
    la_code: str
    transfer: PhaseTransfer
    transfer_on: date
    deadline: date
    last_day: date
    milestone: PlanMilestoneRead
    legal_bases: dict[str, str] = legal_bases_of(
        deadline=basis.PHASE_TRANSFER, last_day=basis.PHASE_TRANSFER
    )
    named_setting: NamedSettingRead | None = Field(
        description="What section I names now (for the current phase), if anything."
    )


def present_transfer(
    due: TransferDue, *, named_on: date | None, milestone_applies: bool, as_of: date
) -> TransferRead:
    """One transfer of a child, with its milestone where the plan had to provide for it."""
    milestone = (
        PlanMilestoneRead.model_validate(
            transfer_milestone(due, plan_amended_on=named_on, today=as_of)
        )
        if milestone_applies
        else None
    )
    return TransferRead(
        transfer=due.transfer,
        from_year_group=due.from_year_group,
        into_year_group=due.into_year_group,
        transfer_on=due.transfer_on,
        deadline=due.deadline,
        last_day=due.last_day,
        named_on=named_on,
        milestone=milestone,
    )


def present_unnamed(
    plan: Plan, child: Child, *, as_of: date, include_infant_to_junior: bool
) -> UnnamedTransferRead:
    """A row of the view: the child's coming transfer, not yet provided for."""
    due = next_transfer(
        date_of_birth=child.date_of_birth,
        today=as_of,
        include_infant_to_junior=include_infant_to_junior,
    )
    if due is None:
        raise AssertionError(f"child {child.id} is in no transfer cohort on {as_of}")
    return UnnamedTransferRead(
        plan_id=plan.id,
        child_id=child.id,
        child_name=f"{child.given_name} {child.family_name}",
        date_of_birth=child.date_of_birth,
        la_code=child.la_code,
        transfer=due.transfer,
        transfer_on=due.transfer_on,
        deadline=due.deadline,
        last_day=due.last_day,
        milestone=PlanMilestoneRead.model_validate(
            transfer_milestone(due, plan_amended_on=None, today=as_of)
        ),
        named_setting=named_setting_read(plan),
    )
