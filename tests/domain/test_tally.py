"""Counting congress votes (tongxue.domain.tally): elections, quorum, resolutions, the published file."""
import json
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongxue.domain.tally import (
    FORMAT, WRITE_IN_PREFIX, Ballot, BallotList, Candidate, CompactMarks, ElectionSpec, MajorityBase, Mark,
    TallyError, ballot_for_votes, count, dump_published, entry_mismatches, format_result, has_quorum,
    is_competitive, is_valid_ballot, minimum_candidates,
    load_published, load_published_document, parse_share, resolution_passes,
)

F, A, X = Mark.FOR, Mark.AGAINST, Mark.ABSTAIN
CANDIDATES = (Candidate("wang", "王小明"), Candidate("li", "李娜"), Candidate("zhang", "张伟"),
              Candidate("ayi", "阿依古丽·买买提"))


def spec(seats=2, issued=10, present=10, due=12, base=MajorityBase.PRESENT, candidates=CANDIDATES):
    return ElectionSpec("主席团选举", seats, candidates, issued, present, due, base)


def ballot(code="", write_ins=(), receipt=""):
    """A ballot from a mark string over CANDIDATES' order: F, A or - (missing = abstain)."""
    marks = {c.key: {"F": F, "A": A, "-": X}[m] for c, m in zip(CANDIDATES, code) if m != "-"}
    return Ballot(marks, tuple(write_ins), receipt)


# --- a three-seat election counted by hand ---------------------------------------------------------

def test_three_seat_election_by_hand():
    """9 delegates present, 9 ballots issued and returned, 3 seats, 5 candidates.

    Ballot 9 marks four "for": void. Valid 8. Threshold: more than half of 9 present → 5.
    For: A 7, B 6, C 5, D 3, E 2 → A, B, C elected (C exactly at the threshold)."""
    candidates = tuple(Candidate(k, n) for k, n in zip("ABCDE", ["甲", "乙", "丙", "丁", "戊"]))
    s = ElectionSpec("三人选举", 3, candidates, issued=9, present=9, due=9)
    codes = ["FFF--", "FFF--", "FFAF-", "FF-F-", "FFF--", "FAFF-", "F-F-F", "-F--F", "FFFF-"]
    ballots = [Ballot(CompactMarks(s.keys, c)) for c in codes]
    r = count(s, ballots)
    assert (r.returned, r.valid, r.void_ballots, r.threshold, r.is_void) == (9, 8, 1, 5, False)
    assert [(row.key, row.for_, row.against, row.abstain) for row in r.rows] == [
        ("A", 7, 0, 1), ("B", 6, 1, 1), ("C", 5, 1, 2), ("D", 3, 0, 5), ("E", 2, 0, 6)]
    assert r.elected == ("A", "B", "C") and r.runoff == () and r.unfilled == 0
    assert "当选（按得票多少为序）：甲、乙、丙" in format_result(s, r)
    assert "Elected (by votes): 甲, 乙, 丙" in format_result(s, r, lang="en")


def test_below_the_threshold_nobody_is_elected_and_seats_stay_unfilled():
    r = count(spec(seats=2, present=10), [ballot("FF--")] * 5 + [ballot("F---")] + [ballot("-F--")] * 4)
    # wang 6 (> 5) elected; li 9 elected; zhang 0
    assert r.threshold == 6
    assert r.elected == ("li", "wang") and r.unfilled == 0
    r = count(spec(seats=2, present=10), [ballot("FF--")] * 5 + [ballot("--F-")] * 5)
    assert r.elected == () and r.unfilled == 2           # 5 of 10 is not more than half
    assert "无人当选" in format_result(spec(), r)


# --- the rules one by one ------------------------------------------------------------------------------

