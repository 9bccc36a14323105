from datetime import date

import pytest

from cases_api.statutory import add_months, add_weeks, last_day_of_months_starting_with


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # no 31 February: clamp to the month end
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # a leap day a year on
        (date(2024, 2, 29), 48, date(2028, 2, 29)),  # four years on the leap day exists again
        (date(2024, 12, 31), 2, date(2025, 2, 28)),  # across the new year
        (date(2024, 11, 15), 3, date(2025, 2, 15)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 4, 30), 1, date(2025, 5, 30)),  # a shorter source month is not stretched
        (date(2025, 6, 10), 0, date(2025, 6, 10)),
    ],
)
def test_add_months_uses_the_corresponding_date_clamped_to_the_month_end(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 3, 10), 12, date(2026, 3, 9)),  # the day before the anniversary
        (date(2025, 3, 1), 12, date(2026, 2, 28)),
        (date(2024, 3, 1), 12, date(2025, 2, 28)),
        (date(2023, 3, 1), 12, date(2024, 2, 29)),  # ends on a leap day
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # no 29 February 2025: the month's last day
        (date(2024, 2, 28), 12, date(2025, 2, 27)),
        (date(2025, 1, 1), 12, date(2025, 12, 31)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # no 31 February
        (date(2025, 1, 30), 1, date(2025, 2, 28)),  # no 30 February
        (date(2025, 1, 28), 1, date(2025, 2, 27)),
        (date(2025, 5, 1), 1, date(2025, 5, 31)),  # a whole calendar month
        (date(2025, 12, 15), 1, date(2026, 1, 14)),
    ],
)
def test_a_period_of_months_starting_with_a_date_ends_the_day_before_the_anniversary(
    start: date, months: int, expected: date
) -> None:
    assert last_day_of_months_starting_with(start, months) == expected


def test_add_weeks_lands_on_the_same_weekday() -> None:
    assert add_weeks(date(2025, 1, 6), 6) == date(2025, 2, 17)
    assert add_weeks(date(2024, 2, 1), 4) == date(2024, 2, 29)
