"""Loading the deadline rows the caller may see: each record type with its deadlines on a day.

Only what can still matter is loaded: a plan's latest review (its papers), its scheduled next
meeting (the notice and advice due before it), plans whose latest
version is an amendment notice, and every tribunal order, transfer between LAs, commissioning
change and reassessment request in scope (few per LA). ``since`` bounds the reviews and notices
for the compliance view, which also needs deadlines already met.
"""

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from cases_api.access import Scope
from cases_api.children.models import Child
from cases_api.deadlines.rows import DeadlineRow, RecordKind
from cases_api.la_transfers.models import CommissioningChange, LaTransfer
from cases_api.plans.models import Plan, PlanVersion, VersionKind
from cases_api.plans.schemas import latest_amendment
from cases_api.reassessments.models import ReassessmentRequest
from cases_api.reassessments.service import plan_issued_after
from cases_api.reviews.models import AnnualReview, ScheduledReviewMeeting
from cases_api.statutory.amendments import amended_plan_deadline
from cases_api.statutory.deadlines import DeadlineKind
from cases_api.statutory.la_transfers import health_body_deadline, la_transfer_deadlines
from cases_api.statutory.reassessment import reassessment_deadlines
from cases_api.statutory.review_meetings import (
    meeting_notice_deadlines,
    review_meeting_deadlines,
)
from cases_api.statutory.tribunal_orders import compliance_deadlines
from cases_api.statutory.working_days import england_holidays
from cases_api.tribunal_orders.models import TribunalOrder

_NOTICE_SPAN = timedelta(weeks=8)


def gather(
    session: Session, *, scope: Scope, as_of: date, since: date | None = None
) -> list[DeadlineRow]:
    """Every deadline row in the caller's scope, evaluated on ``as_of``. ``since`` (compliance)
    also loads reviews and notices whose deadlines fall from that day, met or not."""
    rows: list[DeadlineRow] = []
    rows += _reviews(session, scope=scope, as_of=as_of, since=since)
    rows += _scheduled_reviews(session, scope=scope, as_of=as_of, since=since)
    rows += _amendments(session, scope=scope, as_of=as_of, since=since)
    rows += _orders(session, scope=scope, as_of=as_of)
    rows += _la_transfers(session, scope=scope, as_of=as_of)
    rows += _commissioning(session, scope=scope, as_of=as_of)
    rows += _reassessments(session, scope=scope, as_of=as_of)
    return rows


def _reviews(
    session: Session, *, scope: Scope, as_of: date, since: date | None
) -> list[DeadlineRow]:
    query = (
        sa.select(AnnualReview, Child.la_code, Child.id)
        .join(Plan, Plan.id == AnnualReview.plan_id)
        .join(Child, Child.id == Plan.child_id)
        .where(scope.children_filter(Child.id))
    )
    if since is None:
        # The current cycle's meeting: its papers may still be missing.
        query = query.where(AnnualReview.meeting_on == Plan.last_review_meeting_on)
    else:
        query = query.where(AnnualReview.meeting_on >= since - timedelta(weeks=2))
    rows = []
    for review, la_code, child_id in session.execute(query):
        for deadline in review_meeting_deadlines(
            meeting_on=review.meeting_on,
            today=as_of,
            attends_school=review.attends_school,
            invitations_sent_on=review.invitations_sent_on,
            advice_circulated_on=review.advice_circulated_on,
            report_sent_on=review.report_sent_on,
        ):
            if since is None and _missed_for_good(deadline.kind, review.meeting_on, as_of):
                continue
            rows.append(
                DeadlineRow(RecordKind.ANNUAL_REVIEW, review.id, child_id, la_code, deadline)
            )
    return rows


def _scheduled_reviews(
    session: Session, *, scope: Scope, as_of: date, since: date | None
) -> list[DeadlineRow]:
    """The notice and advice of each plan's next meeting, scheduled but not yet held: work to do
    until the meeting's day; after it, as for a held meeting, only met or missed."""
    query = (
        sa.select(ScheduledReviewMeeting, Child.la_code, Child.id)
        .join(Plan, Plan.id == ScheduledReviewMeeting.plan_id)
        .join(Child, Child.id == Plan.child_id)
        .where(scope.children_filter(Child.id), Plan.ceased_on.is_(None))
    )
    rows = []
    for scheduled, la_code, child_id in session.execute(query):
        for deadline in meeting_notice_deadlines(
            meeting_on=scheduled.meeting_on,
            today=as_of,
            attends_school=scheduled.attends_school,
            invitations_sent_on=scheduled.invitations_sent_on,
            advice_circulated_on=scheduled.advice_circulated_on,
        ):
            if since is None and _missed_for_good(deadline.kind, scheduled.meeting_on, as_of):
                continue
            rows.append(
                DeadlineRow(
                    RecordKind.SCHEDULED_REVIEW, scheduled.plan_id, child_id, la_code, deadline
                )
            )
    return rows


_BEFORE_THE_MEETING = (DeadlineKind.REVIEW_INVITATIONS, DeadlineKind.REVIEW_ADVICE_CIRCULATED)


def _missed_for_good(kind: DeadlineKind, meeting_on: date, as_of: date) -> bool:
    """The notice and advice of a meeting already held can no longer be sent in time: they are
    not work to do (the overdue and due-soon queues), only met or missed (the compliance view)."""
    return kind in _BEFORE_THE_MEETING and meeting_on <= as_of


