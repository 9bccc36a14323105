from datetime import date

import pytest

from cases_api.statutory import (
    MilestoneKind,
    MilestoneStatus,
    PhaseTransfer,
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


@pytest.mark.parametrize(
    ("on", "start"),
    [(date(2025, 8, 31), 2024), (date(2025, 9, 1), 2025), (date(2026, 1, 1), 2025)],
)
def test_the_school_year_starts_on_1_september(on: date, start: int) -> None:
    assert academic_year_start(on) == start


@pytest.mark.parametrize(
    ("born", "reception"),
    [
        (date(2020, 8, 31), 2024),  # youngest in the 2024 cohort: 4 on 31 August 2024
        (date(2020, 9, 1), 2025),  # one day younger, a whole year later
        (date(2019, 9, 1), 2024),  # oldest in the same cohort as 31 August 2020
        (date(2020, 2, 29), 2024),  # a leap-day birthday
        (date(2020, 1, 1), 2024),
        (date(2020, 12, 31), 2025),
    ],
)
def test_reception_starts_the_september_after_the_child_is_four_on_31_august(
    born: date, reception: int
) -> None:
    assert reception_entry_year(born) == reception
    assert year_group(date_of_birth=born, on=date(reception, 9, 1)) == 0
    assert year_group(date_of_birth=born, on=date(reception, 8, 31)) == -1


def test_year_group_of_a_year_6_child() -> None:
    assert year_group(date_of_birth=date(2014, 1, 15), on=date(2024, 10, 1)) == 6
    assert year_group(date_of_birth=date(2014, 1, 15), on=date(2025, 8, 31)) == 6
    assert year_group(date_of_birth=date(2014, 1, 15), on=date(2025, 9, 1)) == 7


def test_31_august_and_1_september_births_are_a_year_apart() -> None:
    on = date(2024, 10, 1)
    assert year_group(date_of_birth=date(2013, 8, 31), on=on) == 7
    assert year_group(date_of_birth=date(2013, 9, 1), on=on) == 6


def test_children_taught_out_of_cohort_are_placed_with_years_behind() -> None:
    born = date(2020, 8, 20)
    assert year_group(date_of_birth=born, on=date(2024, 9, 1), years_behind=1) == -1
    assert year_group(date_of_birth=born, on=date(2025, 9, 1), years_behind=1) == 0


@pytest.mark.parametrize(
    ("group", "label"), [(-2, "R-2"), (-1, "R-1"), (0, "R"), (1, "Y1"), (13, "Y13"), (14, "Y14")]
)
def test_year_group_labels(group: int, label: str) -> None:
    assert year_group_label(group) == label


def test_deadlines_are_15_february_except_31_march_into_post_16() -> None:
    assert transfer_deadline(PhaseTransfer.PRIMARY_TO_SECONDARY, transfer_year=2026) == date(
        2026, 2, 15
    )
    assert transfer_deadline(PhaseTransfer.SECONDARY_TO_POST_16, transfer_year=2026) == date(
        2026, 3, 31
    )


def test_a_childs_transfers_with_their_dates_and_deadlines() -> None:
    transfers = transfers_for_child(date_of_birth=date(2014, 1, 15))
    assert [(t.transfer, t.transfer_on, t.deadline) for t in transfers] == [
        (PhaseTransfer.EARLY_YEARS_TO_RECEPTION, date(2018, 9, 1), date(2018, 2, 15)),
        (PhaseTransfer.PRIMARY_TO_SECONDARY, date(2025, 9, 1), date(2025, 2, 15)),
        (PhaseTransfer.SECONDARY_TO_POST_16, date(2030, 9, 1), date(2030, 3, 31)),
    ]
    assert [(t.from_year_group, t.into_year_group) for t in transfers] == [
        (-1, 0),
        (6, 7),
        (11, 12),
    ]


def test_infant_to_junior_is_included_only_when_asked_for() -> None:
    transfers = transfers_for_child(date_of_birth=date(2014, 1, 15), include_infant_to_junior=True)
    assert PhaseTransfer.INFANT_TO_JUNIOR in {t.transfer for t in transfers}
    due = transfer_for(PhaseTransfer.INFANT_TO_JUNIOR, date_of_birth=date(2014, 1, 15))
    assert (due.transfer_on, due.deadline, due.from_year_group) == (
        date(2021, 9, 1),
        date(2021, 2, 15),
        2,
    )


def test_next_transfer_is_the_coming_september_round_for_a_year_6_child() -> None:
    due = next_transfer(date_of_birth=date(2014, 1, 15), today=date(2024, 10, 1))
    assert due is not None
    assert (due.transfer, due.deadline) == (PhaseTransfer.PRIMARY_TO_SECONDARY, date(2025, 2, 15))


def test_next_transfer_stays_in_its_round_until_31_august_even_past_the_deadline() -> None:
    due = next_transfer(date_of_birth=date(2014, 1, 15), today=date(2025, 8, 31))
    assert due is not None
    assert due.deadline == date(2025, 2, 15)
    assert next_transfer(date_of_birth=date(2014, 1, 15), today=date(2025, 9, 1)) is None


def test_next_transfer_at_the_cohort_boundary() -> None:
    today = date(2024, 10, 1)
    assert next_transfer(date_of_birth=date(2013, 8, 31), today=today) is None  # already in Y7
    due = next_transfer(date_of_birth=date(2013, 9, 1), today=today)
    assert due is not None
    assert due.transfer is PhaseTransfer.PRIMARY_TO_SECONDARY


def test_next_transfer_into_post_16_has_the_31_march_deadline() -> None:
    due = next_transfer(date_of_birth=date(2009, 5, 5), today=date(2024, 9, 10))
    assert due is not None
    assert (due.transfer, due.deadline) == (PhaseTransfer.SECONDARY_TO_POST_16, date(2025, 3, 31))


def test_next_transfer_into_reception_and_optional_infant_to_junior() -> None:
    due = next_transfer(date_of_birth=date(2020, 8, 31), today=date(2023, 11, 1))
    assert due is not None
    assert (due.transfer, due.transfer_on) == (
        PhaseTransfer.EARLY_YEARS_TO_RECEPTION,
        date(2024, 9, 1),
    )
    born_y2 = date(2017, 3, 3)  # Year 2 in 2023/24
    assert next_transfer(date_of_birth=born_y2, today=date(2023, 11, 1)) is None
    infant = next_transfer(
        date_of_birth=born_y2, today=date(2023, 11, 1), include_infant_to_junior=True
    )
    assert infant is not None
    assert infant.transfer is PhaseTransfer.INFANT_TO_JUNIOR


def test_the_regulation_says_before_the_deadline_so_the_last_day_is_the_day_before() -> None:
    due = transfer_for(PhaseTransfer.PRIMARY_TO_SECONDARY, date_of_birth=date(2014, 1, 15))
    assert (due.deadline, due.last_day) == (date(2025, 2, 15), date(2025, 2, 14))
    post_16 = transfer_for(PhaseTransfer.SECONDARY_TO_POST_16, date_of_birth=date(2014, 1, 15))
    assert post_16.last_day == date(2030, 3, 30)


def test_transfer_milestone_counts_against_the_last_day() -> None:
    due = transfer_for(PhaseTransfer.PRIMARY_TO_SECONDARY, date_of_birth=date(2014, 1, 15))
    on_time = transfer_milestone(due, plan_amended_on=date(2025, 2, 14), today=date(2025, 3, 1))
    late = transfer_milestone(due, plan_amended_on=date(2025, 2, 15), today=date(2025, 3, 1))
    open_case = transfer_milestone(due, plan_amended_on=None, today=date(2025, 2, 1))
    assert (on_time.status, late.status, late.days_late) == (
        MilestoneStatus.MET,
        MilestoneStatus.LATE,
        1,
    )
    assert (open_case.status, open_case.days_remaining) == (MilestoneStatus.DUE_SOON, 13)
    assert open_case.kind is MilestoneKind.PHASE_TRANSFER
    assert open_case.detail == "primary_to_secondary"


@pytest.mark.parametrize(
    ("transfer_on", "last_day"),
    [
        (date(2026, 1, 5), date(2025, 8, 5)),
        (date(2025, 7, 31), date(2025, 2, 28)),  # no 31 February
        (date(2024, 7, 29), date(2024, 2, 29)),
    ],
)
def test_a_move_between_post_16_institutions_needs_five_months(
    transfer_on: date, last_day: date
) -> None:
    assert post_16_move_last_day(transfer_on=transfer_on) == last_day
