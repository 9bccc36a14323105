"""The route from a proposal to a plan naming the setting: stages and deadlines (pure)."""

from datetime import date
from typing import Any

import pytest

from cases_api.rounds.cohort import CurrentSetting, default_suitable_kinds, transfer_at_entry
from cases_api.rounds.models import Transfer
from cases_api.rounds.route import Facts, RoundStage, plan_deadline, progress
from cases_api.statutory import admitted_ages
from send_contracts import NeedCode, ProvisionKind

ENTRY = date(2027, 9, 1)


def _facts(**changes: Any) -> Facts:
    base: dict[str, Any] = {
        "proposed": True,
        "decision": None,
        "consultation": None,
        "consultation_due_on": None,
        "notice_issued_on": None,
        "notice_comments_waived": False,
        "plan_issued_on": None,
        "has_plan": True,
        "transfer": None,
        "entry_date": ENTRY,
    }
    return Facts(**(base | changes))


@pytest.mark.parametrize(
    ("changes", "stage"),
    [
        ({"proposed": None}, RoundStage.AWAITING_PROPOSAL),
        ({}, RoundStage.PROPOSED),
        ({"proposed": False}, RoundStage.UNPLACED),
        ({"decision": "rejected"}, RoundStage.REJECTED),
        ({"consultation": "declined"}, RoundStage.SCHOOL_DECLINED),
        ({"decision": "accepted", "consultation": "pending"}, RoundStage.SCHOOL_CONSULTED),
        (
            {
                "decision": "overridden",
                "consultation": "agreed",
                "notice_issued_on": date(2027, 1, 5),
            },
            RoundStage.FAMILY_COMMENTING,
        ),
        (
            {
                "decision": "accepted",
                "consultation": "agreed",
                "notice_issued_on": date(2026, 12, 1),
            },
            RoundStage.READY_TO_ISSUE,
        ),
        ({"decision": "accepted", "consultation": "agreed", "has_plan": False}, RoundStage.PLACED),
        ({"decision": "accepted", "plan_issued_on": date(2027, 1, 2)}, RoundStage.PLAN_ISSUED),
    ],
)
def test_each_stage(changes: dict[str, Any], stage: RoundStage) -> None:
    assert progress(_facts(**changes), today=date(2027, 1, 10)).stage is stage


def test_the_familys_15_days_include_the_day_the_notice_is_sent() -> None:
    sent = date(2027, 1, 5)
    facts = _facts(decision="accepted", consultation="agreed", notice_issued_on=sent)
    seen = progress(facts, today=sent)
    assert seen.comments_until == date(2027, 1, 19)
    assert seen.may_issue_from == date(2027, 1, 20)
    assert progress(facts, today=date(2027, 1, 20)).stage is RoundStage.READY_TO_ISSUE
    waived = progress(_facts(notice_issued_on=sent, notice_comments_waived=True), today=sent)
    assert (waived.comments_until, waived.may_issue_from) == (None, sent)


def test_eight_weeks_after_the_notice_when_that_comes_first() -> None:
    due = plan_deadline(
        notice_issued_on=date(2026, 11, 2), transfer=Transfer.INTO_SECONDARY, entry_date=ENTRY
    )
    assert due == (date(2026, 12, 28), "8 weeks after the amendment notice (reg 22(3))")


def test_before_15_february_for_a_transfer_when_that_comes_first() -> None:
    due = plan_deadline(
        notice_issued_on=date(2027, 1, 20), transfer=Transfer.INTO_SECONDARY, entry_date=ENTRY
    )
    assert due == (
        date(2027, 2, 14),
        "before 15 February 2027, for the phase transfer (reg 18(1))",
    )


def test_before_31_march_into_post_16() -> None:
    due = plan_deadline(notice_issued_on=None, transfer=Transfer.INTO_POST_16, entry_date=ENTRY)
    assert due is not None
    assert due[0] == date(2027, 3, 30)


def test_overdue_until_issued_and_late_once_issued_after_the_deadline() -> None:
    facts = _facts(
        decision="accepted",
        consultation="agreed",
        notice_issued_on=date(2027, 1, 20),
        transfer=Transfer.INTO_SECONDARY,
    )
    assert not progress(facts, today=date(2027, 2, 14)).overdue
    assert progress(facts, today=date(2027, 2, 15)).overdue
    late = _facts(plan_issued_on=date(2027, 2, 20), transfer=Transfer.INTO_SECONDARY)
    assert progress(late, today=date(2027, 3, 1)).overdue
    on_time = _facts(plan_issued_on=date(2027, 2, 14), transfer=Transfer.INTO_SECONDARY)
    assert not progress(on_time, today=date(2027, 3, 1)).overdue
    assert progress(_facts(transfer=None), today=date(2030, 1, 1)).plan_due_by is None


def _setting(low: int, high: int) -> CurrentSetting:
    admits = admitted_ages(statutory_low_age=low, statutory_high_age=high)
    return CurrentSetting(name="School", admits=admits, kind=None, early_years=high <= 5)


@pytest.mark.parametrize(
    ("age", "current", "transfer"),
    [
        (4, None, Transfer.INTO_RECEPTION),
        (4, (2, 5), Transfer.INTO_RECEPTION),  # a nursery's 2-5 spans reception; its phase ends
        (4, (4, 11), None),  # already in the primary's reception class
        (11, (4, 11), Transfer.INTO_SECONDARY),
        (11, (4, 19), None),  # an all-through special school keeps them
        (9, (4, 9), Transfer.INTO_MIDDLE),  # a first school in a three-tier area
        (13, (9, 13), Transfer.INTO_UPPER),
        (7, (4, 7), Transfer.INTO_JUNIOR),
        (7, None, None),
        (16, (11, 16), Transfer.INTO_POST_16),
        (16, (11, 18), None),  # staying on in the school's sixth form
        (8, (4, 11), None),
    ],
)
def test_the_transfer_a_child_makes(
    age: int, current: tuple[int, int] | None, transfer: Transfer | None
) -> None:
    setting = _setting(*current) if current else None
    assert transfer_at_entry(age=age, current=setting) is transfer


@pytest.mark.parametrize("need", [NeedCode.ASD, NeedCode.PMLD])
@pytest.mark.parametrize("current", [None, ProvisionKind.EARLY_YEARS, ProvisionKind.SPECIAL_SCHOOL])
def test_starting_reception_is_never_early_years(
    need: NeedCode, current: ProvisionKind | None
) -> None:
    kinds = default_suitable_kinds(primary_need=need, age=4, current_kind=current)
    assert ProvisionKind.EARLY_YEARS not in kinds
    assert kinds


def test_post_16_goes_to_sixth_forms_further_education_or_special_post_16() -> None:
    assert default_suitable_kinds(primary_need=NeedCode.SPLD, age=16, current_kind=None) == [
        ProvisionKind.POST16,
        ProvisionKind.MAINSTREAM,
    ]
    special = default_suitable_kinds(
        primary_need=NeedCode.SLD, age=16, current_kind=ProvisionKind.SPECIAL_SCHOOL
    )
    assert ProvisionKind.SPECIAL_SCHOOL in special
    assert ProvisionKind.POST16 in special
    assert default_suitable_kinds(primary_need=None, age=3, current_kind=None)[0] is (
        ProvisionKind.EARLY_YEARS
    )
