"""Complying with the First-tier Tribunal: its orders (SEND Regulations 2014 reg 44) and appeals
the LA does not oppose (reg 45), with the time limits as amended (2, 5, 10, 14 and 11 weeks).

Each order sets one or more steps, each due within a number of weeks of the order being made
(reg 44(2)) or, for an unopposed appeal, of the LA's notifying the Tribunal that it will not
oppose (reg 45): ``started_on`` is that date. 'Within N weeks of' ends N weeks after it.

| order                                         | steps                                          |
|-----------------------------------------------|------------------------------------------------|
| to assess or reassess                         | notify that it will: 2 weeks; decide whether   |
|                                               | to make a plan: 10 weeks; issue it: 14 weeks   |
| to make and maintain a plan                   | draft plan: 5 weeks; final plan: 11 weeks      |
| case referred back to the LA to reconsider    | reconsider and notify: 2 weeks                 |
| to amend the plan's content (B, F, …)         | amended plan: 5 weeks                          |
| to name a school (section I only)             | amended plan: 2 weeks                          |
| to amend content and name a school            | amended plan: 5 weeks                          |
| not to cease (continue to maintain)           | continue at once (the day of the order)        |
| continue to maintain and amend                | continue at once; amended plan: 5 weeks        |

The final plan after an ordered assessment is due only if the LA decides to make one; it is shown
until the officer records the plan, and is not counted once the decision step says 'no plan'.
The excuses in reg 44(3) / 45 (exceptional personal circumstances, absence from the area for two
weeks, a school closed for four weeks) are not applied here: the dates shown are the plain limits,
the stricter reading until an excuse is recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum

from cases_api.statutory._calendar import add_weeks
from cases_api.statutory.basis import LegalBasis, send_reg
from cases_api.statutory.deadlines import Deadline, DeadlineKind, evaluate_deadline
from cases_api.statutory.milestones import DEFAULT_DUE_SOON_DAYS

__all__ = [
    "ComplianceStep",
    "OrderKind",
    "compliance_basis",
    "compliance_deadlines",
    "compliance_steps",
]


class OrderKind(StrEnum):
    """What the Tribunal ordered (or what the LA conceded, for an unopposed appeal)."""

    ASSESS = "assess"
    MAKE_PLAN = "make_plan"
    RECONSIDER = "reconsider"
    AMEND_CONTENT = "amend_content"
    NAME_SCHOOL = "name_school"
    AMEND_CONTENT_AND_SCHOOL = "amend_content_and_school"
    CONTINUE_TO_MAINTAIN = "continue_to_maintain"
    CONTINUE_AND_AMEND = "continue_and_amend"


class ComplianceStep(StrEnum):
    """What the LA must do to comply, in the words of the letter it sends."""

    NOTIFY_ASSESSMENT = "notify_assessment"
    ASSESSMENT_DECISION = "assessment_decision"
    FINAL_PLAN = "final_plan"
    DRAFT_PLAN = "draft_plan"
    RECONSIDERED = "reconsidered"
    AMENDED_PLAN = "amended_plan"
    CONTINUE_TO_MAINTAIN = "continue_to_maintain"


_STEPS: dict[OrderKind, tuple[tuple[ComplianceStep, int], ...]] = {
    OrderKind.ASSESS: (
        (ComplianceStep.NOTIFY_ASSESSMENT, 2),
        (ComplianceStep.ASSESSMENT_DECISION, 10),
        (ComplianceStep.FINAL_PLAN, 14),
    ),
    OrderKind.MAKE_PLAN: ((ComplianceStep.DRAFT_PLAN, 5), (ComplianceStep.FINAL_PLAN, 11)),
    OrderKind.RECONSIDER: ((ComplianceStep.RECONSIDERED, 2),),
    OrderKind.AMEND_CONTENT: ((ComplianceStep.AMENDED_PLAN, 5),),
    OrderKind.NAME_SCHOOL: ((ComplianceStep.AMENDED_PLAN, 2),),
    OrderKind.AMEND_CONTENT_AND_SCHOOL: ((ComplianceStep.AMENDED_PLAN, 5),),
    OrderKind.CONTINUE_TO_MAINTAIN: ((ComplianceStep.CONTINUE_TO_MAINTAIN, 0),),
    OrderKind.CONTINUE_AND_AMEND: (
        (ComplianceStep.CONTINUE_TO_MAINTAIN, 0),
        (ComplianceStep.AMENDED_PLAN, 5),
    ),
}

_WORDS = {
    ComplianceStep.NOTIFY_ASSESSMENT: "tell the family the LA will assess",
    ComplianceStep.ASSESSMENT_DECISION: "decide whether to make a plan and tell the family",
    ComplianceStep.FINAL_PLAN: "issue the final plan",
    ComplianceStep.DRAFT_PLAN: "issue the draft plan",
    ComplianceStep.RECONSIDERED: "reconsider and tell the family",
    ComplianceStep.AMENDED_PLAN: "issue the amended plan",
    ComplianceStep.CONTINUE_TO_MAINTAIN: "continue to maintain the plan, at once",
}


def compliance_steps(kind: OrderKind) -> tuple[tuple[ComplianceStep, int], ...]:
    """The steps an order of ``kind`` requires and the weeks allowed for each."""
    return _STEPS[kind]


def compliance_basis(*, unopposed: bool) -> LegalBasis:
    """Reg 45 for an appeal the LA did not oppose, reg 44(2) for an order the Tribunal made."""
    return send_reg("45") if unopposed else send_reg("44(2)")


def compliance_deadlines(
    kind: OrderKind,
    *,
    started_on: date,
    today: date,
    unopposed: bool = False,
    done: Mapping[ComplianceStep, date] | None = None,
    no_plan_decided: bool = False,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> tuple[Deadline, ...]:
    """Each step of the order with its due date and status on ``today``.

    ``started_on`` is the day the order was made (reg 44) or the day the LA told the Tribunal it
    would not oppose (reg 45). ``no_plan_decided`` drops the final plan after an ordered
    assessment when the LA decided not to make one.
    """
    done = done or {}
    basis = compliance_basis(unopposed=unopposed)
    deadlines = []
    for step, weeks in _STEPS[kind]:
        if kind is OrderKind.ASSESS and step is ComplianceStep.FINAL_PLAN and no_plan_decided:
            continue
        deadlines.append(
            evaluate_deadline(
                DeadlineKind.TRIBUNAL_ORDER,
                due=add_weeks(started_on, weeks),
                done=done.get(step),
                today=today,
                legal_basis=basis,
                detail=f"{step}: {_WORDS[step]}" + (f" within {weeks} weeks" if weeks else ""),
                due_soon_days=due_soon_days,
            )
        )
    return tuple(deadlines)
