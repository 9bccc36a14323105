"""Request and response bodies of tribunal orders and their compliance steps."""

import uuid
from datetime import date, datetime

from pydantic import Field

from cases_api.core.etag import etag_for
from cases_api.core.schemas import CaseDate, InputModel, OutputModel
from cases_api.deadlines.schemas import DeadlineRead, present_deadline
from cases_api.statutory.tribunal_orders import (
    ComplianceStep,
    OrderKind,
    compliance_basis,
    compliance_deadlines,
)
from cases_api.tribunal_orders.models import TribunalOrder


class TribunalOrderCreate(InputModel):
    """An order the Tribunal made on the appeal, or the LA's concession of an unopposed one."""

    kind: OrderKind
    started_on: CaseDate = Field(
        description="The day the order was made; for an unopposed appeal, the day the LA told "
        "the Tribunal it would not oppose. Every compliance limit counts from it."
    )
    unopposed: bool = Field(
        default=False, description="The LA did not oppose the appeal (reg 45), so no order."
    )


class ComplianceStepCreate(InputModel):
    """A step the order required, done on ``done_on``."""

    step: ComplianceStep
    done_on: CaseDate
    plan_to_follow: bool | None = Field(
        default=None,
        description="With step 'assessment_decision' only: whether the LA decided to make a "
        "plan (false: no final plan is due).",
    )


class ComplianceStepRead(OutputModel):
    step: ComplianceStep
    done_on: date
    recorded_by: str


class TribunalOrderRead(OutputModel):
    id: uuid.UUID
    dispute_id: uuid.UUID
    child_id: uuid.UUID
    kind: OrderKind
    started_on: date
    unopposed: bool
    legal_basis: str = Field(examples=["SEND Regulations 2014 reg 44(2)"])
    no_plan_decided: bool
    steps_done: list[ComplianceStepRead]
    deadlines: list[DeadlineRead] = Field(
        description="Each step the order requires, due within its weeks of ``started_on``."
    )
    as_of: date
    etag: str
    recorded_by: str
    created_at: datetime


def order_deadlines(order: TribunalOrder, *, as_of: date) -> list[DeadlineRead]:
    """The order's steps as deadlines on ``as_of``."""
    deadlines = compliance_deadlines(
        order.kind,
        started_on=order.started_on,
        today=as_of,
        unopposed=order.unopposed,
        done={step.step: step.done_on for step in order.steps},
        no_plan_decided=order.no_plan_decided,
    )
    return [present_deadline(d) for d in deadlines]


def present_order(order: TribunalOrder, *, as_of: date) -> TribunalOrderRead:
    return TribunalOrderRead(
        id=order.id,
        dispute_id=order.dispute_id,
        child_id=order.child_id,
        kind=order.kind,
        started_on=order.started_on,
        unopposed=order.unopposed,
        legal_basis=compliance_basis(unopposed=order.unopposed),
        no_plan_decided=order.no_plan_decided,
        steps_done=[ComplianceStepRead.model_validate(step) for step in order.steps],
        deadlines=order_deadlines(order, as_of=as_of),
        as_of=as_of,
        etag=etag_for(order.version),
        recorded_by=order.recorded_by,
        created_at=order.created_at,
    )
