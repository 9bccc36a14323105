"""English SEND statutory deadline rules: pure functions of dates (standard library only).

The assessment clock (SEND Regulations 2014), annual reviews, phase transfers, tribunal appeal
deadlines and the state machine of a request for assessment. Nothing here touches a database, the
web framework or the clock on the wall: callers pass ``today``.
"""

from cases_api.statutory._calendar import add_months, add_weeks, last_day_of_months_starting_with
from cases_api.statutory.appeals import (
    AppealGround,
    appeal_deadline,
    mediation_certificate_required,
)
from cases_api.statutory.clock import (
    AdviceRequest,
    AdviceType,
    AssessmentTimeline,
    ClockSummary,
    CommentWindowOpen,
    SchoolConsultation,
    advice_due,
    can_finalise_draft,
    clock_summary,
    comment_window_end,
    decision_to_assess_due,
    earliest_finalisation,
    final_plan_due,
    no_plan_notice_due,
    require_can_finalise_draft,
    school_reply_due,
)
from cases_api.statutory.clock_exceptions import (
    ClockException,
    ExceptionGround,
    adjusted_due_date,
    exception_days_between,
    merge_exception_periods,
)
from cases_api.statutory.compliance import Timeliness, TwentyWeekCompliance, twenty_week_compliance
from cases_api.statutory.errors import StatutoryRuleError
from cases_api.statutory.milestones import (
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    evaluate_milestone,
)
from cases_api.statutory.requests_state import (
    FINAL_STATES,
    IllegalTransition,
    RequestEvent,
    RequestState,
    allowed_transitions,
    is_final,
    transition,
)
from cases_api.statutory.reviews import (
    amended_plan_due,
    review_decision_due,
    review_due,
    review_milestones,
)
from cases_api.statutory.transfers import (
    RECEPTION,
    PhaseTransfer,
    TransferDue,
    academic_year_start,
    next_transfer,
    post_16_move_last_day,
    reception_entry_year,
    transfer_deadline,
    transfer_for,
    transfer_milestone,
    transfers_for_child,
    year_group,
    year_group_label,
)

__all__ = [
    "FINAL_STATES",
    "RECEPTION",
    "AdviceRequest",
    "AdviceType",
    "AppealGround",
    "AssessmentTimeline",
    "ClockException",
    "ClockSummary",
    "CommentWindowOpen",
    "ExceptionGround",
    "IllegalTransition",
    "Milestone",
    "MilestoneKind",
    "MilestoneStatus",
    "PhaseTransfer",
    "RequestEvent",
    "RequestState",
    "SchoolConsultation",
    "StatutoryRuleError",
    "Timeliness",
    "TransferDue",
    "TwentyWeekCompliance",
    "academic_year_start",
    "add_months",
    "add_weeks",
    "adjusted_due_date",
    "advice_due",
    "allowed_transitions",
    "amended_plan_due",
    "appeal_deadline",
    "can_finalise_draft",
    "clock_summary",
    "comment_window_end",
    "decision_to_assess_due",
    "earliest_finalisation",
    "evaluate_milestone",
    "exception_days_between",
    "final_plan_due",
    "is_final",
    "last_day_of_months_starting_with",
    "mediation_certificate_required",
    "merge_exception_periods",
    "next_transfer",
    "no_plan_notice_due",
    "post_16_move_last_day",
    "reception_entry_year",
    "require_can_finalise_draft",
    "review_decision_due",
    "review_due",
    "review_milestones",
    "school_reply_due",
    "transfer_deadline",
    "transfer_for",
    "transfer_milestone",
    "transfers_for_child",
    "transition",
    "twenty_week_compliance",
    "year_group",
    "year_group_label",
]
