"""Reg 20(10) with reg 22(2) (R (L, M, P) v Devon CC [2022] EWHC 493 (Admin)): a decision to amend
is made within the four weeks only by the notice of the proposed amendments."""

from datetime import date

from cases_api.statutory import MilestoneKind, MilestoneStatus, review_milestones

MADE = date(2025, 3, 10)
MEETING = date(2026, 1, 31)  # four weeks later is 28 February 2026


def _decision(**kwargs: object) -> tuple[date | None, MilestoneStatus, str, str]:
    milestones = review_milestones(
        plan_made_on=MADE,
        current_review_meeting_on=MEETING,
        **kwargs,  # type: ignore[arg-type]
    )
    (decision,) = [m for m in milestones if m.kind is MilestoneKind.REVIEW_DECISION]
    assert decision.due == date(2026, 2, 28)
    return decision.done, decision.status, decision.detail, decision.legal_basis


def test_a_we_will_amend_letter_alone_leaves_the_decision_open_then_overdue() -> None:
    done, status, detail, basis = _decision(
        today=date(2026, 2, 20), decision_notified_on=date(2026, 2, 5), decided_to_amend=True
    )
    assert (done, status) == (None, MilestoneStatus.DUE_SOON)
    assert detail == "amend: met by the amendment notice"
    assert basis == "SEND Regulations 2014 reg 20(10), reg 22(2)"
    done, status, _, _ = _decision(
        today=date(2026, 3, 1), decision_notified_on=date(2026, 2, 5), decided_to_amend=True
    )
    assert (done, status) == (None, MilestoneStatus.OVERDUE)


def test_the_amendment_notice_on_the_last_day_meets_it_and_a_day_later_is_late() -> None:
    on_time = _decision(
        today=date(2026, 4, 1),
        decision_notified_on=date(2026, 2, 5),
        amendment_notice_on=date(2026, 2, 28),
        decided_to_amend=True,
    )
    assert on_time[:2] == (date(2026, 2, 28), MilestoneStatus.MET)
    late = _decision(
        today=date(2026, 4, 1),
        decision_notified_on=date(2026, 2, 5),
        amendment_notice_on=date(2026, 3, 1),
        decided_to_amend=True,
    )
    assert late[:2] == (date(2026, 3, 1), MilestoneStatus.LATE)


def test_maintaining_or_ceasing_is_met_by_its_notice() -> None:
    done, status, detail, _ = _decision(
        today=date(2026, 4, 1), decision_notified_on=date(2026, 2, 27)
    )
    assert (done, status, detail) == (date(2026, 2, 27), MilestoneStatus.MET, "")
