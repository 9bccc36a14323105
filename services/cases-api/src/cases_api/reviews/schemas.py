"""Request and response bodies of annual reviews and the overdue-reviews view."""

import uuid
from datetime import date, datetime
from enum import IntEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from cases_api.children.models import Child
from cases_api.core.etag import etag_for
from cases_api.core.schemas import (
    CaseDate,
    InputModel,
    OutputModel,
    StrictNumber,
    legal_bases_of,
)
from cases_api.deadlines.schemas import (
    AppealDeadlineRead,
    DeadlineRead,
    appeal_from_notice,
    present_deadline,
)
from cases_api.plans.http import PlanMilestoneRead
from cases_api.plans.models import Plan, VersionKind
from cases_api.reviews.models import AnnualReview, ReviewOutcome, ScheduledReviewMeeting
from cases_api.statutory import (
    amended_plan_due,
    basis,
    review_decision_due,
    review_milestones,
)
from cases_api.statutory.amendments import amended_plan_deadline
from cases_api.statutory.review_meetings import meeting_notice_deadlines, review_meeting_deadlines
from send_contracts.problems import FieldRuleError


class CeaseReason(IntEnum):
    """SEN2 reasons for ceasing a plan."""

    MAXIMUM_AGE = 1
    NEEDS_MET_WITHOUT_PLAN = 2
    HIGHER_EDUCATION = 3
    PAID_EMPLOYMENT = 4
    MOVED_TO_ANOTHER_LA = 5
    NO_LONGER_ENGAGED = 6
    LEFT_ENGLAND = 7
    DECEASED = 8
    OTHER = 9


CEASE_REASON_HELP = "SEN2 cease reason: " + ", ".join(
    f"{reason.value} {reason.name.lower().replace('_', ' ')}" for reason in CeaseReason
)


ATTENDS_SCHOOL_HELP = (
    "Whether the child or young person attends a school or post-16 institution (reg 20: the "
    "head teacher or principal convenes the meeting); false for reg 21 (the LA convenes it)."
)


class MeetingLogistics(InputModel):
    """The review meeting's paperwork: notice, advice, report (reg 20(3), (4), (7); reg 21)."""

    attends_school: bool | None = Field(default=None, description=ATTENDS_SCHOOL_HELP)
    invitations_sent_on: CaseDate | None = Field(
        default=None, description="Notice of the meeting sent: at least 2 weeks before it."
    )
    advice_circulated_on: CaseDate | None = Field(
        default=None, description="Advice circulated to those invited: at least 2 weeks before."
    )
    report_sent_on: CaseDate | None = Field(
        default=None, description="The meeting's report sent: within 2 weeks after it."
    )


class ReviewCreate(MeetingLogistics):
    """A review meeting that has been held; it closes the current 12-month cycle."""

    meeting_on: CaseDate


NOTICE_HELP = "Notice of the meeting sent to those invited: at least 2 weeks before it."
ADVICE_HELP = "Advice circulated to those invited: at least 2 weeks before the meeting."


class ScheduledReviewCreate(InputModel):
    """The next review meeting of a final plan, planned before it is held."""

    meeting_on: CaseDate = Field(description="After the plan's last review meeting.")
    attends_school: bool = Field(default=True, description=ATTENDS_SCHOOL_HELP)
    invitations_sent_on: CaseDate | None = Field(default=None, description=NOTICE_HELP)
    advice_circulated_on: CaseDate | None = Field(default=None, description=ADVICE_HELP)


class ScheduledReviewUpdate(InputModel):
    """Move the meeting, or record its notice and advice as they go out. Moving it asks for a new
    notice (of the new date) unless ``invitations_sent_on`` comes with it."""

    meeting_on: CaseDate | None = Field(default=None, description="The meeting's new date.")
    attends_school: bool | None = Field(default=None, description=ATTENDS_SCHOOL_HELP)
    invitations_sent_on: CaseDate | None = Field(default=None, description=NOTICE_HELP)
    advice_circulated_on: CaseDate | None = Field(default=None, description=ADVICE_HELP)


