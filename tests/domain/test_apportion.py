"""Congress seats (tongxue.domain.apportion): totals, quotas, minimums, composition, CSV."""
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tongxue.domain.apportion import (
    Allocation, ApportionmentError, Method, Unit, apportion, composition, read_units_csv, seats_for_share,
)

sizes = st.lists(st.integers(min_value=0, max_value=5000), min_size=1, max_size=25)


def units_of(values, minimums=None):
    minimums = minimums or [0] * len(values)
    return [Unit(f"u{i:02d}", size, minimum) for i, (size, minimum) in enumerate(zip(values, minimums))]


def seats_of(allocations):
    return {a.key: a.seats for a in allocations}


# --- hand-worked examples ---------------------------------------------------------------------------

def test_largest_remainder_by_hand():
    # total 1000, 10 seats: quotas 4.2, 3.3, 2.5 → floors 4, 3, 2 (9); the one left goes to 0.5
    result = apportion([Unit("法学院", 420), Unit("经济学院", 330), Unit("外国语学院", 250)], 10)
    assert result == [
        Allocation("法学院", 420, Fraction(42, 10), 4),
        Allocation("经济学院", 330, Fraction(33, 10), 3),
        Allocation("外国语学院", 250, Fraction(25, 10), 3),
    ]


def test_minimum_removes_the_unit_and_recomputes_the_others():
    # quotas of 10 seats over 1000: 9.5 and 0.5; B needs 2 → A gets the 8 left
    result = apportion([Unit("A", 950), Unit("B", 50, minimum=2)], 10)
    assert seats_of(result) == {"A": 8, "B": 2}
    assert result[1].quota == Fraction(1, 2)   # the plain quota, before the minimum


def test_minimums_iterate():
    # 10 seats over 1000: C (10) is fixed at 1, leaving 9 over 990: B's quota 0.73 < 1 → fixed too
    result = apportion([Unit("A", 900), Unit("B", 80, 1), Unit("C", 20, 1)], 10)
    assert seats_of(result) == {"A": 8, "B": 1, "C": 1}


def test_sainte_lague_by_hand():
    # the textbook example: 53 000, 24 000, 23 000 votes for 7 seats → 3, 2, 2
    # (largest remainder gives 4, 2, 1)
    units = [Unit("A", 53000), Unit("B", 24000), Unit("C", 23000)]
    assert seats_of(apportion(units, 7, Method.SAINTE_LAGUE)) == {"A": 3, "B": 2, "C": 2}
    assert seats_of(apportion(units, 7)) == {"A": 4, "B": 2, "C": 1}


def test_sainte_lague_minimum():
    units = [Unit("A", 53000), Unit("B", 24000), Unit("C", 23000), Unit("D", 100, minimum=1)]
    assert seats_of(apportion(units, 7, "sainte_lague")) == {"A": 3, "B": 2, "C": 1, "D": 1}


def test_ties_go_to_the_larger_unit_then_the_key():
    assert seats_of(apportion([Unit("b", 1), Unit("a", 1)], 1)) == {"a": 1, "b": 0}
    assert seats_of(apportion([Unit("b", 1), Unit("a", 1)], 1, Method.SAINTE_LAGUE)) == {"a": 1, "b": 0}
    # 3 seats over 2 + 2 + 2: no remainder; 2 seats over 3, 3, 2: equal remainders 0 → larger first
    assert seats_of(apportion([Unit("x", 2), Unit("y", 3), Unit("z", 3)], 2)) == {"x": 0, "y": 1, "z": 1}


def test_seats_for_share():
    assert seats_for_share(30000) == 300
    assert seats_for_share(30001) == 301
    assert seats_for_share(12) == 1
    assert seats_for_share(0) == 0
    assert seats_for_share(1000, Fraction(3, 200)) == 15
    with pytest.raises(ApportionmentError):
        seats_for_share(-1)
    with pytest.raises(ApportionmentError):
        seats_for_share(10, Fraction(3, 2))


