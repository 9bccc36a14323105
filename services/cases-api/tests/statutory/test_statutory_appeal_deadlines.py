"""Appeal deadlines at the edges: HESC Rules 2008 r20(1), r12(2) and r12(3)(a) over England's
working days (bank holidays, Easter, the substitute days, the Christmas and August windows)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases_api.statutory import (
    DeadlineRoll,
    appeal_deadline,
    appeal_deadline_detail,
    england_holidays,
    is_working_day,
    roll_tribunal_deadline,
)


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        (date(2025, 4, 18), True),  # Good Friday
        (date(2025, 4, 21), True),  # Easter Monday
        (date(2026, 4, 3), True),  # Good Friday
        (date(2026, 4, 6), True),  # Easter Monday
        (date(2021, 12, 27), True),  # Christmas Day fell on a Saturday: substitute Monday
        (date(2021, 12, 28), True),  # Boxing Day fell on a Sunday: substitute Tuesday
        (date(2022, 12, 27), True),  # Christmas Day fell on a Sunday: substitute Tuesday
        (date(2026, 12, 28), True),  # Boxing Day falls on a Saturday: substitute Monday
        (date(2022, 1, 3), True),  # New Year's Day fell on a Saturday
        (date(2022, 6, 3), True),  # the Platinum Jubilee, proclaimed under the 1971 Act
        (date(2025, 8, 25), True),  # late summer bank holiday
        (date(2025, 1, 2), False),  # a Scottish holiday, not an English one
        (date(2025, 3, 17), False),  # St Patrick's Day: Northern Ireland only
        (date(2025, 12, 24), False),
    ],
)
def test_englands_bank_holidays(day: date, holiday: bool) -> None:
    assert england_holidays(day) is holiday


@pytest.mark.parametrize(
    ("notice", "last_day", "rolled_by"),
    [
        # r20(1) alone: a working day stands.
        (date(2025, 1, 10), date(2025, 3, 10), DeadlineRoll.NONE),
        # Leap day and month ends: 31 December + 2 months is the last day of February.
        (date(2023, 12, 31), date(2024, 2, 29), DeadlineRoll.NONE),
        (date(2024, 12, 31), date(2025, 2, 28), DeadlineRoll.NONE),
        (date(2031, 12, 31), date(2032, 3, 1), DeadlineRoll.NON_WORKING_DAY),  # 29 Feb is a Sunday
        # r12(2): a Saturday, Easter Monday, Good Friday then Easter Monday, the Jubilee.
        (date(2025, 3, 10), date(2025, 5, 12), DeadlineRoll.NON_WORKING_DAY),
        (date(2025, 2, 21), date(2025, 4, 22), DeadlineRoll.NON_WORKING_DAY),
        (date(2026, 2, 3), date(2026, 4, 7), DeadlineRoll.NON_WORKING_DAY),
        (date(2022, 4, 2), date(2022, 6, 6), DeadlineRoll.NON_WORKING_DAY),
        # Sunday 2 January 2022, then the substitute New Year holiday on the 3rd.
        (date(2021, 11, 2), date(2022, 1, 4), DeadlineRoll.NON_WORKING_DAY),
        # r12(3)(a): 25 December to 1 January → the first working day after 1 January.
        (date(2025, 10, 25), date(2026, 1, 2), DeadlineRoll.CHRISTMAS),
        (date(2025, 11, 1), date(2026, 1, 2), DeadlineRoll.CHRISTMAS),  # ends on 1 January
        (date(2022, 10, 31), date(2023, 1, 3), DeadlineRoll.CHRISTMAS),  # 2 Jan 2023 substitute
        (date(2027, 11, 1), date(2028, 1, 4), DeadlineRoll.CHRISTMAS),  # 1 Jan 2028 a Saturday
        # 24 December is outside the window: a Wednesday stands; a Saturday goes to the next
        # working day after the Christmas substitutes (28 December 2022), not into January.
        (date(2025, 10, 24), date(2025, 12, 24), DeadlineRoll.NONE),
        (date(2022, 10, 24), date(2022, 12, 28), DeadlineRoll.NON_WORKING_DAY),
        # 2 January is after the window: it stands when a working day.
        (date(2025, 11, 2), date(2026, 1, 2), DeadlineRoll.NONE),
        # r12(3)(a): any day in August → the first working day after 31 August.
        (date(2025, 6, 1), date(2025, 9, 1), DeadlineRoll.AUGUST),
        (date(2025, 6, 30), date(2025, 9, 1), DeadlineRoll.AUGUST),  # 30 August
        (date(2024, 6, 1), date(2024, 9, 2), DeadlineRoll.AUGUST),  # 1 Sept 2024 is a Sunday
        # 1 September is not in August: a Monday stands, a Sunday moves by r12(2).
        (date(2025, 7, 1), date(2025, 9, 1), DeadlineRoll.NONE),
        (date(2024, 7, 1), date(2024, 9, 2), DeadlineRoll.NON_WORKING_DAY),
    ],
)
def test_the_last_day_to_appeal(notice: date, last_day: date, rolled_by: DeadlineRoll) -> None:
    deadline = appeal_deadline_detail(notice_sent_on=notice)
    assert (deadline.last_day, deadline.rolled_by) == (last_day, rolled_by)
    assert appeal_deadline(decision_on=notice) == last_day


def test_a_certificate_ending_on_31_august_rolls_to_1_september() -> None:
    # 31 August 2026 is the late summer bank holiday too; r12(3)(a) carries it past August.
    deadline = appeal_deadline_detail(
        notice_sent_on=date(2026, 6, 1), mediation_certificate_on=date(2026, 7, 31)
    )
    assert deadline.raw_last_day == date(2026, 8, 31)
    assert deadline.last_day == date(2026, 9, 1)
    assert deadline.legal_basis == (
        "HESC Rules 2008 r20(1) (1 month after the mediation certificate); r12(3)(a)"
    )


def test_the_legal_basis_names_the_decision_notice_and_the_rule_that_moved_it() -> None:
    plain = appeal_deadline_detail(notice_sent_on=date(2025, 1, 10))
    assert plain.legal_basis == "HESC Rules 2008 r20(1) (2 months after the decision notice)"
    easter = appeal_deadline_detail(notice_sent_on=date(2025, 2, 21))
    assert easter.legal_basis.endswith("; r12(2)")


def test_the_calendar_is_a_parameter() -> None:
    never = appeal_deadline(decision_on=date(2025, 2, 21), is_holiday=lambda _: False)
    assert never == date(2025, 4, 21)  # Easter Monday counts when the calendar says so
    every_monday = appeal_deadline(
        decision_on=date(2025, 1, 10), is_holiday=lambda d: d.weekday() == 0
    )
    assert every_monday == date(2025, 3, 11)  # 10 March 2025 is a Monday


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


def _in_a_window(day: date) -> bool:
    return day.month == 8 or (day.month, day.day) >= (12, 25) or (day.month, day.day) == (1, 1)


@given(days)
def test_the_rolled_day_is_a_working_day_never_earlier(raw: date) -> None:
    rolled, rolled_by = roll_tribunal_deadline(raw)
    assert is_working_day(rolled)
    assert rolled >= raw
    assert (rolled - raw).days <= 35  # 1 August to the first working day of September
    assert (rolled_by is DeadlineRoll.NONE) == (rolled == raw)
    if is_working_day(raw) and not _in_a_window(raw):
        assert rolled == raw


@given(days)
def test_the_rolled_day_leaves_the_windows_unless_r12_2_carried_it_into_one(
    raw: date,
) -> None:
    # Our reading: the window test is on the day the time ends, so a time ending on a weekend
    # just before Christmas is met on the next working day, 27 or 28 December, and one ending on
    # Saturday 31 July on Monday 2 August (the earlier days).
    rolled, rolled_by = roll_tribunal_deadline(raw)
    if _in_a_window(rolled):
        assert rolled_by is DeadlineRoll.NON_WORKING_DAY
        assert (raw.month == 12 and 22 <= raw.day <= 24) or (raw.month == 7 and raw.day >= 30)
    else:
        assert roll_tribunal_deadline(rolled) == (rolled, DeadlineRoll.NONE)


@pytest.mark.parametrize(
    ("raw", "rolled"),
    [(date(2000, 12, 23), date(2000, 12, 27)), (date(2038, 7, 31), date(2038, 8, 2))],
)
def test_a_weekend_just_before_a_window_is_met_on_the_next_working_day(
    raw: date, rolled: date
) -> None:
    assert roll_tribunal_deadline(raw) == (rolled, DeadlineRoll.NON_WORKING_DAY)


@given(days, days)
def test_rolling_keeps_the_order_of_days(first: date, second: date) -> None:
    earlier, later = sorted((first, second))
    assert roll_tribunal_deadline(earlier)[0] <= roll_tribunal_deadline(later)[0]


@given(days, st.integers(min_value=0, max_value=120))
def test_the_appeal_deadline_is_the_later_period_rolled(notice: date, gap: int) -> None:
    certificate = notice + timedelta(days=gap)
    deadline = appeal_deadline_detail(notice_sent_on=notice, mediation_certificate_on=certificate)
    alone = appeal_deadline_detail(notice_sent_on=notice)
    assert deadline.raw_last_day >= alone.raw_last_day
    assert deadline.last_day >= alone.last_day
    assert deadline.last_day == roll_tribunal_deadline(deadline.raw_last_day)[0]
