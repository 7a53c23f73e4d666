"""The official working-day calendar of China (conventions.md, Calendar): the State Council's
yearly schedule of public holidays and make-up working days (调休上班日), as published in the
`chinesecalendar` package, merged with a university's own overrides (term breaks, campus
closures, extra working days) that the caller reads from the database and passes as sets.

No Django import. The package holds data only for the years it was released with (it is
updated each year once the State Council publishes the next year's schedule, usually in
November); asking for any other year raises CalendarGap instead of guessing.
"""
from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable

import chinese_calendar

from tongxue.domain.workdays import CalendarGap, WorkCalendar


def covered_years() -> range:
    """The years for which the installed package has the State Council schedule."""
    years = {day.year for day in chinese_calendar.holidays}
    return range(min(years), max(years) + 1)


def official_calendar(years: Iterable[int] | None = None,
                      extra_closures: Collection[datetime.date] = (),
                      extra_workdays: Collection[datetime.date] = ()) -> WorkCalendar:
    """A WorkCalendar for `years` (default: every covered year) from the State Council schedule,
    with the university's overrides on top: an extra closure wins over an official make-up day,
    an extra working day over an official holiday. Overrides outside `years` are left out (they
    are never consulted). Raises CalendarGap for a requested year the package does not cover, and
    ValueError when a day is both an extra closure and an extra working day."""
    covered = covered_years()
    wanted = frozenset(covered if years is None else years)
    for year in sorted(wanted):
        if year not in covered:
            raise CalendarGap(year, covered)
    closures, workdays = frozenset(extra_closures), frozenset(extra_workdays)
    both = closures & workdays
    if both:
        raise ValueError(f"days both closed and worked by the university: {sorted(both)}")
    holidays = {day for day in chinese_calendar.holidays if day.year in wanted}
    makeup = {day for day in chinese_calendar.workdays if day.year in wanted}
    closures = {day for day in closures if day.year in wanted}
    workdays = {day for day in workdays if day.year in wanted}
    return WorkCalendar(
        holidays=frozenset((holidays - workdays) | closures),
        makeup_workdays=frozenset((makeup - closures) | workdays),
        years=wanted,
    )
