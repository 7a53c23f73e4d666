"""The monthly report of the rights desk (tongxue.domain.case_stats)."""
import dataclasses
import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tongxue.domain.case_stats import SATISFACTION, CaseRecord, RepeatedProblem, StageShare, build_report
from tongxue.domain.workdays import SHANGHAI

relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60)
H = datetime.timedelta(hours=1)
START = datetime.datetime(2026, 3, 2, 9, tzinfo=SHANGHAI)
AS_OF = datetime.datetime(2026, 4, 1, tzinfo=SHANGHAI)


def case(category="dorm", college="CS", at=0, accepted=None, answered=None, closed=None,
         due=(24, 120, 360), **fields):
    """A case submitted `at` hours after START; events and deadlines in hours after submission."""
    submitted = START + at * H
    hours = lambda h: None if h is None else submitted + h * H   # noqa: E731
    return CaseRecord(category=category, college=college, submitted_at=submitted,
                      accepted_at=hours(accepted), answered_at=hours(answered), closed_at=hours(closed),
                      accept_due=hours(due[0]), answer_due=hours(due[1]), close_due=hours(due[2]), **fields)


def test_an_empty_month():
    report = build_report([], as_of=AS_OF)
    assert report.total == 0 and report.by_category == [] and report.by_college == []
    assert report.median_hours_to_accept is report.median_hours_to_close is None
    assert report.accept_within_deadline == StageShare() and report.accept_within_deadline.share is None
    assert report.satisfaction == {"satisfied": 0, "basic": 0, "unsatisfied": 0}
    assert report.rated == 0 and report.satisfaction_rate is None
    assert report.reopened == 0 and report.repeated_problems == [] and report.top_keywords == []


def test_a_month_computed_by_hand():
    as_of = START + 400 * H
    records = [
        # accepted in 2 h, answered in 30 h, closed in 100 h; all met
        case("dorm", "CS", accepted=2, answered=30, closed=100, satisfaction="satisfied",
             supporters=4, text="宿舍热水器坏了，没有热水"),
        # accepted late (30 h ≥ 24 h), never answered: answer and close breached at 400 h
        case("dorm", "Math", accepted=30, satisfaction=None, text="三号宿舍楼热水一直没有"),
        # closed directly at 10 h: accepted and answered then too
        case("canteen", "CS", closed=10, satisfaction="basic", reopened=True, text="食堂饭菜太贵"),
        # submitted at 380 h, nothing yet: 20 h later every stage is still running
        case("dorm", "Law", at=380, text="宿舍没有热水，洗澡困难"),
        # deadlines unknown (calendar gap), accepted in 6 h
        case("teaching", "CS", accepted=6, due=(None, None, None), satisfaction="unsatisfied",
             supporters=1, text="宿舍热水器和空调"),
    ]
    report = build_report(records, as_of=as_of, top_n=3)
    assert report.total == 5
    assert report.by_category == [("dorm", 3), ("canteen", 1), ("teaching", 1)]
    assert report.by_college == [("CS", 3), ("Law", 1), ("Math", 1)]
    assert report.median_hours_to_accept == 8          # of 2, 30, 10, 6
    assert report.median_hours_to_answer == 20         # of 30, 10
    assert report.median_hours_to_close == 55          # of 100, 10
    assert report.accept_within_deadline == StageShare(met=2, late=1, running=1, unknown=1)
    assert report.accept_within_deadline.share == 2 / 3
    assert report.answer_within_deadline == StageShare(met=2, breached=1, running=1, unknown=1)
    assert report.close_within_deadline == StageShare(met=2, breached=1, running=1, unknown=1)
    assert report.close_within_deadline.share == 2 / 3
    assert report.satisfaction == {"satisfied": 1, "basic": 1, "unsatisfied": 1}
    assert report.rated == 3 and report.satisfaction_rate == 2 / 3
    assert report.reopened == 1
    # 热水 is in the three dorm cases (1 + 4, 1 and 1 students); 宿舍 in only two of them
    # (宿舍楼 is another word) and in the teaching case, which is another category
    assert report.repeated_problems == [RepeatedProblem("dorm", "热水", 3, 7)]
    assert report.top_keywords == [("宿舍", 3), ("热水", 3), ("热水器", 2)]


def test_events_after_as_of_are_not_known_yet():
    record = case(accepted=2, answered=30, closed=100)
    report = build_report([record], as_of=record.submitted_at + 50 * H)
    assert report.median_hours_to_answer == 30 and report.median_hours_to_close is None
    assert report.close_within_deadline == StageShare(running=1)
    assert build_report([record], as_of=record.submitted_at + 400 * H).close_within_deadline == StageShare(met=1)


