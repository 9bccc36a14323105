"""The bank holidays the working-day limits skip (SEND Regulations 2014 regs 15 and 16).

England's bank holidays come from a maintained library, not a hand-kept list; until the service
depends on one (the `holidays` package, country GB, subdivision ENG) no bank holiday is skipped,
so a period with one in it ends a working day early — the stricter date for the LA.
"""

from cases_api.statutory.working_days import HolidayPredicate, no_holidays

__all__ = ["bank_holiday_in_england"]

# Wire point: replace with the `holidays` package's England calendar when it is a dependency.
bank_holiday_in_england: HolidayPredicate = no_holidays
