"""Annual reviews: record the meeting, then the decision; each moves the plan's review cycle."""

import uuid
from datetime import date

from sqlalchemy.orm import Session

from cases_api.access import Scope
from cases_api.children.models import Child
from cases_api.core.errors import Conflict, InvalidInput, NotFound
from cases_api.core.etag import check_if_match
from cases_api.core.time import utcnow
from cases_api.plans.models import Plan
from cases_api.plans.service import get_plan
from cases_api.reviews import scheduling
from cases_api.reviews.models import AnnualReview, ReviewOutcome
from cases_api.reviews.schemas import MeetingLogistics, ReviewCreate, ReviewDecision
from cases_api.statutory import review_due


def get_review(session: Session, *, review_id: uuid.UUID, scope: Scope) -> AnnualReview:
    """The review with this id, if the caller may see the plan's child."""
    review = session.get(AnnualReview, review_id)
    if review is None or not scope.can_see_child(
        session, session.get_one(Plan, review.plan_id).child_id
    ):
        raise NotFound(f"No annual review with id {review_id}.")
    return review


def record_review(
    session: Session, *, plan_id: uuid.UUID, data: ReviewCreate, today: date, scope: Scope
) -> AnnualReview:
    """Record a review meeting held; the plan's next review falls due 12 months from it. The
    plan's scheduled meeting, if any, is consumed: its notice and advice carry over."""
    plan = get_plan(session, plan_id=plan_id, scope=scope)
    scope.require_write(session.get_one(Child, plan.child_id))
    if plan.made_on is None or plan.next_review_due is None:
        raise Conflict("A plan is reviewed once it is final; this one is still a draft.")
    if plan.ceased_on is not None:
        raise Conflict(f"The plan ceased on {plan.ceased_on}; it is no longer reviewed.")
    earliest = plan.last_review_meeting_on or plan.made_on
    if data.meeting_on < earliest or data.meeting_on > today:
        raise InvalidInput(
            f"meeting_on must be a day already passed, on or after {earliest} "
            "(the plan's last review meeting, or the day it was made final)."
        )
    review = AnnualReview(
        plan_id=plan.id,
        due_on=plan.next_review_due,
        previous_meeting_on=plan.last_review_meeting_on,
        meeting_on=data.meeting_on,
    )
    _apply_logistics(review, data, today=today)
    scheduling.take(session, review, held=data)
    session.add(review)
    plan.last_review_meeting_on = data.meeting_on
    plan.next_review_due = review_due(
        plan_made_on=plan.made_on, last_review_meeting_on=data.meeting_on
    )
    plan.updated_at = utcnow()
    session.flush()
    return review


def decide_review(
    session: Session,
    *,
    review_id: uuid.UUID,
    data: ReviewDecision,
    if_match: str | None,
    today: date,
    scope: Scope,
) -> AnnualReview:
    """Record the decision after the meeting; ceasing ends the plan."""
    review = get_review(session, review_id=review_id, scope=scope)
    plan = get_plan(session, plan_id=review.plan_id, scope=scope)
    scope.require_write(session.get_one(Child, plan.child_id))
    check_if_match(if_match, current_version=review.version)
    if review.outcome is not None:
        raise Conflict(f"The decision ({review.outcome}) was recorded already.")
    if not review.meeting_on <= data.decision_notified_on <= today:
        raise InvalidInput(
            f"decision_notified_on must be between the meeting ({review.meeting_on}) and today."
        )
    review.decision_notified_on = data.decision_notified_on
    review.outcome = data.outcome
    review.cease_reason = data.cease_reason
    review.updated_at = utcnow()
    if data.outcome is ReviewOutcome.CEASE:
        plan.ceased_on = data.decision_notified_on
        plan.cease_reason = data.cease_reason
        plan.updated_at = utcnow()
    session.flush()
    return review


def record_logistics(
    session: Session,
    *,
    review_id: uuid.UUID,
    data: MeetingLogistics,
    if_match: str | None,
    today: date,
    scope: Scope,
) -> AnnualReview:
    """Record (or correct) when the meeting's notice, advice and report went out."""
    review = get_review(session, review_id=review_id, scope=scope)
    plan = get_plan(session, plan_id=review.plan_id, scope=scope)
    scope.require_write(session.get_one(Child, plan.child_id))
    check_if_match(if_match, current_version=review.version)
    if not data.model_fields_set:
        raise InvalidInput("Send at least one of the meeting's dates or attends_school.")
    _apply_logistics(review, data, today=today)
    review.updated_at = utcnow()
    session.flush()
    return review


def _apply_logistics(review: AnnualReview, data: MeetingLogistics, *, today: date) -> None:
    """Check each date against the meeting (before it, or after it for the report) and today."""
    errors: list[dict[str, str]] = []
    before = {
        "invitations_sent_on": data.invitations_sent_on,
        "advice_circulated_on": data.advice_circulated_on,
    }
    for field, value in before.items():
        if value is not None and value > review.meeting_on:
            errors.append(
                {
                    "location": f"body.{field}",
                    "message": f"{field} must be on or before the meeting ({review.meeting_on}).",
                }
            )
    report = data.report_sent_on
    if report is not None and not review.meeting_on <= report <= today:
        errors.append(
            {
                "location": "body.report_sent_on",
                "message": f"report_sent_on must be between the meeting ({review.meeting_on}) "
                "and today.",
            }
        )
    if errors:
        raise InvalidInput("The meeting's dates do not fit the meeting.", errors=errors)
    if data.attends_school is not None:
        review.attends_school = data.attends_school
    for field in ("invitations_sent_on", "advice_circulated_on", "report_sent_on"):
        if field in data.model_fields_set and getattr(data, field) is not None:
            setattr(review, field, getattr(data, field))