def test_void_ballot_counts_for_votes_including_write_ins():
    s = spec(seats=2)
    assert is_valid_ballot(s, ballot("FF--"))
    assert not is_valid_ballot(s, ballot("FFF-"))
    assert not is_valid_ballot(s, ballot("FF--", ["赵六"]))
    assert is_valid_ballot(s, ballot("F---", ["赵六", "赵 六"]))       # the same person twice
    assert ballot_for_votes(s, ballot("FF--", ["王小明"])) == 2       # a listed name: same "for"
    r = count(s, [ballot("FF--", ["赵六"]), ballot("FFF-"), ballot("FAAA")])
    assert (r.returned, r.void_ballots, r.valid) == (3, 2, 1)
    assert r.row("wang").for_ == 1 and r.row("li").against == 1    # only the valid ballot counts


def test_more_returned_than_issued_voids_the_election():
    s = spec(seats=1, issued=3, present=3)
    r = count(s, [ballot("F---")] * 4)
    assert r.is_void and r.elected == () and r.runoff == () and r.unfilled == 1
    assert r.row("wang").for_ == 4                               # still shown
    assert "本次选举无效" in format_result(s, r)
    assert not count(s, [ballot("F---")] * 3).is_void              # equal is valid
    assert count(s, [ballot("F---")] * 2).elected == ("wang",)     # fewer is valid


@pytest.mark.parametrize("base, present, due, expected", [
    (MajorityBase.PRESENT, 11, 15, 6),     # > 5.5
    (MajorityBase.PRESENT, 10, 15, 6),     # > 5
    (MajorityBase.VALID, 11, 15, 4),       # 7 valid ballots → > 3.5
    (MajorityBase.DUE, 11, 15, 8),         # > 7.5
    (MajorityBase.DUE, 11, 16, 9),         # > 8
])
def test_threshold_for_each_majority_base(base, present, due, expected):
    ballots = [ballot("F---")] * 7 + [ballot("FFFF")]     # 7 valid, 1 void
    r = count(spec(seats=1, issued=11, present=present, due=due, base=base), ballots)
    assert r.threshold == expected
    assert r.elected == (("wang",) if 7 >= expected else ())


def test_tie_at_the_last_seat_goes_to_a_runoff():
    s = spec(seats=2, issued=10, present=10)
    ballots = [ballot("FF--")] * 4 + [ballot("F-F-")] * 3 + [ballot("F--F")] * 3   # wang 10, li/zhang/ayi 4, 3, 3
    assert count(s, ballots).elected == ("wang",)    # li 4 < 6: one seat unfilled
    ballots = [ballot("FF--")] * 3 + [ballot("F-F-")] * 3 + [ballot("-FF-")] * 3 + [ballot("F---")]
    r = count(s, ballots)                      # wang 7, li 6, zhang 6: both ≥ 6, one seat left
    assert r.elected == ("wang",) and r.runoff == ("li", "zhang") and r.unfilled == 1
    assert "末位同票" in format_result(s, r)


def test_tie_straddling_two_seats():
    s = spec(seats=3, issued=12, present=12, candidates=CANDIDATES)
    ballots = [ballot("FFF-")] * 3 + [ballot("F-FF")] * 4 + [ballot("-FFF")] * 4 + [ballot("FF-F")]
    r = count(s, ballots)   # wang 8, li 8, zhang 11, ayi 9: 4 reach 7 for 3 seats; last is 8/8
    assert r.elected == ("zhang", "ayi") and r.runoff == ("wang", "li") and r.unfilled == 1


def test_tie_inside_the_seats_needs_no_runoff():
    s = spec(seats=2, issued=10, present=10)
    r = count(s, [ballot("FF--")] * 7 + [ballot("--F-")] * 3)
    assert r.elected == ("wang", "li") and r.runoff == ()


def test_write_ins():
    s = spec(seats=1, issued=10, present=10)
    ballots = [ballot("", ["赵六"])] * 4 + [ballot("", ["赵 六"])] * 2 + [ballot("A---")] * 4
    r = count(s, ballots)
    key = WRITE_IN_PREFIX + "赵六"
    assert r.row(key).for_ == 6 and r.row(key).is_write_in and r.elected == (key,)
    assert "赵六（另选他人）" in format_result(s, r)


