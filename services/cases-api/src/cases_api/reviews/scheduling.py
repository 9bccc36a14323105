"""The next review meeting of a plan, scheduled before it is held: its date, and its notice and
advice as they go out (SEND Regulations 2014 reg 20(3), (4); reg 21(3), (4) out of school).

One scheduled meeting per plan at a time. Moving it to another date asks for a new notice: reg
20(3) wants two weeks' notice *of the date of the meeting*, and a notice of the old date gives
none of the new one (the stricter reading). Advice already circulated stays circulated.
Recording the meeting held (``service.record_review``) consumes the schedule (``take``).
"""

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
from cases_api.reviews.models import AnnualReview, ScheduledReviewMeeting
from cases_api.reviews.schemas import (
    MeetingLogistics,
    ScheduledReviewCreate,
    ScheduledReviewUpdate,
)


def get_scheduled(session: Session, *, plan_id: uuid.UUID, scope: Scope) -> ScheduledReviewMeeting:
    """The plan's scheduled review meeting, if the caller may see the plan and one is set."""
    get_plan(session, plan_id=plan_id, scope=scope)
    scheduled = session.get(ScheduledReviewMeeting, plan_id)
    if scheduled is None:
        raise NotFound(f"No review meeting is scheduled for plan {plan_id}.")
    return scheduled


def schedule(
    session: Session,
    *,
    plan_id: uuid.UUID,
    data: ScheduledReviewCreate,
    today: date,
    scope: Scope,
) -> ScheduledReviewMeeting:
    """Schedule the plan's next review meeting; one at a time (move or cancel the one set)."""
    plan = _writable_plan(session, plan_id=plan_id, scope=scope)
    existing = session.get(ScheduledReviewMeeting, plan_id)
    if existing is not None:
        raise Conflict(
            f"A review meeting is already scheduled for {existing.meeting_on}; move it "
            "(PATCH) or cancel it (DELETE) instead."
        )
    _check(
        plan,
        meeting_on=data.meeting_on,
        invitations_sent_on=data.invitations_sent_on,
        advice_circulated_on=data.advice_circulated_on,
        today=today,
    )
    scheduled = ScheduledReviewMeeting(
        plan_id=plan.id,
        meeting_on=data.meeting_on,
        attends_school=data.attends_school,
        invitations_sent_on=data.invitations_sent_on,
        advice_circulated_on=data.advice_circulated_on,
    )
    session.add(scheduled)
    session.flush()
    return scheduled


def update_scheduled(
    session: Session,
    *,
    plan_id: uuid.UUID,
    data: ScheduledReviewUpdate,
    if_match: str | None,
    today: date,
    scope: Scope,
) -> ScheduledReviewMeeting:
    """Move the meeting, or record its notice and advice; a new date drops the old notice."""
    plan = _writable_plan(session, plan_id=plan_id, scope=scope)
    scheduled = get_scheduled(session, plan_id=plan_id, scope=scope)
    check_if_match(if_match, current_version=scheduled.version)
    sent = data.model_fields_set
    if not sent:
        raise InvalidInput("Send at least one of meeting_on, attends_school or the papers' dates.")
    meeting_on = data.meeting_on or scheduled.meeting_on
    moved = meeting_on != scheduled.meeting_on
    invitations = (
        data.invitations_sent_on
        if "invitations_sent_on" in sent
        else (None if moved else scheduled.invitations_sent_on)
    )
    advice = (
        data.advice_circulated_on
        if "advice_circulated_on" in sent
        else scheduled.advice_circulated_on
    )
    _check(
        plan,
        meeting_on=meeting_on,
        invitations_sent_on=invitations,
        advice_circulated_on=advice,
        today=today,
        new=sent,
    )
    scheduled.meeting_on = meeting_on
    scheduled.invitations_sent_on = invitations
    scheduled.advice_circulated_on = advice
    if data.attends_school is not None:
        scheduled.attends_school = data.attends_school
    scheduled.updated_at = utcnow()
    session.flush()
    return scheduled


def cancel_scheduled(
    session: Session, *, plan_id: uuid.UUID, if_match: str | None, scope: Scope
) -> None:
    """Cancel the scheduled meeting: its notice and advice are no longer due."""
    _writable_plan(session, plan_id=plan_id, scope=scope, final=False)
    scheduled = get_scheduled(session, plan_id=plan_id, scope=scope)
    check_if_match(if_match, current_version=scheduled.version)
    session.delete(scheduled)
    session.flush()


def take(session: Session, review: AnnualReview, *, held: MeetingLogistics) -> None:
    """Consume the plan's scheduled meeting into the review of the meeting ``held``: the notice
    carries over only when the meeting was held on the date it gave notice of; the advice when
    it went out on or before the meeting; whether the child attends school. What the body of
    the held meeting gives wins. The schedule is cleared either way."""
    scheduled = session.get(ScheduledReviewMeeting, review.plan_id)
    if scheduled is None:
        return
    notice = scheduled.invitations_sent_on
    if held.invitations_sent_on is None and scheduled.meeting_on == review.meeting_on:
        review.invitations_sent_on = notice
    advice = scheduled.advice_circulated_on
    if held.advice_circulated_on is None and advice and advice <= review.meeting_on:
        review.advice_circulated_on = advice
    if held.attends_school is None:
        review.attends_school = scheduled.attends_school
    session.delete(scheduled)


def _writable_plan(
    session: Session, *, plan_id: uuid.UUID, scope: Scope, final: bool = True
) -> Plan:
    plan = get_plan(session, plan_id=plan_id, scope=scope)
    scope.require_write(session.get_one(Child, plan.child_id))
    if not final:
        return plan
    if plan.made_on is None or plan.next_review_due is None:
        raise Conflict("A plan is reviewed once it is final; this one is still a draft.")
    if plan.ceased_on is not None:
        raise Conflict(f"The plan ceased on {plan.ceased_on}; it is no longer reviewed.")
    return plan


def _check(
    plan: Plan,
    *,
    meeting_on: date,
    invitations_sent_on: date | None,
    advice_circulated_on: date | None,
    today: date,
    new: set[str] | None = None,
) -> None:
    """The meeting falls after the plan's last review meeting (or on or after the day the plan
    was made final); its notice and advice went out on or before it, and not after today."""
    assert plan.made_on is not None
    errors: list[dict[str, str]] = []
    last = plan.last_review_meeting_on
    if (last is not None and meeting_on <= last) or meeting_on < plan.made_on:
        after = (
            f"after the plan's last review meeting ({last})"
            if last
            else (f"on or after the day the plan was made final ({plan.made_on})")
        )
        errors.append({"location": "body.meeting_on", "message": f"meeting_on must be {after}."})
    papers = {
        "invitations_sent_on": invitations_sent_on,
        "advice_circulated_on": advice_circulated_on,
    }
    for field, value in papers.items():
        if value is None or (new is not None and field not in new and "meeting_on" not in new):
            continue
        if value > meeting_on:
            errors.append(
                {
                    "location": f"body.{field}",
                    "message": f"{field} must be on or before the meeting ({meeting_on}).",
                }
            )
        elif value > today:
            errors.append(
                {"location": f"body.{field}", "message": f"{field} cannot be after today."}
            )
    if errors:
        raise InvalidInput("The meeting's dates do not fit.", errors=errors)
