"""WorkCalendar (tongxue.domain.workdays): deadlines in working days, gaps fail loudly."""
import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tongxue.domain.workdays import SHANGHAI, CalendarGap, WorkCalendar, end_of_day, local_day

D = datetime.date
YEARS = frozenset({2030, 2031})
days_2030 = st.dates(min_value=D(2030, 1, 1), max_value=D(2030, 12, 31))
covered_days = st.dates(min_value=D(2030, 1, 1), max_value=D(2031, 12, 31))


@st.composite
def calendars(draw):
    holidays = draw(st.frozensets(covered_days, max_size=30))
    makeup = draw(st.frozensets(covered_days, max_size=10)) - holidays
    return WorkCalendar(holidays, makeup, YEARS)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


WEEKENDS = WorkCalendar.weekends_only({2026})


def test_friday_afternoon_plus_one_working_day_is_due_at_the_end_of_monday():
    assert WEEKENDS.add_working_days(at(D(2026, 3, 6), 16), 1) == at(D(2026, 3, 10), 0)


def test_the_start_day_never_counts_even_just_after_midnight():
    assert WEEKENDS.add_working_days(at(D(2026, 3, 9), 0, 1), 1) == at(D(2026, 3, 11), 0)
    assert WEEKENDS.add_working_days(D(2026, 3, 9), 1) == at(D(2026, 3, 11), 0)


def test_zero_days_means_the_end_of_the_start_day():
    assert WEEKENDS.add_working_days(at(D(2026, 3, 7), 10), 0) == at(D(2026, 3, 8), 0)


def test_a_monday_holiday_moves_the_deadline_to_tuesday():
    calendar = WorkCalendar({D(2026, 3, 9)}, set(), {2026})
    assert calendar.add_working_days(at(D(2026, 3, 6), 16), 1) == at(D(2026, 3, 11), 0)


def test_days_are_beijing_days():
    # 17:00 UTC on Friday is 01:00 on Saturday in Beijing: the next working day is Monday.
    friday_utc = datetime.datetime(2026, 3, 6, 17, tzinfo=datetime.UTC)
    assert WEEKENDS.add_working_days(friday_utc, 1) == at(D(2026, 3, 10), 0)
    with pytest.raises(ValueError):
        WEEKENDS.add_working_days(datetime.datetime(2026, 3, 6, 16), 1)


def test_inconsistent_calendars_are_refused():
    with pytest.raises(ValueError):
        WorkCalendar({D(2026, 5, 1)}, {D(2026, 5, 1)}, {2026})
    with pytest.raises(ValueError):
        WorkCalendar({D(2027, 5, 1)}, set(), {2026})
    with pytest.raises(ValueError):
        WEEKENDS.working_day_after(D(2026, 3, 6), -1)


def test_a_year_without_data_raises_instead_of_guessing():
    with pytest.raises(CalendarGap, match="2027"):
        WEEKENDS.is_working_day(D(2027, 1, 4))
    with pytest.raises(CalendarGap):
        WEEKENDS.add_working_days(D(2026, 12, 30), 3)
    with pytest.raises(CalendarGap):
        WEEKENDS.working_days_between(D(2026, 12, 1), D(2027, 1, 1))
    assert WEEKENDS.add_working_days(D(2026, 12, 30), 1) == at(D(2027, 1, 1), 0)


@given(calendars(), days_2030, st.integers(min_value=1, max_value=60))
def test_the_deadline_is_the_end_of_a_working_day(calendar, start, n):
    due = calendar.add_working_days(start, n)
    last_day = local_day(due) - datetime.timedelta(days=1)
    assert due == end_of_day(last_day)
    assert calendar.is_working_day(last_day)
    assert last_day > start


@given(calendars(), days_2030, st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=40))
def test_n_then_m_working_days_is_n_plus_m(calendar, start, n, m):
    assert calendar.working_day_after(calendar.working_day_after(start, n), m) == \
        calendar.working_day_after(start, n + m)


@given(calendars(), days_2030, st.integers(min_value=0, max_value=60))
def test_exactly_n_working_days_follow_the_start_day(calendar, start, n):
    last_day = calendar.working_day_after(start, n)
    assert calendar.working_days_between(start + datetime.timedelta(days=1), last_day) == n


@given(calendars(), days_2030, st.integers(min_value=0, max_value=60), st.times())
def test_the_hour_of_the_start_does_not_matter(calendar, start, n, time):
    moment = datetime.datetime.combine(start, time, tzinfo=SHANGHAI)
    assert calendar.add_working_days(moment, n) == calendar.add_working_days(start, n)


@given(calendars(), st.dates(min_value=D(2020, 1, 1), max_value=D(2040, 12, 31)))
def test_days_outside_the_covered_years_always_raise(calendar, day):
    assume(day.year not in YEARS)
    with pytest.raises(CalendarGap):
        calendar.is_working_day(day)
