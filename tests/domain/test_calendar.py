"""The one academic calendar (tongxue.domain.calendar): 1 September to 31 August, autumn term
September–January, spring term February–August."""
import datetime

from hypothesis import given
from hypothesis import strategies as st

from tongxue.domain import calendar as cal
from tongxue.domain import eligibility, training

days = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2090, 12, 31))
years = st.integers(min_value=1990, max_value=2090)


@given(days)
def test_a_day_lies_within_the_bounds_of_its_academic_year(day):
    year = cal.academic_year_start(day)
    first, last = cal.academic_year_bounds(year)
    assert first <= day <= last
    assert cal.label_of(day) == cal.academic_year_label(year) == f"{year}-{year + 1}"
    assert cal.academic_year_from_label(cal.label_of(day)) == year


@given(years)
def test_academic_years_tile_the_calendar(year):
    first, last = cal.academic_year_bounds(year)
    assert first == datetime.date(year, 9, 1) and last == datetime.date(year + 1, 8, 31)
    assert cal.academic_year_bounds(year + 1)[0] == last + datetime.timedelta(days=1)
    assert cal.academic_year_start(first) == cal.academic_year_start(last) == year
    assert cal.academic_year_start(first - datetime.timedelta(days=1)) == year - 1


@given(years)
def test_the_two_terms_tile_the_academic_year(year):
    autumn, spring = cal.season_bounds(year, cal.AUTUMN), cal.season_bounds(year, cal.SPRING)
    assert autumn[0] == cal.academic_year_bounds(year)[0] and spring[1] == cal.academic_year_bounds(year)[1]
    assert spring[0] == autumn[1] + datetime.timedelta(days=1) == datetime.date(year + 1, 2, 1)
    assert cal.season_end(year, cal.AUTUMN) == datetime.date(year + 1, 1, 31)
    assert cal.season_end(year, cal.SPRING) == datetime.date(year + 1, 8, 31)


@given(days)
def test_a_day_lies_within_its_term(day):
    season = cal.season_of(day)
    first, last = cal.season_bounds(cal.academic_year_start(day), season)
    assert first <= day <= last
    assert season == (cal.SPRING if 2 <= day.month <= 8 else cal.AUTUMN)


@given(years, days)
def test_as_of_is_the_end_of_the_year_or_today_if_earlier(year, today):
    assert cal.as_of_date(year, today) == min(today, cal.academic_year_bounds(year)[1])


@given(days)
def test_training_and_eligibility_use_the_same_calendar(day):
    assert training.academic_year_of(day) == eligibility.academic_year_start(day) == cal.academic_year_start(day)
    assert training.season_of(day) == cal.season_of(day)
    year = cal.academic_year_start(day)
    assert training.academic_year_bounds(year) == cal.academic_year_bounds(year)


def test_late_august_belongs_to_the_spring_of_the_ending_year():
    day = datetime.date(2026, 8, 20)
    assert cal.academic_year_start(day) == 2025 and cal.season_of(day) == cal.SPRING
    assert cal.label_of(datetime.date(2026, 9, 1)) == "2026-2027"
    assert cal.season_of(datetime.date(2026, 9, 1)) == cal.AUTUMN
    assert cal.season_of(datetime.date(2027, 1, 31)) == cal.AUTUMN
