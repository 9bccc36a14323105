"""The legal basis of each deadline: a short citation an officer can look up.

Every milestone carries one (``Milestone.legal_basis``), taken from ``MILESTONE_BASIS`` by its kind
unless the rule that made it names a more precise one. Keys are the ``MilestoneKind`` values (plain
strings, so this module imports nothing and every rule module can use it).
"""

from __future__ import annotations

from typing import TypeAlias

__all__ = [
    "ADVICE",
    "AMENDED_PLAN",
    "AMENDMENT_COMMENT_WINDOW",
    "ANNUAL_REVIEW",
    "CFA_2014",
    "COMMENT_WINDOW",
    "DECISION_TO_ASSESS",
    "FINAL_PLAN",
    "HESC_RULES_2008",
    "MILESTONE_BASIS",
    "NO_PLAN_NOTICE",
    "PHASE_TRANSFER",
    "REVIEW_DECISION",
    "SCHOOL_CONSULTATION_REPLY",
    "SEND_REGS_2014",
    "LegalBasis",
    "basis_of",
    "send_reg",
]

LegalBasis: TypeAlias = str
"""A citation string an officer can look up ("SEND Regulations 2014 reg 20(3)")."""

SEND_REGS_2014 = "SEND Regulations 2014"
SEND_REGS = SEND_REGS_2014
CFA_2014 = "Children and Families Act 2014"
HESC_RULES_2008 = "Tribunal Procedure (First-tier Tribunal) (HESC) Rules 2008"


def send_reg(citation: str) -> LegalBasis:
    """The citation of a regulation of the SEND Regulations 2014: ``send_reg("20(3)")``."""
    return f"{SEND_REGS_2014} reg {citation}"


DECISION_TO_ASSESS = f"{SEND_REGS} reg 5(1)"
ADVICE = f"{SEND_REGS} reg 8(1)"
NO_PLAN_NOTICE = f"{SEND_REGS} reg 10(1)"
SCHOOL_CONSULTATION_REPLY = "SEND Code of Practice 2015 ch. 9 (CFA 2014 s39(2), s40(2))"
FINAL_PLAN = f"{SEND_REGS} reg 13(2)"
COMMENT_WINDOW = f"{SEND_REGS} reg 13(1)(a)"
AMENDMENT_COMMENT_WINDOW = f"{SEND_REGS} reg 22(2)(c)"
ANNUAL_REVIEW = "CFA 2014 s44(1)"
REVIEW_DECISION = f"{SEND_REGS} reg 20(10), reg 22(2)"
AMENDED_PLAN = f"{SEND_REGS} reg 22(3)"
PHASE_TRANSFER = f"{SEND_REGS} reg 18(1)"

MILESTONE_BASIS: dict[str, str] = {
    "decision_to_assess": DECISION_TO_ASSESS,
    "advice": ADVICE,
    "no_plan_notice": NO_PLAN_NOTICE,
    "school_consultation_reply": SCHOOL_CONSULTATION_REPLY,
    "final_plan": FINAL_PLAN,
    "annual_review": ANNUAL_REVIEW,
    "review_decision": REVIEW_DECISION,
    "amended_plan": AMENDED_PLAN,
    "phase_transfer": PHASE_TRANSFER,
}


def basis_of(kind: str) -> str:
    """The citation of a milestone kind ('' for a kind not yet given one: a test forbids that)."""
    return MILESTONE_BASIS.get(kind, "")
