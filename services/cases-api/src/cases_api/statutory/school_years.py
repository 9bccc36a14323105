"""School-year ages: the age a placement is matched on, and the ages a setting admits.

Placements follow year groups, not birthdays (Education Act 1996 s4: the school year begins on
1 September; a child joins reception in the school year after the 31 August on which they are 4).
The matching contract (revision 1.1, "Ages") therefore speaks of a child's *school-year age*: the
age on the 31 August before the school year of the entry date (Reception 4, Year 6 10, Year 7 11,
Year 12 16), and of the school-year ages a provision admits. GIAS gives a setting's statutory low
and high ages — the age pupils start at and the age they leave at — so a 4–11 primary admits
school-year ages 4..10 and an 11–16 secondary 11..15: a child entering Year 7 never fits a primary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cases_api.statutory.transfers import RECEPTION, academic_year_start

__all__ = [
    "AdmittedAges",
    "admitted_ages",
    "school_year_age",
    "school_year_name",
    "school_years_name",
]

_AGE_AT_RECEPTION = 4


def school_year_age(*, date_of_birth: date, on: date) -> int:
    """Return the child's age on the 31 August before the school year that contains ``on``.

    A 29 February birthday counts on 1 March, so it never falls on a 31 August either way."""
    reference = date(academic_year_start(on), 8, 31)
    years = reference.year - date_of_birth.year
    if (reference.month, reference.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


@dataclass(frozen=True, slots=True)
class AdmittedAges:
    """The school-year ages a setting admits, inclusive; empty when ``low > high``."""

    low: int
    high: int

    def admits(self, age: int) -> bool:
        return self.low <= age <= self.high

    @property
    def name(self) -> str:
        return school_years_name(self.low, self.high)


def admitted_ages(*, statutory_low_age: int, statutory_high_age: int) -> AdmittedAges:
    """The school-year ages a setting with GIAS's statutory ages admits (contract 1.1):
    from the age pupils start at up to one below the age they leave at."""
    return AdmittedAges(low=statutory_low_age, high=statutory_high_age - 1)


def school_year_name(age: int) -> str:
    """The year group a school-year age is in, as schools say it: 'Reception', 'Year 7', or
    'Nursery' (3), 'Age 2'; past Year 14 (age 18), 'Age 19'."""
    group = age - _AGE_AT_RECEPTION
    if group == RECEPTION:
        return "Reception"
    if 1 <= group <= 14:
        return f"Year {group}"
    if age == 3:
        return "Nursery"
    return f"Age {age}"


def school_years_name(low: int, high: int) -> str:
    """A range of school-year ages by its year groups: 'Reception to Year 6'."""
    if low > high:
        return "no year group"
    if low == high:
        return school_year_name(low)
    return f"{school_year_name(low)} to {school_year_name(high)}"