@pytest.mark.parametrize("units, seats, message", [
    ([Unit("a", 1)], -1, "negative"),
    ([Unit("a", -1)], 1, "negative size"),
    ([Unit("a", 1, -1)], 1, "negative minimum"),
    ([Unit("a", 1), Unit("a", 2)], 1, "twice"),
    ([Unit("a", 1, 2), Unit("b", 1, 2)], 3, "minimums add up to 4"),
    ([Unit("a", 0), Unit("b", 0)], 3, "no students"),
    ([], 1, "no students"),
])
def test_refusals(units, seats, message):
    with pytest.raises(ApportionmentError, match=message):
        apportion(units, seats)


def test_zero_seats_and_empty_units():
    assert seats_of(apportion([Unit("a", 0), Unit("b", 5)], 0)) == {"a": 0, "b": 0}
    assert apportion([], 0) == []
    # no students, but the minimums cover every seat
    assert seats_of(apportion([Unit("a", 0, 1), Unit("b", 0, 1)], 2)) == {"a": 1, "b": 1}


# --- properties -------------------------------------------------------------------------------------

@given(sizes, st.integers(min_value=0, max_value=500), st.sampled_from(list(Method)))
def test_totals_exact_and_order_kept(values, seats, method):
    assume(sum(values) > 0 or seats == 0)
    result = apportion(units_of(values), seats, method)
    assert sum(a.seats for a in result) == seats
    assert [a.key for a in result] == [f"u{i:02d}" for i in range(len(values))]
    assert sum(a.quota for a in result) == (seats if sum(values) else 0)


@given(sizes, st.integers(min_value=0, max_value=500))
def test_largest_remainder_stays_within_one_seat_of_the_quota(values, seats):
    assume(sum(values) > 0)
    for a in apportion(units_of(values), seats):
        assert a.quota - 1 < a.seats < a.quota + 1


@given(st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 3)), min_size=1, max_size=20),
       st.integers(0, 300), st.sampled_from(list(Method)))
def test_minimums_respected(pairs, seats, method):
    values, minimums = [p[0] for p in pairs], [p[1] for p in pairs]
    assume(sum(minimums) <= seats and (sum(values) > 0 or sum(minimums) == seats))
    result = apportion(units_of(values, minimums), seats, method)
    assert sum(a.seats for a in result) == seats
    for a, minimum in zip(result, minimums):
        assert a.seats >= minimum


@given(st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 3)), min_size=1, max_size=20), st.integers(0, 300))
def test_minimums_only_take_seats_from_units_above_them(pairs, seats):
    """With minimums, a unit that is not lifted to its minimum never gets more than its
    ceiling: the seats of the lifted units come out of the others."""
    values, minimums = [p[0] for p in pairs], [p[1] for p in pairs]
    assume(sum(minimums) <= seats and sum(values) > 0)
    for a, minimum in zip(apportion(units_of(values, minimums), seats), minimums):
        if a.seats > minimum:
            assert a.seats < a.quota + 1


@given(sizes, st.integers(min_value=0, max_value=200), st.sampled_from(list(Method)))
def test_house_monotone_sanity(values, seats, method):
    """One more seat never costs a unit more than one seat (Hamilton can lose one: the Alabama
    paradox); under Sainte-Laguë exactly one unit gains one and nobody loses."""
    assume(sum(values) > 0)
    before = seats_of(apportion(units_of(values), seats, method))
    after = seats_of(apportion(units_of(values), seats + 1, method))
    for key in before:
        assert after[key] >= before[key] - (1 if method == Method.LARGEST_REMAINDER else 0)
    if method == Method.SAINTE_LAGUE:
        assert sorted(after[k] - before[k] for k in before)[-2:] in ([0, 1], [1])


