"""Property tests of the assessment arithmetic and the training calendar (tongxue/domain)."""
import datetime

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tongxue.domain import assessment as a
from tongxue.domain.training import AUTUMN, SPRING, academic_year_bounds, academic_year_of, season_of

scores = st.floats(min_value=0, max_value=100, allow_nan=False)
weights = st.fixed_dictionaries({s: st.integers(min_value=0, max_value=100) for s in a.SOURCES})
# The suite runs in parallel on busy machines: no deadline, no too-slow health check.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
values = st.dictionaries(st.sampled_from(a.SOURCES), scores, min_size=1)


def test_default_weights_are_valid_and_sum_to_100():
    assert a.weight_errors(a.DEFAULT_WEIGHTS) == []
    assert a.weight_errors({**a.DEFAULT_WEIGHTS, a.SELF: 11}) == ["sum"]
    assert a.weight_errors({a.SELF: 100}) == ["sources"]
    assert a.threshold_errors(a.DEFAULT_THRESHOLDS) == []
    assert a.threshold_errors({a.EXCELLENT: 70, a.GOOD: 80, a.PASS: 60}) == ["order"]


def test_full_sources_give_the_plain_weighted_sum():
    vals = {a.SELF: 100, a.PEER: 90, a.SUPERVISOR: 80, a.LEAGUE: 70, a.STUDENTS: 60}
    assert a.weighted_total(vals, a.DEFAULT_WEIGHTS) == (1000 + 1800 + 2400 + 1400 + 1200) / 100


def test_a_missing_source_is_renormalised():
    vals = {a.SELF: 100, a.PEER: 90, a.SUPERVISOR: 80, a.LEAGUE: 70}  # no students' ballots
    assert a.weighted_total(vals, a.DEFAULT_WEIGHTS) == (1000 + 1800 + 2400 + 1400) / 80


@relaxed
@given(values, weights)
def test_total_lies_between_the_present_sources(vals, ws):
    total = a.weighted_total(vals, ws)
    counted = [v for s, v in vals.items() if ws[s] > 0]
    if not counted:
        assert total is None
    else:
        assert min(counted) - 1e-9 <= total <= max(counted) + 1e-9


@relaxed
@given(values, weights, st.integers(min_value=1, max_value=10))
def test_total_does_not_depend_on_the_scale_of_the_weights(vals, ws, k):
    total = a.weighted_total(vals, ws)
    scaled = a.weighted_total(vals, {s: w * k for s, w in ws.items()})
    assert (total is None and scaled is None) or abs(total - scaled) < 1e-9


@relaxed
@given(scores, st.sets(st.sampled_from(a.SOURCES), min_size=1))
def test_equal_sources_give_that_value_whatever_is_missing(value, present):
    assert abs(a.weighted_total({s: value for s in present}, a.DEFAULT_WEIGHTS) - value) < 1e-9


@relaxed
@given(st.lists(st.tuples(st.sampled_from(a.SOURCES), scores, scores), min_size=1))
def test_source_values_are_means_within_range(ratings):
    for value in a.source_values(ratings).values():
        assert 0 <= value <= 100 + 1e-9


@relaxed
@given(scores, scores)
def test_grades_are_monotonic(x, y):
    assume(x <= y)
    order = {a.FAIL: 0, a.PASS: 1, a.GOOD: 2, a.EXCELLENT: 3}
    assert order[a.grade_for(x)] <= order[a.grade_for(y)]


def test_grade_band_edges():
    assert a.grade_for(90) == a.EXCELLENT and a.grade_for(89.99) == a.GOOD
    assert a.grade_for(80) == a.GOOD and a.grade_for(60) == a.PASS and a.grade_for(59.9) == a.FAIL
    assert a.grade_for(None) is None
    assert a.grade_for(75, {a.EXCELLENT: 95, a.GOOD: 85, a.PASS: 75}) == a.PASS


@relaxed
@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_a_date_lies_in_its_academic_year_and_season(day):
    first, last = academic_year_bounds(academic_year_of(day))
    assert first <= day <= last
    assert season_of(day) == (SPRING if 2 <= day.month <= 8 else AUTUMN)


def test_seasons_by_example():
    assert season_of(datetime.date(2026, 3, 10)) == SPRING
    assert season_of(datetime.date(2026, 1, 10)) == AUTUMN
    assert academic_year_of(datetime.date(2026, 1, 10)) == 2025
    assert academic_year_of(datetime.date(2026, 9, 1)) == 2026
    assert academic_year_of(datetime.date(2026, 8, 20)) == 2025 and season_of(datetime.date(2026, 8, 20)) == SPRING
