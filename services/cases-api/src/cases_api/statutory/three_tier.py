"""Phase transfers in three-tier areas: first (or primary) → middle, middle → upper (secondary).

SEND Regulations 2014 reg 2(1): a 'transfer between phases of education' includes a transfer from
primary school to middle school and from middle school to secondary school. Reg 18(1)(b): the plan
must be reviewed and amended to name the new school before 15 February in the calendar year of the
transfer (the 31 March date of reg 18(1)(a) is only for secondary → post-16).

Three-tier areas differ in the ages of their schools (first 4–9, middle 9–13, upper 13–18 in some;
first 4–8, middle 8–12, upper 12–18 in others), so the transfer is recognised from the ages the
child's current setting admits (GIAS statutory low and high ages): a child leaves when they reach
the setting's high age, which is the school-year age they enter the next school at. A setting is a
middle school when it neither starts at reception age nor runs to 16; a first school when it starts
at reception (or nursery) age and ends before 11.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from cases_api.statutory.basis import LegalBasis, send_reg
from cases_api.statutory.transfers import reception_entry_year

__all__ = ["TierTransfer", "TierTransferDue", "tier_transfer_for"]

_AGE_AT_RECEPTION = 4
_SECONDARY_AGE = 11
_LEAVING_AGE = 16


class TierTransfer(StrEnum):
    PRIMARY_TO_MIDDLE = "primary_to_middle"
    MIDDLE_TO_SECONDARY = "middle_to_secondary"


@dataclass(frozen=True, slots=True)
class TierTransferDue:
    transfer: TierTransfer
    transfer_on: date  # 1 September of the move
    into_year_group: int
    deadline: date  # 15 February of the calendar year of the transfer (the named date)
    legal_basis: LegalBasis = send_reg("18(1)(b)") + " with reg 2(1)"

    @property
    def last_day(self) -> date:
        """'Before 15 February': the 14th is the last lawful day."""
        return self.deadline - timedelta(days=1)


def _tier(statutory_low_age: int, statutory_high_age: int) -> TierTransfer | None:
    if statutory_low_age <= _AGE_AT_RECEPTION and statutory_high_age < _SECONDARY_AGE:
        return TierTransfer.PRIMARY_TO_MIDDLE if statutory_high_age >= 8 else None
    if statutory_low_age > _AGE_AT_RECEPTION + 3 and statutory_high_age < _LEAVING_AGE:
        return TierTransfer.MIDDLE_TO_SECONDARY
    return None


def tier_transfer_for(
    *,
    date_of_birth: date,
    statutory_low_age: int,
    statutory_high_age: int,
    years_behind: int = 0,
) -> TierTransferDue | None:
    """The three-tier transfer out of a setting with these GIAS ages, or None when the setting is
    not a first or middle school (an infant school's move is reg 18's infant → junior; a 4–11
    primary's is primary → secondary, handled in ``transfers``)."""
    tier = _tier(statutory_low_age, statutory_high_age)
    if tier is None:
        return None
    into_year_group = statutory_high_age - _AGE_AT_RECEPTION
    year = reception_entry_year(date_of_birth, years_behind=years_behind) + into_year_group
    return TierTransferDue(
        transfer=tier,
        transfer_on=date(year, 9, 1),
        into_year_group=into_year_group,
        deadline=date(year, 2, 15),
    )
