"""Working days (工作日): counting deadlines such as the public notice period (rules.md §3, §8;
conventions.md, Calendar). Pure functions, no Django import.

A day is a working day when it is Monday–Friday and not an extra holiday, or when it is a
make-up working day (调休上班日, often a weekend day). The State Council's yearly schedule and
per-university closures are passed in as sets of dates by the caller; with none given only
weekends are skipped. (The calendar data source, with the database-entered years and the
universities' overrides, is `tongxue/core/workcalendar.py`; this module stays the arithmetic.)

`WorkCalendar` bundles those sets with the years they are known for (official_calendar.py builds
one from the State Council schedule): asked about a day outside those years it raises
`CalendarGap` instead of guessing that the day is an ordinary one (conventions.md, Calendar).
Deadlines of the rights desk clock (sla.py) are counted with `WorkCalendar.add_working_days`:

* Days are Beijing days (Asia/Shanghai); an aware datetime in another zone is converted first.
* The start day never counts, whatever the hour: `n` working days after a start are the `n`
  working days that follow the start day, and the deadline is the end (24:00) of the last of
  them, expressed as the first instant that is late: 00:00 of the next calendar day. A case
  submitted on Friday at 16:00 (or Friday at 00:01) with 1 working day is due Monday 24:00, i.e.
  Tuesday 00:00, unless Monday is a holiday. An event is in time when it happens strictly before
  the deadline.
* `n = 0` means by the end of the start day itself.
"""
from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Collection, Iterable
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = datetime.timedelta(days=1)

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


class CalendarGap(LookupError):
    """The calendar has no holiday data for a year it was asked about (never guess)."""

    def __init__(self, year: int, covered: Collection[int]):
        self.year = year
        self.covered = frozenset(covered)
        span = f"{min(self.covered)}–{max(self.covered)}" if self.covered else "none"
        super().__init__(f"no working-day calendar for {year} (years covered: {span}); "
                         f"update the holiday schedule before counting deadlines in {year}")


def local_day(moment: datetime.date | datetime.datetime) -> datetime.date:
    """The Beijing calendar day of a date or an aware datetime (naive datetimes are refused:
    a deadline must not depend on the server's zone)."""
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("a naive datetime has no day in Beijing; pass an aware datetime")
        return moment.astimezone(SHANGHAI).date()
    return moment


def start_of_day(day: datetime.date) -> datetime.datetime:
    """00:00 of `day` in Beijing."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=SHANGHAI)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """24:00 of `day` in Beijing, i.e. 00:00 of the next day (the first instant after it)."""
    return start_of_day(day + ONE_DAY)


@dataclasses.dataclass(frozen=True)
class WorkCalendar:
    """Holidays and make-up working days, known for `years` and only for them."""
    holidays: frozenset[datetime.date]
    makeup_workdays: frozenset[datetime.date]
    years: frozenset[int]

    def __post_init__(self):
        for name in ("holidays", "makeup_workdays", "years"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        both = self.holidays & self.makeup_workdays
        if both:
            raise ValueError(f"days both holiday and make-up working day: {sorted(both)}")
        outside = {d for d in self.holidays | self.makeup_workdays if d.year not in self.years}
        if outside:
            raise ValueError(f"days outside the covered years {sorted(self.years)}: {sorted(outside)}")

    @classmethod
    def weekends_only(cls, years: Iterable[int]) -> WorkCalendar:
        """A calendar without holidays (for tests and for callers that say so explicitly)."""
        return cls(frozenset(), frozenset(), frozenset(years))

    def covers(self, day: datetime.date) -> bool:
        return day.year in self.years

    def _check(self, day: datetime.date) -> None:
        if day.year not in self.years:
            raise CalendarGap(day.year, self.years)

    def is_working_day(self, day: datetime.date) -> bool:
        self._check(day)
        return is_working_day(day, self.holidays, self.makeup_workdays)

    def working_day_after(self, day: datetime.date, n: int) -> datetime.date:
        """The `n`-th working day after `day` (`day` itself when n = 0)."""
        if n < 0:
            raise ValueError("a number of working days cannot be negative")
        while n:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def add_working_days(self, start: datetime.date | datetime.datetime, n: int) -> datetime.datetime:
        """The deadline `n` working days after `start`: the end (24:00) of the `n`-th working
        day after the Beijing day of `start`, as 00:00 of the following day (see the module
        docstring). Raises CalendarGap when the count reaches a year without data."""
        return end_of_day(self.working_day_after(local_day(start), n))

    def working_days_between(self, first: datetime.date, last: datetime.date) -> int:
        """Working days in the closed range [first, last] (0 when last < first)."""
        count, day = 0, first
        while day <= last:
            count += self.is_working_day(day)
            day += ONE_DAY
        return count
