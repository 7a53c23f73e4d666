"""Properties of the cadre eligibility decision (rules.md §2), with hypothesis."""
import datetime
from dataclasses import replace
from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from tongxue.domain.eligibility import (
    CUMULATIVE, FAILED_COURSES, FIRST_YEAR, NO_ACADEMIC_RECORD, NOT_TOP_SHARE, POLITICAL_STATUS, TERM, YEAR,
    AcademicStanding, CandidateFacts, EligibilityConfig, academic_year_start, assess, latest_standings,
)

NOW = 2026  # the academic year 2026-2027
CODES = ["01", "02", "03", "04", "05", "12", "13"]
UNDERGRAD = st.sampled_from(["undergraduate", "junior"])
LEVELS = st.sampled_from(["undergraduate", "junior", "master", "doctoral"])


@st.composite
def standings(draw, min_size=0, failed=st.integers(0, 3)):
    out = []
    for _ in range(draw(st.integers(min_size, 6))):
        period = draw(st.sampled_from([TERM, YEAR, CUMULATIVE]))
        year = draw(st.integers(2020, 2025))
        label = f"{year}-{year + 1}" + (f"-{draw(st.integers(1, 2))}" if period == TERM else "")
        size = draw(st.integers(1, 400))
        out.append(AcademicStanding(period, label, draw(st.integers(1, size)), size, draw(failed)))
    return out


@st.composite
def facts(draw, levels=LEVELS, codes=st.sampled_from(CODES), years=st.integers(2018, NOW), min_records=0,
          failed=st.integers(0, 3)):
    return CandidateFacts(political_status=draw(codes), degree_level=draw(levels), enrolment_year=draw(years),
                          standings=draw(standings(min_size=min_records, failed=failed)), academic_year=NOW)


def codes_of(result):
    return {r.code for r in result.reasons}


@given(facts())
def test_reasons_explain_every_refusal(f):
    result = assess(f)
    assert result.is_eligible == (not result.reasons)


@given(facts(codes=st.sampled_from(["01", "02", "03"]), min_records=1,
             failed=st.sampled_from([0, 0, 0, 1])), st.data())
def test_a_better_rank_never_makes_an_eligible_candidate_ineligible(f, data):
    assume(f.standings)
    assume(assess(f).is_eligible)
    index = data.draw(st.integers(0, len(f.standings) - 1))
    s = f.standings[index]
    better = replace(s, rank=data.draw(st.integers(1, s.rank)))
    improved = replace(f, standings=[*f.standings[:index], better, *f.standings[index + 1:]])
    assert assess(improved).is_eligible


@given(facts(levels=LEVELS, years=st.integers(2018, NOW - 1), min_records=1), st.data())
def test_a_failed_course_on_a_latest_record_always_makes_a_non_first_year_ineligible(f, data):
    latest = list(latest_standings(f.standings).values())
    chosen = data.draw(st.sampled_from(latest))
    failing = replace(chosen, failed_courses=data.draw(st.integers(1, 5)))
    f = replace(f, standings=[failing if s is chosen else s for s in f.standings])
    result = assess(f)
    assert not result.is_eligible and FAILED_COURSES in codes_of(result)


@given(facts(codes=st.sampled_from(["04", "05", "12", "13"])))
def test_only_party_and_league_members_are_eligible(f):
    result = assess(f)
    assert not result.is_eligible and POLITICAL_STATUS in codes_of(result)


@given(facts(codes=st.just("13")))
def test_political_status_13_is_never_eligible(f):
    assert not assess(f).is_eligible


@given(facts(levels=UNDERGRAD, codes=st.sampled_from(["01", "02", "03"]), years=st.just(NOW)))
def test_first_year_undergraduates_are_exempt_from_the_academic_test(f):
    result = assess(f)
    assert result.is_eligible and result.exempt == FIRST_YEAR


@given(facts(levels=st.sampled_from(["master", "doctoral"]), codes=st.just("03"),
             years=st.integers(2018, NOW - 1), min_records=1))
def test_graduates_need_no_ranking_only_no_failed_course(f):
    clean = replace(f, standings=[replace(s, failed_courses=0, rank=s.major_size) for s in f.standings])
    assert assess(clean).is_eligible


@given(st.integers(1, 1000), st.integers(1, 1000))
def test_the_boundary_is_exactly_thirty_percent(rank, size):
    assume(rank <= size)
    f = CandidateFacts("03", "undergraduate", 2024, [AcademicStanding(TERM, "2025-2026-2", rank, size, 0)], NOW)
    assert assess(f).is_eligible == (Fraction(rank, size) <= Fraction(3, 10))


def test_boundary_examples():
    def one(rank, size, share=Fraction(3, 10)):
        standing = AcademicStanding(TERM, "2025-2026-2", rank, size, 0)
        return assess(CandidateFacts("03", "undergraduate", 2024, [standing], NOW),
                      EligibilityConfig(top_share=share)).is_eligible

    assert one(3, 10) and not one(4, 10) and one(30, 100) and not one(31, 100) and not one(1, 3)
    assert one(3, 10, share=0.3)  # a float share is read as the decimal it was written as


def test_any_one_of_term_year_or_cumulative_suffices_but_only_the_latest_counts():
    good_year = AcademicStanding(YEAR, "2025-2026", 5, 100, 0)
    bad_term = AcademicStanding(TERM, "2025-2026-2", 50, 100, 0)
    old_good_term = AcademicStanding(TERM, "2025-2026-1", 1, 100, 0)
    f = CandidateFacts("01", "undergraduate", 2023, [bad_term, old_good_term], NOW)
    result = assess(f)
    assert not result.is_eligible and codes_of(result) == {NOT_TOP_SHARE}
    assert result.reasons[0].params["top_percent"] == 30
    result = assess(replace(f, standings=[bad_term, good_year]))
    assert result.is_eligible and result.basis.params["period"] == YEAR


def test_no_record_is_a_reason_not_a_silent_refusal():
    result = assess(CandidateFacts("03", "undergraduate", 2024, [], NOW))
    assert not result.is_eligible and codes_of(result) == {NO_ACADEMIC_RECORD}
    result = assess(CandidateFacts("13", "master", 2024, [], NOW))
    assert codes_of(result) == {POLITICAL_STATUS, NO_ACADEMIC_RECORD}
    # a first-year graduate has no results yet: exempt
    assert assess(CandidateFacts("03", "master", NOW, [], NOW)).exempt == FIRST_YEAR


def test_academic_year_turns_on_the_first_of_september():
    assert academic_year_start(datetime.date(2026, 8, 31)) == 2025
    assert academic_year_start(datetime.date(2026, 9, 1)) == 2026
    assert academic_year_start(datetime.date(2027, 1, 15)) == 2026
