"""The official calendar (tongxue.domain.official_calendar): the State Council schedule from the
chinesecalendar package plus a university's overrides."""
import datetime

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongxue.domain.official_calendar import covered_years, official_calendar
from tongxue.domain.workdays import SHANGHAI, CalendarGap, local_day

D = datetime.date
COVERED = covered_years()
OFFICIAL = official_calendar()
# starts early enough that 60 working days stay inside the covered years
starts = st.dates(min_value=D(COVERED.start, 1, 1), max_value=D(COVERED.stop - 1, 8, 31))


def at(day, hour=0):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def test_the_package_covers_2026():
    assert 2026 in COVERED and COVERED.start <= 2020


def test_every_covered_day_agrees_with_the_package():
    day, last = D(COVERED.start, 1, 1), D(COVERED.stop - 1, 12, 31)
    while day <= last:
        assert OFFICIAL.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)


def test_2026_national_day():
    # 1–7 October off; Sunday 20 September and Saturday 10 October are make-up working days.
    assert not any(OFFICIAL.is_working_day(D(2026, 10, d)) for d in range(1, 8))
    assert OFFICIAL.is_working_day(D(2026, 9, 20)) and OFFICIAL.is_working_day(D(2026, 10, 10))
    # submitted on the last working day before the holiday: due at the end of 8 October
    assert OFFICIAL.add_working_days(at(D(2026, 9, 30), 16), 1) == at(D(2026, 10, 9))
    # submitted on the first day of the holiday: the same
    assert OFFICIAL.add_working_days(at(D(2026, 10, 1), 9), 1) == at(D(2026, 10, 9))
    # Friday 9 October + 1 working day: the make-up Saturday
    assert OFFICIAL.add_working_days(at(D(2026, 10, 9), 16), 1) == at(D(2026, 10, 11))
    # Friday 18 September + 1: the make-up Sunday 20 September
    assert OFFICIAL.add_working_days(at(D(2026, 9, 18), 16), 1) == at(D(2026, 9, 21))
    # Thursday 24 September + 1: Mid-Autumn Friday 25 off, then the weekend, so Monday 28
    assert OFFICIAL.add_working_days(at(D(2026, 9, 24), 16), 1) == at(D(2026, 9, 29))
    assert OFFICIAL.working_days_between(D(2026, 9, 28), D(2026, 10, 11)) == 6


def test_university_overrides_win_over_the_official_schedule():
    calendar = official_calendar(
        {2026}, extra_closures={D(2026, 10, 8), D(2026, 10, 10)}, extra_workdays={D(2026, 10, 7)})
    assert calendar.add_working_days(at(D(2026, 9, 30), 16), 1) == at(D(2026, 10, 8))
    assert calendar.add_working_days(at(D(2026, 9, 30), 16), 2) == at(D(2026, 10, 10))
    assert calendar.add_working_days(at(D(2026, 9, 30), 16), 3) == at(D(2026, 10, 13))
    with pytest.raises(ValueError):
        official_calendar({2026}, extra_closures={D(2026, 5, 6)}, extra_workdays={D(2026, 5, 6)})


def test_overrides_outside_the_requested_years_are_left_out():
    calendar = official_calendar({2025}, extra_closures={D(2026, 3, 2)})
    assert calendar.years == {2025} and D(2026, 3, 2) not in calendar.holidays


def test_a_year_beyond_the_package_fails_loudly():
    gap = COVERED.stop
    with pytest.raises(CalendarGap, match=str(gap)):
        official_calendar({gap})
    with pytest.raises(CalendarGap):
        official_calendar({COVERED.start - 1})
    with pytest.raises(CalendarGap):
        OFFICIAL.is_working_day(D(gap, 1, 4))
    with pytest.raises(CalendarGap):
        OFFICIAL.add_working_days(D(gap - 1, 12, 20), 15)


@given(starts, st.integers(min_value=1, max_value=60))
def test_deadlines_never_fall_on_a_state_council_holiday(start, n):
    last_day = local_day(OFFICIAL.add_working_days(start, n)) - datetime.timedelta(days=1)
    assert last_day not in chinese_calendar.holidays
    assert chinese_calendar.is_workday(last_day)