class ReviewDecision(InputModel):
    """The LA's decision after the meeting, as notified to the family."""

    decision_notified_on: CaseDate
    outcome: ReviewOutcome
    cease_reason: (
        Annotated[int, StrictNumber, Field(ge=1, le=9, description=CEASE_REASON_HELP)] | None
    ) = None

    @model_validator(mode="after")
    def _reason_only_when_ceasing(self) -> Self:
        if (self.outcome is ReviewOutcome.CEASE) != (self.cease_reason is not None):
            raise FieldRuleError(
                "cease_reason", "cease_reason goes with outcome 'cease', and only with it"
            )
        return self


class ReviewRead(OutputModel):
    id: uuid.UUID
    plan_id: uuid.UUID
    due_on: date = Field(description="The last day of the 12-month cycle this meeting closed.")
    meeting_on: date
    decision_due_on: date
    decision_notified_on: date | None
    outcome: ReviewOutcome | None
    cease_reason: int | None
    amendment_notice_on: date | None = Field(
        description="The amendment notice issued after the meeting (a plan version), if any."
    )
    amended_plan_due_on: date | None
    amended_plan_issued_on: date | None
    attends_school: bool
    invitations_sent_on: date | None
    advice_circulated_on: date | None
    report_sent_on: date | None
    milestones: list[PlanMilestoneRead]
    deadlines: list[DeadlineRead] = Field(
        description="The meeting's notice, advice and report (reg 20(3), (4), (7) or reg 21) "
        "and, once an amendment notice followed, the amended plan (reg 22(3)), each with its "
        "legal basis and status."
    )
    appeal: AppealDeadlineRead | None = Field(
        default=None,
        description="After a decision to keep the plan unchanged or to cease it: the family's "
        "last day to appeal it to the tribunal, counted from the day they were notified (CFA "
        "2014 s51(2); HESC Rules 2008 r20(1), moved by r12). A decision to amend is appealed "
        "through the amended plan (see the plan's appeal).",
    )
    legal_bases: dict[str, str] = legal_bases_of(
        due_on=basis.ANNUAL_REVIEW,
        decision_due_on=basis.REVIEW_DECISION,
        amended_plan_due_on=basis.AMENDED_PLAN,
    )
    as_of: date
    etag: str
    created_at: datetime
    updated_at: datetime


class ScheduledReviewRead(OutputModel):
    plan_id: uuid.UUID
    meeting_on: date
    review_due_on: date = Field(
        description="The last day of the plan's current 12-month review cycle (CFA 2014 s44(1))."
    )
    attends_school: bool
    invitations_sent_on: date | None
    advice_circulated_on: date | None
    deadlines: list[DeadlineRead] = Field(
        description="The meeting's notice and advice, each due two weeks before it (reg 20(3), "
        "(4), or reg 21(3), (4) when the child attends no school), with its status."
    )
    legal_bases: dict[str, str] = legal_bases_of(review_due_on=basis.ANNUAL_REVIEW)
    as_of: date
    etag: str
    created_at: datetime
    updated_at: datetime


class OverdueReviewRead(OutputModel):
    plan_id: uuid.UUID
    child_id: uuid.UUID
    child_name: str
    la_code: str
    plan_made_on: date
    last_review_meeting_on: date | None
    review_due: date
    days_overdue: int
    legal_bases: dict[str, str] = legal_bases_of(review_due=basis.ANNUAL_REVIEW)


def amendment_dates(plan: Plan, review: AnnualReview) -> tuple[date | None, date | None]:
    """The amendment notice issued after an 'amend' decision, and the amended plan (re-issue)
    that followed it, read from the plan's versions: the first of each on or after the meeting."""
    if review.outcome is not ReviewOutcome.AMEND:
        return None, None
    later = [v for v in plan.versions if v.issued_on >= review.meeting_on]
    notice = next((v for v in later if v.kind is VersionKind.AMENDMENT_NOTICE), None)
    if notice is None:
        return None, None
    amended = next(
        (v for v in later if v.kind is VersionKind.REISSUE and v.number > notice.number), None
    )
    return notice.issued_on, amended.issued_on if amended else None


def _review_appeal(review: AnnualReview) -> AppealDeadlineRead | None:
    appealable = review.outcome in (ReviewOutcome.MAINTAIN, ReviewOutcome.CEASE)
    if not appealable or review.decision_notified_on is None:
        return None
    return appeal_from_notice(review.decision_notified_on)


