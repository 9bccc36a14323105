"""The assessment clock: statutory time limits counted from the day a request is received.

'Within N weeks of' a date ends on the same weekday N weeks later; that date is the due date and a
step done on it is on time. The day of receipt itself is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from cases_api.statutory._calendar import add_weeks
from cases_api.statutory.clock_exceptions import (
    ADVICE_GROUNDS,
    LOCAL_AUTHORITY_GROUNDS,
    ClockException,
    ExceptionGround,
    adjusted_due_date,
    exception_days_between,
    excuses,
)
from cases_api.statutory.errors import StatutoryRuleError
from cases_api.statutory.milestones import (
    DEFAULT_DUE_SOON_DAYS,
    Milestone,
    MilestoneKind,
    evaluate_milestone,
)

__all__ = [
    "ADVICE_WEEKS",
    "COMMENT_WINDOW_DAYS",
    "DECISION_TO_ASSESS_WEEKS",
    "FINAL_PLAN_WEEKS",
    "NO_PLAN_NOTICE_WEEKS",
    "SCHOOL_REPLY_DAYS",
    "AdviceRequest",
    "AdviceType",
    "AssessmentTimeline",
    "ClockSummary",
    "CommentWindowOpen",
    "SchoolConsultation",
    "advice_due",
    "can_finalise_draft",
    "clock_summary",
    "comment_window_end",
    "decision_to_assess_due",
    "earliest_finalisation",
    "final_plan_due",
    "no_plan_notice_due",
    "require_can_finalise_draft",
    "school_reply_due",
]

DECISION_TO_ASSESS_WEEKS = 6  # reg 5(1)
ADVICE_WEEKS = 6  # reg 8(1)
NO_PLAN_NOTICE_WEEKS = 16  # reg 10(1)
FINAL_PLAN_WEEKS = 20  # reg 13(2)
# reg 13(1)(a): at least 15 days "beginning with the day on which the draft plan was served"
COMMENT_WINDOW_DAYS = 15
SCHOOL_REPLY_DAYS = 15  # SEND Code of Practice 2015, ch. 9 (consultation under CFA 2014 s39/s40)


class AdviceType(StrEnum):
    """The advice the local authority must seek for an assessment (reg 6(1))."""

    EDUCATION = "education"
    HEALTH = "health"
    SOCIAL_CARE = "social_care"
    EDUCATIONAL_PSYCHOLOGIST = "educational_psychologist"


@dataclass(frozen=True, slots=True, kw_only=True)
class AdviceRequest:
    """The LA asked for one kind of advice on ``requested_on``; it arrived on ``received_on``.

    Reg 8(1): the adviser must comply "within 6 weeks of the date on which they receive the
    request": ``request_received_on``. Until that day is recorded the six weeks are counted from
    ``requested_on``, the earliest the adviser can have received it (the earlier due date, the
    stricter reading). ``appointment_missed_on`` records that the family missed an appointment for
    an examination or test the adviser made; within the six weeks it excuses them (reg 8(2)).
    """

    advice: AdviceType
    requested_on: date
    received_on: date | None = None
    request_received_on: date | None = None
    appointment_missed_on: date | None = None

    def __post_init__(self) -> None:
        if self.request_received_on is not None and self.request_received_on < self.requested_on:
            raise StatutoryRuleError(
                f"the {self.advice} adviser received the request ({self.request_received_on}) "
                f"before the LA made it ({self.requested_on})"
            )
        if self.appointment_missed_on is not None and self.appointment_missed_on < self.clock_from:
            raise StatutoryRuleError(
                f"the missed appointment ({self.appointment_missed_on}) is before the {self.advice} "
                f"adviser received the request ({self.clock_from})"
            )
        if self.received_on is not None and self.received_on < self.clock_from:
            raise StatutoryRuleError(
                f"the {self.advice} advice arrived ({self.received_on}) before the adviser "
                f"received the request ({self.clock_from})"
            )

    @property
    def clock_from(self) -> date:
        """The day reg 8(1)'s six weeks are counted from."""
        return self.request_received_on or self.requested_on


