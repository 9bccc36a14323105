"""Every deadline carries its legal basis: each milestone kind has a citation, and a milestone
made by any rule carries it."""

from datetime import date

import pytest

from cases_api.statutory import MilestoneKind, evaluate_milestone
from cases_api.statutory.basis import MILESTONE_BASIS


@pytest.mark.parametrize("kind", list(MilestoneKind))
def test_every_milestone_kind_has_a_citation(kind: MilestoneKind) -> None:
    citation = MILESTONE_BASIS.get(kind.value, "")
    assert citation.startswith(("SEND Regulations 2014 reg", "CFA 2014 s", "SEND Code of"))
    milestone = evaluate_milestone(kind, due=date(2025, 3, 3), done=None, today=date(2025, 3, 1))
    assert milestone.legal_basis == citation


def test_a_rule_may_name_a_more_precise_basis() -> None:
    milestone = evaluate_milestone(
        MilestoneKind.PHASE_TRANSFER,
        due=date(2026, 2, 14),
        done=None,
        today=date(2026, 1, 1),
        legal_basis="SEND Regulations 2014 reg 18(1)(b)",
    )
    assert milestone.legal_basis == "SEND Regulations 2014 reg 18(1)(b)"


def test_the_citations_of_the_assessment_clock() -> None:
    assert MILESTONE_BASIS == MILESTONE_BASIS | {
        "decision_to_assess": "SEND Regulations 2014 reg 5(1)",
        "advice": "SEND Regulations 2014 reg 8(1)",
        "no_plan_notice": "SEND Regulations 2014 reg 10(1)",
        "final_plan": "SEND Regulations 2014 reg 13(2)",
        "annual_review": "CFA 2014 s44(1)",
        "review_decision": "SEND Regulations 2014 reg 20(10), reg 22(2)",
        "amended_plan": "SEND Regulations 2014 reg 22(3)",
        "phase_transfer": "SEND Regulations 2014 reg 18(1)",
    }