def present_review(review: AnnualReview, plan: Plan, *, as_of: date) -> ReviewRead:
    """A review with each statutory milestone's status on `as_of`."""
    assert plan.made_on is not None, "only final plans have reviews"
    notice_on, amended_on = amendment_dates(plan, review)
    milestones = review_milestones(
        plan_made_on=plan.made_on,
        today=as_of,
        last_review_meeting_on=review.previous_meeting_on,
        current_review_meeting_on=review.meeting_on,
        decision_notified_on=review.decision_notified_on,
        amendment_notice_on=notice_on,
        amended_plan_issued_on=amended_on,
        decided_to_amend=review.outcome is ReviewOutcome.AMEND,
    )
    deadlines = list(
        review_meeting_deadlines(
            meeting_on=review.meeting_on,
            today=as_of,
            attends_school=review.attends_school,
            invitations_sent_on=review.invitations_sent_on,
            advice_circulated_on=review.advice_circulated_on,
            report_sent_on=review.report_sent_on,
        )
    )
    if notice_on is not None:
        deadlines.append(
            amended_plan_deadline(
                notice_sent_on=notice_on, today=as_of, amended_plan_issued_on=amended_on
            )
        )
    return ReviewRead(
        id=review.id,
        plan_id=review.plan_id,
        due_on=review.due_on,
        meeting_on=review.meeting_on,
        decision_due_on=review_decision_due(review.meeting_on),
        decision_notified_on=review.decision_notified_on,
        outcome=review.outcome,
        cease_reason=review.cease_reason,
        appeal=_review_appeal(review),
        amendment_notice_on=notice_on,
        amended_plan_due_on=amended_plan_due(notice_on) if notice_on else None,
        amended_plan_issued_on=amended_on,
        attends_school=review.attends_school,
        invitations_sent_on=review.invitations_sent_on,
        advice_circulated_on=review.advice_circulated_on,
        report_sent_on=review.report_sent_on,
        milestones=[PlanMilestoneRead.model_validate(m) for m in milestones],
        deadlines=[present_deadline(d) for d in deadlines],
        as_of=as_of,
        etag=etag_for(review.version),
        created_at=review.created_at,
        updated_at=review.updated_at,
    )


def present_scheduled(
    scheduled: ScheduledReviewMeeting, plan: Plan, *, as_of: date
) -> ScheduledReviewRead:
    """A scheduled meeting with its notice and advice deadlines' status on `as_of`."""
    assert plan.next_review_due is not None, "only final plans are scheduled for review"
    deadlines = meeting_notice_deadlines(
        meeting_on=scheduled.meeting_on,
        today=as_of,
        attends_school=scheduled.attends_school,
        invitations_sent_on=scheduled.invitations_sent_on,
        advice_circulated_on=scheduled.advice_circulated_on,
    )
    return ScheduledReviewRead(
        plan_id=scheduled.plan_id,
        meeting_on=scheduled.meeting_on,
        review_due_on=plan.next_review_due,
        attends_school=scheduled.attends_school,
        invitations_sent_on=scheduled.invitations_sent_on,
        advice_circulated_on=scheduled.advice_circulated_on,
        deadlines=[present_deadline(d) for d in deadlines],
        as_of=as_of,
        etag=etag_for(scheduled.version),
        created_at=scheduled.created_at,
        updated_at=scheduled.updated_at,
    )


def present_overdue(plan: Plan, child: Child, *, as_of: date) -> OverdueReviewRead:
    """A row of the overdue-reviews view."""
    assert plan.made_on is not None
    (meeting,) = review_milestones(
        plan_made_on=plan.made_on, today=as_of, last_review_meeting_on=plan.last_review_meeting_on
    )
    return OverdueReviewRead(
        plan_id=plan.id,
        child_id=child.id,
        child_name=f"{child.given_name} {child.family_name}",
        la_code=child.la_code,
        plan_made_on=plan.made_on,
        last_review_meeting_on=plan.last_review_meeting_on,
        review_due=meeting.due,
        days_overdue=meeting.days_late or 0,
    )
