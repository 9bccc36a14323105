"""The English school year and phase transfers (SEND Regulations 2014 reg 18).

A school year runs from 1 September to 31 August; children born from 1 September to the following
31 August form one cohort. A child starts reception (year group 0) in the school year that begins
after the 31 August on which they are 4, so a child born on 31 August starts a year before one born
on 1 September. Year groups are integers: 0 is reception, 1–13 are Years 1 to 13, negative values
are the pre-school years (-1 is the year before reception) and 14 upwards are post-19.
Children taught out of their chronological cohort (delayed entry of summer-born children, held back
a year) are placed with ``years_behind``.

Deadlines: reg 18(1) requires the plan to be reviewed and amended to name the new setting *before*
15 February (before 31 March for secondary → post-16) of the calendar year of transfer; the Code of
Practice says 'by'. ``TransferDue.deadline`` is the named date; ``TransferDue.last_day`` the day
before it, the last day that satisfies the regulation, and ``transfer_milestone`` counts against it.
A transfer between post-16 institutions at any other time needs the plan amended at least five
months before the move (reg 18(2)): ``post_16_move_last_day``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from cases_api.statutory._calendar import add_months
from cases_api.statutory.milestones import (
    DEFAULT_DUE_SOON_DAYS,
    Milestone,
    MilestoneKind,
    evaluate_milestone,
)

__all__ = [
    "RECEPTION",
    "PhaseTransfer",
    "TransferDue",
    "academic_year_start",
    "next_transfer",
    "post_16_move_last_day",
    "reception_entry_year",
    "transfer_deadline",
    "transfer_for",
    "transfer_milestone",
    "transfers_for_child",
    "year_group",
    "year_group_label",
]

RECEPTION = 0
_SCHOOL_YEAR_FIRST_MONTH = 9  # September


class PhaseTransfer(StrEnum):
    """The reg 18 transfers, each named by the move it makes."""

    EARLY_YEARS_TO_RECEPTION = "early_years_to_reception"
    INFANT_TO_JUNIOR = "infant_to_junior"
    PRIMARY_TO_SECONDARY = "primary_to_secondary"
    SECONDARY_TO_POST_16 = "secondary_to_post_16"

    @property
    def into_year_group(self) -> int:
        """The year group the child joins at the transfer."""
        return _INTO_YEAR_GROUP[self]

    @property
    def from_year_group(self) -> int:
        """The year group the child leaves (-1: the pre-school year)."""
        return self.into_year_group - 1

    @property
    def deadline_month_day(self) -> tuple[int, int]:
        """Month and day of the deadline in the calendar year of transfer."""
        return (3, 31) if self is PhaseTransfer.SECONDARY_TO_POST_16 else (2, 15)


_INTO_YEAR_GROUP = {
    PhaseTransfer.EARLY_YEARS_TO_RECEPTION: RECEPTION,
    PhaseTransfer.INFANT_TO_JUNIOR: 3,
    PhaseTransfer.PRIMARY_TO_SECONDARY: 7,
    PhaseTransfer.SECONDARY_TO_POST_16: 12,
}


@dataclass(frozen=True, slots=True)
class TransferDue:
    """A transfer a child makes: the September it happens and the plan's deadline before it."""

    transfer: PhaseTransfer
    transfer_on: date
    deadline: date
    from_year_group: int
    into_year_group: int

    @property
    def last_day(self) -> date:
        """The last day the amended plan satisfies reg 18(1): the day before ``deadline``."""
        return self.deadline - timedelta(days=1)


def academic_year_start(on: date) -> int:
    """Return the calendar year in which the school year containing ``on`` began (1 September)."""
    return on.year if on.month >= _SCHOOL_YEAR_FIRST_MONTH else on.year - 1


def reception_entry_year(date_of_birth: date, *, years_behind: int = 0) -> int:
    """Return the year of the September the child starts reception (aged 4 on 31 August)."""
    cohort_offset = 5 if date_of_birth.month >= _SCHOOL_YEAR_FIRST_MONTH else 4
    return date_of_birth.year + cohort_offset + years_behind


def year_group(*, date_of_birth: date, on: date, years_behind: int = 0) -> int:
    """Return the national curriculum year group on ``on`` (0 = reception; moves on 1 Sept)."""
    return academic_year_start(on) - reception_entry_year(date_of_birth, years_behind=years_behind)


def year_group_label(group: int) -> str:
    """Return a year group's name: 'R', 'Y1'…'Y13', 'R-1' before reception, 'Y14' after."""
    if group == RECEPTION:
        return "R"
    if group < RECEPTION:
        return f"R{group}"
    return f"Y{group}"


def transfer_deadline(transfer: PhaseTransfer, *, transfer_year: int) -> date:
    """Return the date by which the plan naming the new setting must be final.

    15 February in the calendar year of the transfer; 31 March for secondary → post-16.
    """
    month, day = transfer.deadline_month_day
    return date(transfer_year, month, day)


def transfer_for(
    transfer: PhaseTransfer, *, date_of_birth: date, years_behind: int = 0
) -> TransferDue:
    """Return when this child makes ``transfer`` and its deadline."""
    year = reception_entry_year(date_of_birth, years_behind=years_behind) + transfer.into_year_group
    return TransferDue(
        transfer=transfer,
        transfer_on=date(year, _SCHOOL_YEAR_FIRST_MONTH, 1),
        deadline=transfer_deadline(transfer, transfer_year=year),
        from_year_group=transfer.from_year_group,
        into_year_group=transfer.into_year_group,
    )


def transfers_for_child(
    *, date_of_birth: date, include_infant_to_junior: bool = False, years_behind: int = 0
) -> tuple[TransferDue, ...]:
    """Return the child's phase transfers in order (infant → junior only where asked for)."""
    return tuple(
        transfer_for(transfer, date_of_birth=date_of_birth, years_behind=years_behind)
        for transfer in PhaseTransfer
        if include_infant_to_junior or transfer is not PhaseTransfer.INFANT_TO_JUNIOR
    )


def next_transfer(
    *,
    date_of_birth: date,
    today: date,
    include_infant_to_junior: bool = False,
    years_behind: int = 0,
) -> TransferDue | None:
    """Return the transfer the child makes in the coming September, if any, with its deadline.

    The coming September is the start of the next school year after ``today``'s, so during the
    whole of 2025/26 (1 September 2025 to 31 August 2026) the round is September 2026 with a
    15 February 2026 deadline, which may already have passed.
    """
    next_round = academic_year_start(today) + 1
    for due in transfers_for_child(
        date_of_birth=date_of_birth,
        include_infant_to_junior=include_infant_to_junior,
        years_behind=years_behind,
    ):
        if due.transfer_on.year == next_round:
            return due
    return None


def transfer_milestone(
    due: TransferDue,
    *,
    plan_amended_on: date | None,
    today: date,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> Milestone:
    """Return the phase-transfer milestone: the plan naming the new setting, due by ``last_day``."""
    return evaluate_milestone(
        MilestoneKind.PHASE_TRANSFER,
        due=due.last_day,
        done=plan_amended_on,
        today=today,
        detail=str(due.transfer),
        due_soon_days=due_soon_days,
    )


def post_16_move_last_day(*, transfer_on: date) -> date:
    """Return the last day to amend the plan for a move between post-16 institutions (5 months)."""
    return add_months(transfer_on, -5)