@dataclass(frozen=True, slots=True, kw_only=True)
class SchoolConsultation:
    """The LA consulted ``school`` (URN or name) on ``sent_on``; it replied on ``replied_on``."""

    school: str
    sent_on: date
    replied_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentTimeline:
    """What has happened on one request for an EHC needs assessment, as dates.

    ``decided_on`` with ``decided_to_assess`` records the reg 5 decision either way. A refusal
    stops the clock after the decision; so does a no-plan notice after the 16-week milestone. A
    withdrawal (``withdrawn_on``) stops it too: milestones still open on that day are dropped.
    """

    received_on: date
    decided_on: date | None = None
    decided_to_assess: bool | None = None
    advice_requests: tuple[AdviceRequest, ...] = ()
    no_plan_notice_on: date | None = None
    draft_sent_on: date | None = None
    comments_waived: bool = False
    school_consultations: tuple[SchoolConsultation, ...] = ()
    final_issued_on: date | None = None
    exceptions: tuple[ClockException, ...] = ()
    withdrawn_on: date | None = None

    def __post_init__(self) -> None:
        if (self.decided_on is None) != (self.decided_to_assess is None):
            raise StatutoryRuleError("decided_on and decided_to_assess go together")
        dated = (
            "decided_on",
            "no_plan_notice_on",
            "draft_sent_on",
            "final_issued_on",
            "withdrawn_on",
        )
        for name in dated:
            value: date | None = getattr(self, name)
            if value is not None and value < self.received_on:
                raise StatutoryRuleError(
                    f"{name} ({value}) is before the request ({self.received_on})"
                )
        if self.no_plan_notice_on is not None and self.final_issued_on is not None:
            raise StatutoryRuleError("a request cannot have both a no-plan notice and a final plan")
        if self.withdrawn_on is not None and self.final_issued_on is not None:
            raise StatutoryRuleError("a request with a final plan can no longer be withdrawn")


def decision_to_assess_due(received_on: date) -> date:
    """Return the last day to decide whether to assess: 6 weeks after receipt (reg 5(1))."""
    return add_weeks(received_on, DECISION_TO_ASSESS_WEEKS)


def advice_due(request_received_on: date) -> date:
    """Return the last day for advice: 6 weeks after the adviser received the request (reg 8(1))."""
    return add_weeks(request_received_on, ADVICE_WEEKS)


def no_plan_notice_due(received_on: date) -> date:
    """Return the last day to tell the family no plan will be issued: 16 weeks (reg 10(1))."""
    return add_weeks(received_on, NO_PLAN_NOTICE_WEEKS)


def final_plan_due(received_on: date) -> date:
    """Return the last day to issue the final plan: 20 weeks after receipt (reg 13(2))."""
    return add_weeks(received_on, FINAL_PLAN_WEEKS)


def school_reply_due(sent_on: date) -> date:
    """Return the day a consulted school's reply is due: 15 days after consultation."""
    return sent_on + timedelta(days=SCHOOL_REPLY_DAYS)


def comment_window_end(draft_sent_on: date) -> date:
    """Return the last day of the 15-day comment window, which includes the day of sending."""
    return draft_sent_on + timedelta(days=COMMENT_WINDOW_DAYS - 1)


def earliest_finalisation(*, draft_sent_on: date, comments_waived: bool = False) -> date:
    """Return the first day the plan may be made final: after the window, or at once if waived."""
    if comments_waived:
        return draft_sent_on
    return comment_window_end(draft_sent_on) + timedelta(days=1)


class CommentWindowOpen(Exception):
    """The family's comment window on the draft has not ended and they have not waived it."""

    def __init__(self, *, may_finalise_from: date) -> None:
        self.may_finalise_from = may_finalise_from
        super().__init__(f"the draft cannot be finalised before {may_finalise_from}")


def can_finalise_draft(*, draft_sent_on: date, on: date, comments_waived: bool = False) -> bool:
    """Return whether a draft sent on ``draft_sent_on`` may be finalised on ``on``."""
    return on >= earliest_finalisation(draft_sent_on=draft_sent_on, comments_waived=comments_waived)


def require_can_finalise_draft(
    *, draft_sent_on: date, on: date, comments_waived: bool = False
) -> None:
    """Raise CommentWindowOpen unless the draft may be finalised on ``on``."""
    first_day = earliest_finalisation(draft_sent_on=draft_sent_on, comments_waived=comments_waived)
    if on < first_day:
        raise CommentWindowOpen(may_finalise_from=first_day)


@dataclass(frozen=True, slots=True)
class ClockSummary:
    """The statutory clock of one request on ``as_of``.

    ``within_20_weeks`` is the plain measure (every issued plan counts; ``None`` until issued).
    ``exception_applies`` is true when a recorded exception excuses the 20 weeks within them (up
    to the day the plan was issued; see ``clock_exceptions.excuses``: an absence needs 4 weeks
    inside, a closure the head teacher asked in its window); the DfE's 'excluding exceptions' rate
    leaves such plans out, so
    ``within_20_weeks_excluding_exceptions`` is ``None`` for them (and until issue).
    ``final_plan_adjusted_due`` is the operational target described in ``adjusted_due_date``.
    """

    received_on: date
    as_of: date
    milestones: tuple[Milestone, ...]
    final_plan_due: date
    final_plan_adjusted_due: date
    exception_days: int
    exception_applies: bool
    within_20_weeks: bool | None
    within_20_weeks_excluding_exceptions: bool | None
    comment_window_ends: date | None
    may_finalise_from: date | None
    withdrawn_on: date | None = None

    def milestone(self, kind: MilestoneKind) -> Milestone | None:
        """Return the first milestone of ``kind``, or None when it does not apply."""
        return next((m for m in self.milestones if m.kind is kind), None)