def test_write_in_of_a_listed_name_is_a_for_that_candidate():
    s = spec(seats=1, issued=3, present=3)
    ballots = [ballot("A---", ["王小明"]), ballot("", ["阿依古丽•买买提"]), ballot("---F", [" 阿依古丽 · 买买提 "])]
    r = count(s, ballots)
    assert r.row("wang").for_ == 1 and r.row("wang").against == 0
    assert r.row("ayi").for_ == 2 and r.elected == ("ayi",)
    assert not any(row.is_write_in for row in r.rows)


def test_unknown_candidates_and_marks_are_refused():
    with pytest.raises(TallyError, match="not a candidate"):
        count(spec(), [Ballot({"nobody": F})])
    with pytest.raises(TallyError, match="for, against or abstain"):
        count(spec(), [Ballot({"wang": "yes"})])


def test_spec_checks():
    with pytest.raises(TallyError, match="appears twice"):
        spec(candidates=(Candidate("a", "甲"), Candidate("a", "乙")))
    with pytest.raises(TallyError, match="named"):
        spec(candidates=(Candidate("a", "张伟"), Candidate("b", "张 伟")))
    with pytest.raises(TallyError, match="at least one seat"):
        spec(seats=0)
    with pytest.raises(TallyError, match="majority base"):
        spec(base="most")
    assert spec(base="valid").majority_base is MajorityBase.VALID


def test_rows_order_for_votes_then_ballot_order_then_write_ins():
    r = count(spec(seats=4), [ballot("-FF-", ["乙"]), ballot("---F", ["甲"])])
    # write-ins with equal votes: by name in code-point order (乙 U+4E59 before 甲 U+7532)
    assert [row.name for row in r.rows] == ["李娜", "张伟", "阿依古丽·买买提", "乙", "甲", "王小明"]


# --- properties ---------------------------------------------------------------------------------------

marks = st.text(alphabet="FA-", min_size=4, max_size=4)
write_ins = st.lists(st.sampled_from(["赵六", "钱七", "王小明", "赵 六", ""]), max_size=2)
ballot_lists = st.lists(st.tuples(marks, write_ins), max_size=40).map(
    lambda items: [ballot(code, names, receipt=f"R{i:03d}") for i, (code, names) in enumerate(items)])
specs = st.builds(spec, seats=st.integers(1, 4), issued=st.integers(0, 45), present=st.integers(0, 45),
                  due=st.integers(0, 50), base=st.sampled_from(list(MajorityBase)))


@given(specs, ballot_lists, st.randoms())
def test_ballot_order_is_irrelevant(s, ballots, rnd):
    shuffled = ballots[:]
    rnd.shuffle(shuffled)
    assert count(s, shuffled) == count(s, ballots)


@given(specs, ballot_lists)
def test_published_file_recounts_to_the_same_result(s, ballots):
    result = count(s, ballots)
    text = dump_published(s, ballots, result)
    loaded_spec, loaded = load_published(text)
    assert loaded_spec == s
    assert count(loaded_spec, loaded) == result
    assert count(loaded_spec, list(loaded)) == result                 # the slow path agrees
    assert load_published_document(text).result == json.loads(json.dumps(result.to_dict()))
    assert dump_published(loaded_spec, loaded, result) == text       # the file is canonical


@given(specs, ballot_lists)
def test_counts_add_up(s, ballots):
    r = count(s, ballots)
    assert r.valid + r.void_ballots == r.returned == len(ballots)
    assert r.valid == sum(1 for b in ballots if is_valid_ballot(s, b))
    for row in r.rows:
        if not row.is_write_in:
            assert row.for_ + row.against + row.abstain == r.valid
    assert len(r.elected) + r.unfilled == s.seats
    assert not set(r.elected) & set(r.runoff)
    for key in r.elected + r.runoff:
        assert r.row(key).for_ >= r.threshold
    if r.elected and r.runoff:
        assert min(r.row(k).for_ for k in r.elected) > r.row(r.runoff[0]).for_
    if r.runoff:
        assert len(r.elected) + len(r.runoff) > s.seats
    assert 2 * r.threshold > r.base >= 2 * (r.threshold - 1)


