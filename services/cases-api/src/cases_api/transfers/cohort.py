"""The children a transfer round takes, as a range of birth dates (so the view can be SQL)."""

from datetime import date

from cases_api.statutory import PhaseTransfer, academic_year_start, transfer_for


def coming_round(as_of: date) -> int:
    """The year of the September transfers that `next_transfer` reports on `as_of`."""
    return academic_year_start(as_of) + 1


def cohort_birth_dates(transfer: PhaseTransfer, *, round_year: int) -> tuple[date, date]:
    """First and last birth date of the children making `transfer` in September `round_year`:
    one school-year cohort, born 1 September to 31 August (checked against the statutory rule)."""
    first_year = round_year - transfer.into_year_group - 5
    first, last = date(first_year, 9, 1), date(first_year + 1, 8, 31)
    for born in (first, last):
        if transfer_for(transfer, date_of_birth=born).transfer_on.year != round_year:
            raise AssertionError(f"{born} is not in the {round_year} {transfer} cohort")
    return first, last
