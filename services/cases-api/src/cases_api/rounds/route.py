"""Where each child of a round stands on the route from a proposal to a plan naming the setting.
Pure: facts in, a stage and its dates out.

The route (Children and Families Act 2014 s39; SEND Regulations 2014 regs 18 and 22): the officer
accepts or overrides a proposal; the school is consulted (15 days to answer) and, where the plan is
in force, the family is sent an amendment notice proposing the setting (15 days to comment and to
ask for a particular school, reg 22(2)(c)); once the school agrees and the window has run or been
waived, the officer issues the amended plan — within 8 weeks of the notice (reg 22(3)) and, for a
phase transfer, before 15 February of the year of transfer (31 March into post-16, reg 18(1)).
Where the two limits differ, the earlier one is shown.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from cases_api.rounds.models import Transfer
from cases_api.statutory import (
    PhaseTransfer,
    amended_plan_due,
    earliest_finalisation,
    transfer_deadline,
)


class RoundStage(StrEnum):
    AWAITING_PROPOSAL = "awaiting_proposal"  # no proposal names the child yet
    PROPOSED = "proposed"  # the latest proposal places the child; no decision yet
    UNPLACED = "unplaced"  # the latest proposal could not place the child
    REJECTED = "rejected"  # the officer rejected the proposal; decide again
    SCHOOL_DECLINED = "school_declined"  # the school declined; decide again
    SCHOOL_CONSULTED = "school_consulted"  # awaiting the school's answer (15 days)
    FAMILY_COMMENTING = "family_commenting"  # the school agreed; the family's 15 days run
    READY_TO_ISSUE = "ready_to_issue"  # agreed, window over or waived: issue the plan
    PLAN_ISSUED = "plan_issued"  # the plan names the setting
    PLACED = "placed"  # the school agreed; the child has no plan to name it in


# The transfer deadline of reg 18(1) for each move; a middle or upper school transfer is a move
# between phases too and takes the 15 February date.
_REG_18 = {
    Transfer.INTO_RECEPTION: PhaseTransfer.EARLY_YEARS_TO_RECEPTION,
    Transfer.INTO_JUNIOR: PhaseTransfer.INFANT_TO_JUNIOR,
    Transfer.INTO_MIDDLE: PhaseTransfer.PRIMARY_TO_SECONDARY,
    Transfer.INTO_SECONDARY: PhaseTransfer.PRIMARY_TO_SECONDARY,
    Transfer.INTO_UPPER: PhaseTransfer.PRIMARY_TO_SECONDARY,
    Transfer.INTO_POST_16: PhaseTransfer.SECONDARY_TO_POST_16,
}


@dataclass(frozen=True, kw_only=True)
class Facts:
    """What is recorded about one child of a round."""

    proposed: bool | None  # in the latest proposal: placed (True), unplaced (False), absent (None)
    decision: str | None  # the standing decision's kind
    consultation: str | None  # the latest consultation's status in this round
    consultation_due_on: date | None
    notice_issued_on: date | None
    notice_comments_waived: bool
    plan_issued_on: date | None  # an in-force version naming the setting, after the decision
    has_plan: bool
    transfer: str | None
    entry_date: date


@dataclass(frozen=True, kw_only=True)
class Progress:
    stage: RoundStage
    comments_until: date | None
    may_issue_from: date | None
    plan_due_by: date | None
    plan_due_basis: str | None
    overdue: bool


def plan_deadline(
    *, notice_issued_on: date | None, transfer: str | None, entry_date: date
) -> tuple[date, str] | None:
    """The last day to issue the plan naming the setting, and the rule that sets it."""
    limits: list[tuple[date, str]] = []
    if notice_issued_on is not None:
        limits.append(
            (amended_plan_due(notice_issued_on), "8 weeks after the amendment notice (reg 22(3))")
        )
    if transfer is not None:
        phase = _REG_18[Transfer(transfer)]
        named = transfer_deadline(phase, transfer_year=entry_date.year)
        limits.append(
            (
                named - timedelta(days=1),
                f"before {named:%-d %B %Y}, for the phase transfer (reg 18(1))",
            )
        )
    return min(limits) if limits else None


def progress(facts: Facts, *, today: date) -> Progress:
    """The child's stage on the route, with the dates that matter at that stage."""
    deadline = plan_deadline(
        notice_issued_on=facts.notice_issued_on,
        transfer=facts.transfer,
        entry_date=facts.entry_date,
    )
    comments_until = may_issue_from = None
    if facts.notice_issued_on is not None:
        may_issue_from = earliest_finalisation(
            draft_sent_on=facts.notice_issued_on, comments_waived=facts.notice_comments_waived
        )
        comments_until = None if facts.notice_comments_waived else may_issue_from - timedelta(1)
    stage = _stage(facts, may_issue_from=may_issue_from, today=today)
    if not facts.has_plan:
        deadline = None
    finished_on = facts.plan_issued_on or today
    return Progress(
        stage=stage,
        comments_until=comments_until,
        may_issue_from=may_issue_from,
        plan_due_by=deadline[0] if deadline else None,
        plan_due_basis=deadline[1] if deadline else None,
        overdue=deadline is not None and finished_on > deadline[0],
    )


def _stage(facts: Facts, *, may_issue_from: date | None, today: date) -> RoundStage:
    if facts.plan_issued_on is not None:
        return RoundStage.PLAN_ISSUED
    if facts.decision in ("accepted", "overridden"):
        if facts.consultation == "agreed":
            if not facts.has_plan:
                return RoundStage.PLACED
            if may_issue_from is not None and today < may_issue_from:
                return RoundStage.FAMILY_COMMENTING
            return RoundStage.READY_TO_ISSUE
        return RoundStage.SCHOOL_CONSULTED
    if facts.decision == "rejected":
        return RoundStage.REJECTED
    if facts.consultation in ("declined", "withdrawn"):
        return RoundStage.SCHOOL_DECLINED
    if facts.proposed is None:
        return RoundStage.AWAITING_PROPOSAL
    return RoundStage.PROPOSED if facts.proposed else RoundStage.UNPLACED
