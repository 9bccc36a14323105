"""School-year ages (matching contract 1.1) at the 31 August / 1 September edge of each phase."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases_api.statutory import (
    admitted_ages,
    school_year_age,
    school_year_name,
    school_years_name,
    year_group,
)

ENTRY = date(2027, 9, 1)


@pytest.mark.parametrize(
    ("born", "age", "name"),
    [
        # Starting reception in September 2027: born 1 September 2022 to 31 August 2023.
        (date(2023, 8, 31), 4, "Reception"),
        (date(2023, 9, 1), 3, "Nursery"),
        (date(2022, 9, 1), 4, "Reception"),
        # Entering Year 7: born 1 September 2015 to 31 August 2016.
        (date(2016, 8, 31), 11, "Year 7"),
        (date(2016, 9, 1), 10, "Year 6"),
        (date(2015, 9, 1), 11, "Year 7"),
        (date(2015, 8, 31), 12, "Year 8"),
        # Entering Year 12: born 1 September 2010 to 31 August 2011.
        (date(2011, 8, 31), 16, "Year 12"),
        (date(2011, 9, 1), 15, "Year 11"),
        # A leap-day birthday is in the cohort of its own school year.
        (date(2016, 2, 29), 11, "Year 7"),
    ],
)
def test_the_age_on_the_31_august_before_entry(born: date, age: int, name: str) -> None:
    assert school_year_age(date_of_birth=born, on=ENTRY) == age
    assert school_year_name(age) == name


@pytest.mark.parametrize("entry", [date(2027, 9, 1), date(2028, 1, 10), date(2028, 8, 31)])
def test_an_entry_in_the_same_school_year_gives_the_same_age(entry: date) -> None:
    assert school_year_age(date_of_birth=date(2016, 8, 31), on=entry) == 11
    assert school_year_age(date_of_birth=date(2016, 9, 1), on=entry) == 10


@given(
    born=st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
    on=st.dates(min_value=date(2000, 1, 1), max_value=date(2045, 12, 31)),
)
def test_the_school_year_age_is_the_year_group_plus_four(born: date, on: date) -> None:
    assert school_year_age(date_of_birth=born, on=on) == year_group(date_of_birth=born, on=on) + 4


@pytest.mark.parametrize(
    ("low", "high", "first", "last", "name"),
    [
        (4, 11, 4, 10, "Reception to Year 6"),
        (11, 16, 11, 15, "Year 7 to Year 11"),
        (11, 18, 11, 17, "Year 7 to Year 13"),
        (2, 19, 2, 18, "Age 2 to Year 14"),
        (9, 13, 9, 12, "Year 5 to Year 8"),
    ],
)
def test_gias_ages_admit_up_to_one_below_the_leaving_age(
    low: int, high: int, first: int, last: int, name: str
) -> None:
    admits = admitted_ages(statutory_low_age=low, statutory_high_age=high)
    assert (admits.low, admits.high, admits.name) == (first, last, name)
    assert admits.admits(first)
    assert admits.admits(last)
    assert not admits.admits(first - 1)
    assert not admits.admits(last + 1)


def test_a_child_entering_year_7_never_fits_a_primary() -> None:
    primary = admitted_ages(statutory_low_age=4, statutory_high_age=11)
    secondary = admitted_ages(statutory_low_age=11, statutory_high_age=16)
    age = school_year_age(date_of_birth=date(2016, 8, 31), on=ENTRY)
    assert not primary.admits(age)
    assert secondary.admits(age)
    assert school_years_name(5, 4) == "no year group"
