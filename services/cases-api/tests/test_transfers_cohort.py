"""The transfer round as birth-date ranges agrees, day by day, with the statutory rule."""

from datetime import date, timedelta

import pytest

from cases_api.statutory import PhaseTransfer, next_transfer
from cases_api.transfers.cohort import cohort_birth_dates, coming_round


@pytest.mark.parametrize("as_of", [date(2026, 8, 31), date(2026, 9, 1), date(2028, 2, 29)])
def test_every_birth_date_in_the_range_and_only_those_transfer_in_the_round(as_of: date) -> None:
    round_year = coming_round(as_of)
    for transfer in PhaseTransfer:
        first, last = cohort_birth_dates(transfer, round_year=round_year)
        assert (last - first).days in (364, 365)
        for born in (first - timedelta(days=1), first, last, last + timedelta(days=1)):
            due = next_transfer(date_of_birth=born, today=as_of, include_infant_to_junior=True)
            inside = first <= born <= last
            assert (due is not None and due.transfer is transfer) == inside, (transfer, born)


def test_the_round_is_the_coming_september() -> None:
    assert coming_round(date(2026, 8, 31)) == 2026
    assert coming_round(date(2026, 9, 1)) == 2027
    assert cohort_birth_dates(PhaseTransfer.PRIMARY_TO_SECONDARY, round_year=2027) == (
        date(2015, 9, 1),
        date(2016, 8, 31),
    )
