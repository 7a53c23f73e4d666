"""The case clock of the rights desk (tongxue.domain.sla): deadlines, status, escalations."""
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongxue.domain.official_calendar import official_calendar
from tongxue.domain.sla import CaseEvents, Deadlines, Pause, Stage, Status, case_clock, escalations_due
from tongxue.domain.workdays import SHANGHAI, CalendarGap, WorkCalendar

D = datetime.date
H = datetime.timedelta(hours=1)
OFFICIAL = official_calendar({2025, 2026})


def at(day, hour=0, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def test_defaults_around_the_2026_national_day():
    events = CaseEvents(submitted_at=at(D(2026, 9, 30), 16))
    clock = case_clock(events, OFFICIAL, now=at(D(2026, 10, 8), 12))
    # working days after 30 September: 8, 9, 10 (make-up Saturday), 12, 13 October …
    assert clock[Stage.ACCEPT].due == at(D(2026, 10, 9))
    assert clock[Stage.FIRST_ANSWER].due == at(D(2026, 10, 14))
    assert clock[Stage.CLOSE].due == at(D(2026, 10, 28))
    assert [s.status for s in clock.stages] == [Status.RUNNING] * 3
    assert clock.escalations_due == ()


def test_an_unaccepted_case_escalates_once_when_its_deadline_passes():
    events = CaseEvents(submitted_at=at(D(2026, 10, 9), 16))   # Friday before the make-up Saturday
    assert escalations_due(events, OFFICIAL, now=at(D(2026, 10, 10), 23, 59)) == ()
    assert escalations_due(events, OFFICIAL, now=at(D(2026, 10, 11))) == (Stage.ACCEPT,)
    done = CaseEvents(submitted_at=events.submitted_at, escalated={Stage.ACCEPT})
    assert escalations_due(done, OFFICIAL, now=at(D(2026, 10, 11))) == ()


def test_met_late_and_implied_stages():
    events = CaseEvents(submitted_at=at(D(2026, 3, 6), 16), accepted_at=at(D(2026, 3, 10), 9),
                        closed_at=at(D(2026, 3, 12), 9))
    clock = case_clock(events, OFFICIAL, now=at(D(2026, 4, 1)))
    assert clock[Stage.ACCEPT].status is Status.LATE          # due Monday 24:00
    assert clock[Stage.FIRST_ANSWER].status is Status.MET     # closing answers the case
    assert clock[Stage.FIRST_ANSWER].done_at == at(D(2026, 3, 12), 9)
    assert clock[Stage.CLOSE].status is Status.MET
    assert clock.escalations_due == ()


def test_a_pause_on_working_time_moves_the_deadlines_and_a_weekend_pause_does_not():
    submitted = at(D(2026, 3, 6), 16)   # Friday; accept due Tuesday 00:00
    weekend = CaseEvents(submitted, pauses=[Pause(at(D(2026, 3, 7), 9), at(D(2026, 3, 8), 20))])
    assert case_clock(weekend, OFFICIAL, now=submitted)[Stage.ACCEPT].due == at(D(2026, 3, 10))
    monday = CaseEvents(submitted, pauses=[Pause(at(D(2026, 3, 9), 10), at(D(2026, 3, 9), 13))])
    clock = case_clock(monday, OFFICIAL, now=submitted)
    assert clock[Stage.ACCEPT].due == at(D(2026, 3, 10), 3)
    # unpaused due at the end of Friday 27 March; the 3 hours carry over to the next working day
    assert clock[Stage.CLOSE].due == at(D(2026, 3, 30), 3)


def test_an_open_pause_holds_the_clock_but_not_a_deadline_already_passed():
    submitted = at(D(2026, 3, 6), 16)
    events = CaseEvents(submitted, pauses=[Pause(at(D(2026, 3, 9), 10))])
    clock = case_clock(events, OFFICIAL, now=at(D(2026, 3, 20), 10))
    assert clock[Stage.ACCEPT].status is Status.PAUSED
    assert clock[Stage.ACCEPT].due > at(D(2026, 3, 20), 10)
    late = CaseEvents(submitted, pauses=[Pause(at(D(2026, 3, 11), 10))])
    clock = case_clock(late, OFFICIAL, now=at(D(2026, 3, 20), 10))
    assert clock[Stage.ACCEPT].status is Status.BREACHED
    assert clock[Stage.FIRST_ANSWER].status is Status.PAUSED
    assert clock.escalations_due == (Stage.ACCEPT,)


def test_configurable_deadlines_and_bad_input():
    events = CaseEvents(submitted_at=at(D(2026, 3, 6), 16))
    clock = case_clock(events, OFFICIAL, now=events.submitted_at, deadlines=Deadlines(2, 3, 10))
    assert [s.due for s in clock.stages] == [at(D(2026, 3, 11)), at(D(2026, 3, 12)), at(D(2026, 3, 21))]
    with pytest.raises(ValueError):
        Deadlines(accept=5, first_answer=3)
    with pytest.raises(ValueError):
        case_clock(CaseEvents(datetime.datetime(2026, 3, 6, 16)), OFFICIAL, now=at(D(2026, 3, 7)))
    with pytest.raises(ValueError):
        case_clock(CaseEvents(events.submitted_at, accepted_at=at(D(2026, 3, 5))), OFFICIAL,
                   now=at(D(2026, 3, 7)))


def test_a_deadline_in_a_year_without_data_raises():
    with pytest.raises(CalendarGap):
        case_clock(CaseEvents(at(D(2026, 12, 18), 10)), OFFICIAL, now=at(D(2026, 12, 18), 11))


# properties on a synthetic calendar
YEARS = frozenset({2030, 2031})
CAL = WorkCalendar({D(2030, 10, d) for d in range(1, 8)}, {D(2030, 10, 12)}, YEARS)
moments = st.datetimes(min_value=datetime.datetime(2030, 1, 1), max_value=datetime.datetime(2030, 10, 31),
                       timezones=st.just(SHANGHAI))
offsets = st.timedeltas(min_value=datetime.timedelta(0), max_value=datetime.timedelta(days=40))
maybe_offset = st.none() | offsets


@st.composite
def case_events(draw):
    submitted = draw(moments)
    times = [None if (o := draw(maybe_offset)) is None else submitted + o for _ in range(3)]
    pauses = [Pause(submitted + a, None if b is None else submitted + a + b)
              for a, b in draw(st.lists(st.tuples(offsets, maybe_offset), max_size=3))]
    escalated = draw(st.frozensets(st.sampled_from(list(Stage))))
    return CaseEvents(submitted, *times, pauses=pauses, escalated=escalated)


@given(case_events(), offsets)
def test_met_before_due_is_never_escalated_and_only_breaches_are(events, elapsed):
    now = events.submitted_at + elapsed
    clock = case_clock(events, CAL, now)
    for stage in clock.stages:
        if stage.done_at is not None:
            assert stage.status is (Status.MET if stage.done_at < stage.due else Status.LATE)
            assert stage.stage not in clock.escalations_due
        if stage.stage in clock.escalations_due:
            assert stage.done_at is None and now >= stage.due and stage.stage not in events.escalated


@given(case_events(), offsets)
def test_pauses_only_ever_delay_and_stages_stay_in_order(events, elapsed):
    now = events.submitted_at + elapsed
    clock = case_clock(events, CAL, now)
    unpaused = case_clock(CaseEvents(events.submitted_at, events.accepted_at, events.answered_at,
                                     events.closed_at), CAL, now)
    for stage, plain in zip(clock.stages, unpaused.stages, strict=True):
        assert stage.due >= plain.due > events.submitted_at
    dues = [s.due for s in unpaused.stages]
    assert dues == sorted(dues)


@given(moments, offsets, offsets)
def test_a_breach_stays_a_breach_as_time_goes_on(submitted, first, more):
    events = CaseEvents(submitted)
    before = case_clock(events, CAL, submitted + first)
    after = case_clock(events, CAL, submitted + first + more)
    for a, b in zip(before.stages, after.stages, strict=True):
        assert a.due == b.due
        if a.status is Status.BREACHED:
            assert b.status is Status.BREACHED