def test_an_event_exactly_at_the_deadline_is_late_and_a_deadline_reached_is_breached():
    record = case(accepted=24, due=(24, 48, 72))
    report = build_report([record], as_of=record.submitted_at + 48 * H)
    assert report.accept_within_deadline == StageShare(late=1)
    assert report.answer_within_deadline == StageShare(breached=1)
    assert report.close_within_deadline == StageShare(running=1)


def test_repeated_problems_ignore_the_category_name_and_keep_the_ten_heaviest():
    texts = ["宿舍空调坏了", "宿舍空调漏水", "宿舍空调太吵"]
    report = build_report([case("宿舍", text=t) for t in texts], as_of=AS_OF)
    assert report.repeated_problems == [RepeatedProblem("宿舍", "空调", 3, 3)]
    words = ["空调", "热水", "食堂", "快递", "门禁", "校园卡", "选课", "补考", "洗衣机", "图书馆", "自习室"]
    many = [case(text=w, supporters=i) for i, w in enumerate(words) for _ in range(3)]
    problems = build_report(many, as_of=AS_OF).repeated_problems
    assert [p.keyword for p in problems] == words[:0:-1]     # the heaviest ten; 空调 has no supporter
    assert problems[0] == RepeatedProblem("dorm", "自习室", 3, 3 + 3 * 10)


def test_bad_records_are_refused():
    with pytest.raises(ValueError):
        case(satisfaction="happy")
    with pytest.raises(ValueError):
        case(supporters=-1)
    with pytest.raises(ValueError):
        case(accepted=-1)
    with pytest.raises(ValueError):
        CaseRecord("dorm", "CS", submitted_at=datetime.datetime(2026, 3, 2))
    with pytest.raises(ValueError):
        build_report([], as_of=datetime.datetime(2026, 3, 2))


hours = st.one_of(st.none(), st.integers(min_value=0, max_value=500))
records = st.builds(
    case,
    category=st.sampled_from(["dorm", "canteen", "teaching"]),
    college=st.sampled_from(["CS", "Math", "Law"]),
    at=st.integers(min_value=0, max_value=700),
    accepted=hours, answered=hours, closed=hours,
    due=st.one_of(st.just((None, None, None)), st.tuples(*[st.integers(0, 400)] * 3)),
    satisfaction=st.one_of(st.none(), st.sampled_from(SATISFACTION)),
    supporters=st.integers(min_value=0, max_value=5),
    text=st.sampled_from(["宿舍没有热水", "宿舍热水器坏了", "食堂饭菜太贵", "空调坏了", "快递站太远", ""]),
    reopened=st.booleans(),
)


@relaxed
@given(st.lists(records, max_size=12), st.integers(min_value=0, max_value=800), st.randoms())
def test_report_properties(records, as_of_hours, random):
    as_of = START + as_of_hours * H
    report = build_report(records, as_of=as_of)
    assert report.total == len(records)
    assert sum(n for _, n in report.by_category) == sum(n for _, n in report.by_college) == report.total
    assert report.rated + sum(r.satisfaction is None for r in records) == report.total
    assert report.satisfaction_rate is None or 0 <= report.satisfaction_rate <= 1
    assert 0 <= report.reopened <= report.total
    for stage, share in report.within_deadline.items():
        assert share.total == report.total
        assert share.share is None or 0 <= share.share <= 1
    done = {"accept": [], "answer": [], "close": []}
    for r in records:
        events = (r.accepted_at, r.answered_at, r.closed_at)
        known = [None if t is None or t > as_of else (t - r.submitted_at) / H for t in events]
        for i, stage in enumerate(done):
            later = [t for t in known[i:] if t is not None]
            if later:
                done[stage].append(min(later))
    medians = {"accept": report.median_hours_to_accept, "answer": report.median_hours_to_answer,
               "close": report.median_hours_to_close}
    for stage, values in done.items():
        if values:
            assert min(values) <= medians[stage] <= max(values)
        else:
            assert medians[stage] is None
    for p in report.repeated_problems:
        assert 3 <= p.cases <= p.students
    shuffled = list(records)
    random.shuffle(shuffled)
    assert build_report(shuffled, as_of=as_of) == report


@given(records)
def test_a_record_is_frozen(record):
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.supporters = 3
