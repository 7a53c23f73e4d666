"""Working-day arithmetic (tongxue.domain.workdays): examples and properties."""
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongxue.domain.workdays import is_working_day, last_working_day, working_days_between

D = datetime.date
dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))
day_sets = st.frozensets(dates, max_size=20)


def test_five_working_days_from_monday_end_on_friday():
    assert last_working_day(D(2026, 3, 2), 5) == D(2026, 3, 6)


def test_a_notice_published_on_saturday_starts_on_monday():
    assert last_working_day(D(2026, 3, 7), 5) == D(2026, 3, 13)


def test_holidays_are_skipped_and_makeup_days_count():
    # 2025 National Day: 1–8 October off, Sunday 28 September and Saturday 11 October worked.
    holidays = {D(2025, 10, d) for d in range(1, 9)}
    makeup = {D(2025, 9, 28), D(2025, 10, 11)}
    assert last_working_day(D(2025, 9, 26), 5, holidays, makeup) == D(2025, 10, 9)
    assert is_working_day(D(2025, 9, 28), holidays, makeup)
    assert not is_working_day(D(2025, 10, 6), holidays, makeup)


def test_a_period_needs_a_day():
    with pytest.raises(ValueError):
        last_working_day(D(2026, 3, 2), 0)


@given(dates, st.integers(min_value=1, max_value=30), day_sets, day_sets)
def test_the_period_holds_exactly_n_working_days_and_ends_on_one(start, n, holidays, makeup):
    end = last_working_day(start, n, holidays, makeup)
    assert end >= start
    assert is_working_day(end, holidays, makeup)
    assert working_days_between(start, end, holidays, makeup) == n


@given(dates, st.integers(min_value=1, max_value=30))
def test_without_a_calendar_only_weekends_are_skipped(start, n):
    end = last_working_day(start, n)
    assert end.weekday() < 5
    # n working days span at most n + 2 * (n // 5 + 1) calendar days
    assert (end - start).days < n + 2 * (n // 5 + 1) + 2


@given(dates, st.integers(min_value=1, max_value=30), day_sets)
def test_more_days_never_end_earlier_and_holidays_only_delay(start, n, holidays):
    assert last_working_day(start, n + 1, holidays) > last_working_day(start, n, holidays)
    assert last_working_day(start, n, holidays) >= last_working_day(start, n)