def clock_summary(
    timeline: AssessmentTimeline, *, today: date, due_soon_days: int = DEFAULT_DUE_SOON_DAYS
) -> ClockSummary:
    """Return every applicable milestone of the request with its status on ``today``."""
    received = timeline.received_on
    exceptions = timeline.exceptions

    def step(
        kind: MilestoneKind,
        *,
        started: date,
        due: date,
        done: date | None,
        detail: str = "",
        grounds: frozenset[ExceptionGround] = LOCAL_AUTHORITY_GROUNDS,
        also_excused: bool = False,
    ) -> Milestone:
        adjusted = adjusted_due_date(
            exceptions, clock_started=started, plain_due=due, grounds=grounds
        )
        first_day = started + timedelta(days=1)
        excused = also_excused or any(
            excuses(e, first_day=first_day, last_day=due, grounds=grounds) for e in exceptions
        )
        return evaluate_milestone(
            kind,
            due=due,
            done=done,
            today=today,
            adjusted_due=adjusted,
            detail=detail,
            due_soon_days=due_soon_days,
            exception_applies=excused,
        )

    def advice_step(advice: AdviceRequest) -> Milestone:
        due = advice_due(advice.clock_from)
        missed = advice.appointment_missed_on
        return step(
            MilestoneKind.ADVICE,
            started=advice.clock_from,
            due=due,
            done=advice.received_on,
            detail=str(advice.advice),
            grounds=ADVICE_GROUNDS,
            also_excused=missed is not None and missed <= due,
        )

    def from_receipt(kind: MilestoneKind, due: date, done: date | None) -> Milestone:
        return step(kind, started=received, due=due, done=done)

    milestones = [
        from_receipt(
            MilestoneKind.DECISION_TO_ASSESS, decision_to_assess_due(received), timeline.decided_on
        )
    ]
    refused = timeline.decided_to_assess is False
    if not refused:
        milestones.extend(advice_step(advice) for advice in timeline.advice_requests)
        if timeline.draft_sent_on is None and timeline.final_issued_on is None:
            milestones.append(
                from_receipt(
                    MilestoneKind.NO_PLAN_NOTICE,
                    no_plan_notice_due(received),
                    timeline.no_plan_notice_on,
                )
            )
        milestones.extend(
            evaluate_milestone(
                MilestoneKind.SCHOOL_CONSULTATION_REPLY,
                due=school_reply_due(consultation.sent_on),
                done=consultation.replied_on,
                today=today,
                detail=consultation.school,
                due_soon_days=due_soon_days,
            )
            for consultation in timeline.school_consultations
        )
        if timeline.no_plan_notice_on is None:
            milestones.append(
                from_receipt(
                    MilestoneKind.FINAL_PLAN, final_plan_due(received), timeline.final_issued_on
                )
            )

    if timeline.withdrawn_on is not None:
        milestones = [
            m for m in milestones if m.done is not None and m.done <= timeline.withdrawn_on
        ]
    plain_due = final_plan_due(received)
    issued = timeline.final_issued_on
    exception_days = exception_days_between(
        exceptions,
        first_day=received + timedelta(days=1),
        last_day=min(issued, plain_due) if issued is not None else plain_due,
    )
    within = None if issued is None else issued <= plain_due
    draft = timeline.draft_sent_on
    return ClockSummary(
        received_on=received,
        as_of=today,
        milestones=tuple(milestones),
        final_plan_due=plain_due,
        final_plan_adjusted_due=adjusted_due_date(
            exceptions, clock_started=received, plain_due=plain_due
        ),
        exception_days=exception_days,
        exception_applies=exception_days > 0,
        within_20_weeks=within,
        within_20_weeks_excluding_exceptions=None if exception_days > 0 else within,
        comment_window_ends=None if draft is None else comment_window_end(draft),
        may_finalise_from=None
        if draft is None
        else earliest_finalisation(draft_sent_on=draft, comments_waived=timeline.comments_waived),
        withdrawn_on=timeline.withdrawn_on,
    )
