"""Term ends and the full-staff attendance share behind indicator C10."""
import datetime

from hypothesis import given
from hypothesis import strategies as st

from tongxue.domain.training import AUTUMN, SPRING, full_staff_attendance, season_end, season_of


@given(st.integers(min_value=2000, max_value=2100), st.sampled_from([AUTUMN, SPRING]))
def test_a_term_ends_on_a_day_of_its_own_season(year, season):
    assert season_of(season_end(year, season)) == season


@given(st.lists(st.booleans(), min_size=1))
def test_share_is_known_after_the_term_and_while_running_only_when_everyone_came(attended):
    after = full_staff_attendance(attended, season_over=True)
    assert after == sum(attended) / len(attended)
    during = full_staff_attendance(attended, season_over=False)
    assert during == (1.0 if all(attended) else None)


def test_no_staff_means_nothing_to_report():
    assert full_staff_attendance([], season_over=True) is None
    assert season_end(2025, AUTUMN) == datetime.date(2026, 1, 31)
