"""Ages in whole years. Someone born on 29 February is a year older on 1 March in common years."""

import calendar
from datetime import date


def age_on(date_of_birth: date, on: date) -> int:
    """Whole years of age on ``on``."""
    years = on.year - date_of_birth.year
    had_birthday = (on.month, on.day) >= (date_of_birth.month, date_of_birth.day)
    return years if had_birthday else years - 1


def latest_birth_date_for_age(age: int, on: date) -> date:
    """The last date of birth of anyone at least ``age`` years old on ``on``."""
    year = on.year - age
    day = min(on.day, calendar.monthrange(year, on.month)[1])
    return date(year, on.month, day)