# --- quorum, resolutions, shares ---------------------------------------------------------------------

def test_quorum():
    assert has_quorum(200, 300) and not has_quorum(199, 300)
    assert has_quorum(67, 100) and not has_quorum(66, 100)
    assert not has_quorum(0, 0)
    assert has_quorum(3, 5, Fraction(3, 5)) and not has_quorum(2, 5, Fraction(3, 5))


def test_resolutions():
    assert resolution_passes(51, 100) and not resolution_passes(50, 100)
    assert resolution_passes(6, 11) and not resolution_passes(5, 11)
    # charter amendment: at least two thirds of those present
    assert resolution_passes(66, 99, Fraction(2, 3), strict=False)
    assert not resolution_passes(65, 99, Fraction(2, 3), strict=False)
    assert resolution_passes(67, 100, Fraction(2, 3), strict=False)
    assert not resolution_passes(66, 100, Fraction(2, 3), strict=False)
    assert not resolution_passes(0, 0)


@given(st.integers(0, 1000), st.integers(1, 1000))
def test_ordinary_majority_is_more_than_half(for_, present):
    assert resolution_passes(for_, present) == (2 * for_ > present)
    assert has_quorum(for_, present) == (3 * for_ >= 2 * present)


@pytest.mark.parametrize("text, value", [
    ("2/3", Fraction(2, 3)), ("0.6", Fraction(3, 5)), ("60%", Fraction(3, 5)), ("1%", Fraction(1, 100)),
    (" 2 / 3 ", Fraction(2, 3)), ("６０％", Fraction(3, 5)), ("三分之二", Fraction(2, 3)), ("1", Fraction(1)),
    ("0", Fraction(0)), (Fraction(1, 2), Fraction(1, 2)), ("12.5%", Fraction(1, 8)),
])
def test_parse_share(text, value):
    assert parse_share(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1/0", "150%", "-0.1", "3/2"])
def test_parse_share_refuses(text):
    with pytest.raises(TallyError):
        parse_share(text)


# --- the published file -------------------------------------------------------------------------------

def published(**election):
    data = {"format": FORMAT, "election": {"title": "t", "seats": 1, "issued": 3, "present": 3, "due": 3,
                                           "candidates": [{"key": "a", "name": "甲"}, {"key": "b", "name": "乙"}]},
            "ballots": [{"receipt": "R1", "marks": "F-"}]}
    data["election"].update(election)
    return data


def test_file_layout_is_readable_and_compact():
    s = spec(seats=1, issued=3, present=3)
    ballots = [ballot("F---", receipt="Z9"), ballot("-A--", ["赵六"], receipt="A1"), ballot("", receipt="M5")]
    text = dump_published(s, ballots, count(s, ballots))
    assert '"name": "阿依古丽·买买提"' in text                           # not \u escapes
    lines = text.splitlines()
    assert lines[-5:] == [
        '    {"receipt": "A1", "marks": "-A--", "write_ins": ["赵六"]},',
        '    {"receipt": "M5", "marks": "----"},',
        '    {"receipt": "Z9", "marks": "F---"}',
        "  ]",
        "}",
    ]
    data = json.loads(text)
    assert list(data) == ["format", "election", "marks", "result", "ballots"]
    assert list(data["election"]) == ["title", "seats", "candidates", "issued", "present", "due", "majority_base"]


def test_load_accepts_the_long_form_of_marks():
    data = published()
    data["ballots"] = [{"marks": {"a": "for", "b": "against"}}, {"marks": {}, "write_ins": ["丙"]}]
    s, ballots = load_published(json.dumps(data, ensure_ascii=False))
    assert [dict(b.marks) for b in ballots] == [{"a": F, "b": A}, {"a": X, "b": X}]
    assert ballots[1].write_ins == ("丙",) and ballots[-1].receipt == ""
    assert isinstance(ballots, BallotList) and len(ballots) == 2 and ballots[0:1] == [ballots[0]]


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(format="other/1"), "Unknown format"),
    (lambda d: d.pop("election"), "no \"election\""),
    (lambda d: d["election"].pop("seats"), "election.seats is missing"),
    (lambda d: d["election"].update(seats="3"), "seats must be a whole number"),
    (lambda d: d["election"].update(issued=-1), "issued must be"),
    (lambda d: d["election"].update(candidates=[{"key": "a"}]), "Candidate 1"),
    (lambda d: d["election"].update(majority_base="most"), "majority base"),
    (lambda d: d.update(ballots={}), "must be a list"),
    (lambda d: d["ballots"].append({"receipt": "R2", "marks": "FX"}), "Ballot 2: marks 'FX'"),
    (lambda d: d["ballots"].append({"receipt": "R2", "marks": "F"}), "Ballot 2: marks"),
    (lambda d: d["ballots"].append({"receipt": "R1", "marks": "F-"}), "Ballot 2: receipt 'R1' appears twice"),
    (lambda d: d["ballots"].append({"marks": "F-", "voter": "x"}), "Ballot 2: must be an object"),
    (lambda d: d["ballots"].append({"marks": {"c": "for"}}), "Ballot 2: .*not a candidate"),
    (lambda d: d["ballots"].append({"marks": "F-", "write_ins": "丙"}), "Ballot 2: write_ins"),
    (lambda d: d["ballots"].append({"marks": "F-", "receipt": 5}), "Ballot 2: the receipt"),
    (lambda d: d["ballots"].append(["F-"]), "Ballot 2"),
])
def test_load_refuses_with_clear_messages(change, message):
    data = published()
    change(data)
    with pytest.raises(TallyError, match=message):
        load_published(json.dumps(data))


