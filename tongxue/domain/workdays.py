"""Working days (工作日): counting deadlines such as the public notice period (rules.md §3, §8;
conventions.md, Calendar). Pure functions, no Django import.

A day is a working day when it is Monday–Friday and not an extra holiday, or when it is a
make-up working day (调休上班日, often a weekend day). The State Council's yearly schedule and
per-university closures are passed in as sets of dates by the caller; with none given only
weekends are skipped. (The rights desk will add the calendar data source; this module stays the
arithmetic.)
"""
import datetime
from collections.abc import Collection

EMPTY: frozenset[datetime.date] = frozenset()


def is_working_day(day: datetime.date, holidays: Collection[datetime.date] = EMPTY,
                   makeup_workdays: Collection[datetime.date] = EMPTY) -> bool:
    if day in makeup_workdays:
        return True
    return day.weekday() < 5 and day not in holidays


def last_working_day(start: datetime.date, days: int, holidays: Collection[datetime.date] = EMPTY,
                     makeup_workdays: Collection[datetime.date] = EMPTY) -> datetime.date:
    """The last day of a period of `days` working days beginning on `start`: `start` counts as
    the first day when it is a working day (a notice published on Monday for 5 working days ends
    on Friday); otherwise the period begins on the next working day."""
    if days < 1:
        raise ValueError("a period has at least one working day")
    day = start
    counted = 0
    while True:
        if is_working_day(day, holidays, makeup_workdays):
            counted += 1
            if counted == days:
                return day
        day += datetime.timedelta(days=1)


def working_days_between(first: datetime.date, last: datetime.date, holidays: Collection[datetime.date] = EMPTY,
                         makeup_workdays: Collection[datetime.date] = EMPTY) -> int:
    """Working days in the closed range [first, last] (0 when last < first)."""
    count, day = 0, first
    while day <= last:
        count += is_working_day(day, holidays, makeup_workdays)
        day += datetime.timedelta(days=1)
    return count