def _amendments(
    session: Session, *, scope: Scope, as_of: date, since: date | None
) -> list[DeadlineRow]:
    query = (
        sa.select(Plan, Child.la_code)
        .join(Child, Child.id == Plan.child_id)
        .where(scope.children_filter(Child.id), Plan.ceased_on.is_(None))
        # Only what `latest_amendment` reads: not every version's sections.
        .options(
            selectinload(Plan.versions).load_only(
                PlanVersion.number, PlanVersion.kind, PlanVersion.issued_on
            )
        )
    )
    if since is None:
        query = query.where(Plan.latest_kind == VersionKind.AMENDMENT_NOTICE)
    else:
        # A superset of the plans kept below: one whose latest notice counts has a notice then.
        query = query.where(
            sa.exists().where(
                PlanVersion.plan_id == Plan.id,
                PlanVersion.kind == VersionKind.AMENDMENT_NOTICE,
                PlanVersion.issued_on >= since - _NOTICE_SPAN,
            )
        )
    rows = []
    for plan, la_code in session.execute(query):
        amendment = latest_amendment(plan)
        if amendment is None:
            continue
        notice, reissue = amendment
        if since is not None and notice.issued_on + _NOTICE_SPAN < since:
            continue
        deadline = amended_plan_deadline(
            notice_sent_on=notice.issued_on,
            today=as_of,
            amended_plan_issued_on=reissue.issued_on if reissue else None,
        )
        rows.append(DeadlineRow(RecordKind.PLAN, plan.id, plan.child_id, la_code, deadline))
    return rows


def _orders(session: Session, *, scope: Scope, as_of: date) -> list[DeadlineRow]:
    query = (
        sa.select(TribunalOrder, Child.la_code)
        .join(Child, Child.id == TribunalOrder.child_id)
        .where(scope.children_filter(Child.id))
    )
    rows = []
    for order, la_code in session.execute(query):
        for deadline in compliance_deadlines(
            order.kind,
            started_on=order.started_on,
            today=as_of,
            unopposed=order.unopposed,
            done={step.step: step.done_on for step in order.steps},
            no_plan_decided=order.no_plan_decided,
        ):
            rows.append(
                DeadlineRow(RecordKind.TRIBUNAL_ORDER, order.id, order.child_id, la_code, deadline)
            )
    return rows


def _la_transfers(session: Session, *, scope: Scope, as_of: date) -> list[DeadlineRow]:
    query = sa.select(LaTransfer, Plan.last_review_meeting_on).join(
        Plan, Plan.id == LaTransfer.plan_id
    )
    query = query.where(
        sa.or_(scope.la_filter(LaTransfer.old_la_code), scope.la_filter(LaTransfer.new_la_code))
    )
    rows = []
    for transfer, last_meeting in session.execute(query):
        done_at = transfer.transferred_on
        reviewed = last_meeting if done_at and last_meeting and last_meeting >= done_at else None
        for deadline in la_transfer_deadlines(
            moved_on=transfer.moved_on,
            aware_on=transfer.old_la_aware_on,
            plan_last_reviewed_on=transfer.plan_last_reviewed_on,
            today=as_of,
            transferred_on=transfer.transferred_on,
            family_notified_on=transfer.family_notified_on,
            reviewed_on=reviewed,
            is_holiday=england_holidays,
        ):
            responsible = (
                transfer.old_la_code
                if deadline.kind is DeadlineKind.PLAN_TRANSFER
                else transfer.new_la_code
            )
            rows.append(
                DeadlineRow(
                    RecordKind.LA_TRANSFER, transfer.id, transfer.child_id, responsible, deadline
                )
            )
    return rows


def _commissioning(session: Session, *, scope: Scope, as_of: date) -> list[DeadlineRow]:
    query = (
        sa.select(CommissioningChange, Child.la_code)
        .join(Child, Child.id == CommissioningChange.child_id)
        .where(scope.children_filter(Child.id))
    )
    return [
        DeadlineRow(
            RecordKind.COMMISSIONING_CHANGE,
            change.id,
            change.child_id,
            la_code,
            health_body_deadline(
                aware_on=change.new_body_aware_on,
                today=as_of,
                answered_on=change.answered_on,
                is_holiday=england_holidays,
            ),
        )
        for change, la_code in session.execute(query)
    ]


def _reassessments(session: Session, *, scope: Scope, as_of: date) -> list[DeadlineRow]:
    query = (
        sa.select(ReassessmentRequest, Child.la_code)
        .join(Child, Child.id == ReassessmentRequest.child_id)
        .where(scope.children_filter(Child.id))
    )
    rows = []
    for request, la_code in session.execute(query):
        issued = plan_issued_after(session, request) if request.reassessing else None
        for deadline in reassessment_deadlines(
            request_received_on=request.received_on,
            today=as_of,
            last_assessed_on=request.last_assessed_on,
            decision_notified_on=request.decision_notified_on,
            reassessing=request.reassessing,
            plan_issued_on=issued,
        ):
            rows.append(
                DeadlineRow(
                    RecordKind.REASSESSMENT_REQUEST, request.id, request.child_id, la_code, deadline
                )
            )
    return rows