@given(sizes, st.integers(0, 200), st.sampled_from(list(Method)), st.randoms())
def test_input_order_does_not_change_the_seats(values, seats, method, rnd):
    assume(sum(values) > 0)
    units = units_of(values)
    shuffled = units[:]
    rnd.shuffle(shuffled)
    assert seats_of(apportion(units, seats, method)) == seats_of(apportion(shuffled, seats, method))


@given(sizes, st.integers(0, 200), st.sampled_from(list(Method)))
def test_larger_units_never_get_fewer_seats(values, seats, method):
    assume(sum(values) > 0)
    result = apportion(units_of(values), seats, method)
    for a in result:
        for b in result:
            if a.size < b.size:
                assert a.seats <= b.seats


# --- composition -------------------------------------------------------------------------------------

def test_composition_report():
    delegates = (
        [{"gender": "女", "ethnicity": "汉族", "is_cadre": False}] * 5
        + [{"gender": "男", "ethnicity": "汉族", "is_cadre": True}] * 3
        + [{"gender": "男", "ethnicity": "维吾尔族", "is_cadre": "否"}] * 2
    )
    body = {"gender": {"男": 5200, "女": 4800}, "ethnicity": {"汉族": 9000, "维吾尔族": 600, "回族": 400}}
    report = composition(delegates, body)
    assert report.delegates == 10 and report.non_cadre == 7
    assert report.non_cadre_share == Fraction(7, 10) and report.meets_non_cadre
    gender = {row.value: row for row in report.attributes["gender"]}
    assert gender["女"].delegate_share == Fraction(1, 2) and gender["女"].body_share == Fraction(12, 25)
    assert gender["女"].difference == Fraction(1, 50)
    ethnicity = [(row.value, row.delegates, row.body) for row in report.attributes["ethnicity"]]
    assert ethnicity == [("汉族", 8, 9000), ("维吾尔族", 2, 600), ("回族", 0, 400)]


def test_composition_non_cadre_share_is_exact():
    delegates = [{"is_cadre": True}] * 2 + [{"is_cadre": False}] * 3
    assert composition(delegates, {}).meets_non_cadre          # 3/5 is enough
    delegates = [{"is_cadre": "1"}] * 3 + [{"is_cadre": "0"}] * 4
    assert not composition(delegates, {}).meets_non_cadre      # 4/7 is not
    assert not composition([], {}).meets_non_cadre


def test_composition_values_only_delegates_have():
    report = composition([{"gender": "女"}, {}], {"gender": {"女": 10}})
    assert [(r.value, r.delegates, r.body) for r in report.attributes["gender"]] == [("女", 1, 10), ("", 1, 0)]


# --- CSV ----------------------------------------------------------------------------------------------

def test_csv_english_and_chinese_headers():
    assert read_units_csv("unit,size\nLaw,120\nEconomics,300\n") == [Unit("Law", 120), Unit("Economics", 300)]
    text = "\ufeff单位,人数,最少名额\r\n法学院,\"1,234\",2\r\n\r\n经济学院,300,\r\n"
    assert read_units_csv(text) == [Unit("法学院", 1234, 2), Unit("经济学院", 300, 0)]
    assert read_units_csv("单位\t人数\n法学院\t12\n") == [Unit("法学院", 12)]


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("name;count\nA;1\n", "header"),
    ("unit,size\nA,x\n", "Row 2: the size must be a whole number"),
    ("unit,size\nA,1\nB,-3\n", "Row 3: the size cannot be negative"),
    ("unit,size,minimum\nA,1,1.5\n", "Row 2: the minimum"),
    ("unit,size\nA,1\n,2\n", "Row 3: the unit name is empty"),
    ("unit,size\nA,1\nB,2\nA,3\n", "Row 4: unit 'A' already appears in row 2"),
])
def test_csv_errors_name_the_row(text, message):
    with pytest.raises(ApportionmentError, match=message):
        read_units_csv(text)