def test_load_refuses_what_is_not_json():
    with pytest.raises(TallyError, match="Not a JSON document"):
        load_published("{")
    with pytest.raises(TallyError, match="one JSON object"):
        load_published("[]")


def test_byte_order_mark_and_empty_ballot_list():
    s = spec()
    text = dump_published(s, [])
    assert '"ballots": []' in text
    loaded_spec, ballots = load_published("\ufeff" + text)
    assert len(ballots) == 0 and count(loaded_spec, ballots).returned == 0


def test_compact_marks_mapping():
    m = CompactMarks(("a", "b", "c"), "FA-")
    assert dict(m) == {"a": F, "b": A, "c": X} and m["b"] is A and len(m) == 3
    with pytest.raises(KeyError):
        m["z"]
    with pytest.raises(TallyError):
        CompactMarks(("a",), "FF")


# --- competitive elections and double entry ------------------------------------------------------

@pytest.mark.parametrize("seats, surplus, expected", [
    (5, Fraction(1, 5), 6), (1, Fraction(1, 5), 2), (7, Fraction(1, 5), 9), (10, Fraction(1, 5), 12),
    (3, Fraction(0), 4), (20, Fraction(1, 10), 22),
])
def test_minimum_candidates(seats, surplus, expected):
    assert minimum_candidates(seats, surplus) == expected
    assert is_competitive(seats, expected) and not is_competitive(seats, seats)


def test_double_entry_mismatches():
    s = spec()
    first = [ballot("F-A-"), ballot("-F--", ["赵六"]), ballot("FF--")]
    second = [ballot("F-A-"), ballot("-F--", ["赵 六"]), ballot("F---"), ballot("----")]
    mismatches = entry_mismatches(s, first, second)
    assert [(m.number, m.first is None, m.second is None) for m in mismatches] == [(3, False, False),
                                                                                  (4, True, False)]
    assert entry_mismatches(s, first, list(first)) == []
    # a mark left out equals an explicit abstain
    assert entry_mismatches(s, [Ballot({"wang": X})], [Ballot({})]) == []
