"""The case clock of the rights desk (issue 4, item 3): when each stage of a case is due, whether
it was met, is running or is breached, and which escalations are due now. Pure functions on plain
data, no Django import; the worker reads cases from the database, calls `case_clock` and
escalates whatever `escalations_due` names (to the next level up and the League teacher).

Rules:
* Three stages, each counted from the submission: accept, first answer, close; the default
  deadlines are 1, 5 and 15 working days (configurable per university by `Deadlines`).
* Without pauses a stage is due at the end (24:00 Beijing) of the n-th working day after the
  submission day (WorkCalendar.add_working_days; the submission day never counts).
* The clock runs only on working days, 24 hours each. A pause (e.g. waiting for the student's
  reply) stops it; working time spent paused is added back, so a pause of three working hours
  moves every open deadline three hours later, and a pause over a weekend moves nothing. A pause
  still going on is counted up to `now`; the stage is then reported as PAUSED with the deadline
  it would have if the clock restarted now.
* A later stage's event completes the earlier ones (a case answered without an explicit
  acceptance was accepted when it was answered).
* A stage is MET when its event happened strictly before the deadline, LATE when after; with no
  event it is BREACHED once `now` reaches the deadline, RUNNING (or PAUSED) before.
* An escalation is due for each BREACHED stage not already escalated. A LATE stage is not
  escalated any more (the work is done; reports still count it as outside the deadline).
* A year without calendar data raises CalendarGap (the worker must alert, not guess).
"""
from __future__ import annotations

import dataclasses
import datetime
import enum
from collections.abc import Collection, Iterable, Sequence

from tongxue.domain.workdays import ONE_DAY, SHANGHAI, WorkCalendar, end_of_day, local_day, start_of_day


class Stage(enum.StrEnum):
    ACCEPT = "accept"
    FIRST_ANSWER = "first_answer"
    CLOSE = "close"


STAGES = (Stage.ACCEPT, Stage.FIRST_ANSWER, Stage.CLOSE)


class Status(enum.StrEnum):
    MET = "met"
    LATE = "late"
    BREACHED = "breached"
    RUNNING = "running"
    PAUSED = "paused"


@dataclasses.dataclass(frozen=True)
class Deadlines:
    """Working days from the submission to each stage."""
    accept: int = 1
    first_answer: int = 5
    close: int = 15

    def __post_init__(self):
        days = (self.accept, self.first_answer, self.close)
        if any(not isinstance(n, int) or n < 0 for n in days):
            raise ValueError("deadlines are whole, non-negative numbers of working days")
        if not self.accept <= self.first_answer <= self.close:
            raise ValueError("deadlines must not decrease from accept to first answer to close")

    def of(self, stage: Stage) -> int:
        return getattr(self, stage.value)


@dataclasses.dataclass(frozen=True)
class Pause:
    start: datetime.datetime
    end: datetime.datetime | None = None   # None: still paused


@dataclasses.dataclass(frozen=True)
class CaseEvents:
    submitted_at: datetime.datetime
    accepted_at: datetime.datetime | None = None
    answered_at: datetime.datetime | None = None
    closed_at: datetime.datetime | None = None
    pauses: Sequence[Pause] = ()
    escalated: Collection[Stage] = frozenset()   # stages already escalated

    def event(self, stage: Stage) -> datetime.datetime | None:
        """When the stage was completed: its own event or the first later one."""
        own = {Stage.ACCEPT: self.accepted_at, Stage.FIRST_ANSWER: self.answered_at,
               Stage.CLOSE: self.closed_at}
        times = [own[s] for s in STAGES[STAGES.index(stage):] if own[s] is not None]
        return min(times) if times else None


@dataclasses.dataclass(frozen=True)
class StageClock:
    stage: Stage
    due: datetime.datetime          # Beijing time; in time means strictly before
    status: Status
    done_at: datetime.datetime | None
    escalated: bool

    @property
    def escalation_due(self) -> bool:
        return self.status is Status.BREACHED and not self.escalated


@dataclasses.dataclass(frozen=True)
class CaseClock:
    stages: tuple[StageClock, ...]

    @property
    def escalations_due(self) -> tuple[Stage, ...]:
        return tuple(s.stage for s in self.stages if s.escalation_due)

    def __getitem__(self, stage: Stage) -> StageClock:
        return next(s for s in self.stages if s.stage == stage)


def _aware(moment: datetime.datetime, what: str) -> datetime.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    return moment


def _merged(pauses: Iterable[Pause], now: datetime.datetime) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Pauses as sorted, disjoint (start, end) intervals, an open pause ending at `now`."""
    spans = []
    for pause in pauses:
        start = _aware(pause.start, "a pause start")
        if pause.end is None and start > now:
            continue
        end = now if pause.end is None else _aware(pause.end, "a pause end")
        if end < start:
            raise ValueError("a pause ends before it starts")
        if end > start:
            spans.append((start, end))
    spans.sort()
    merged: list[list[datetime.datetime]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def due_at(calendar: WorkCalendar, submitted_at: datetime.datetime, days: int,
           pauses: Sequence[tuple[datetime.datetime, datetime.datetime]] = ()) -> datetime.datetime:
    """The deadline `days` working days after `submitted_at`, with working time spent in the
    (sorted, disjoint) `pauses` added back. Without pauses: calendar.add_working_days."""
    if not pauses:
        return calendar.add_working_days(submitted_at, days)
    remaining = datetime.timedelta(days=days)
    day = local_day(_aware(submitted_at, "the submission time"))
    clock_start = end_of_day(day)
    if not remaining:
        return clock_start
    while True:
        day += ONE_DAY
        if not calendar.is_working_day(day):
            continue
        # the day's running time: [00:00, 24:00) minus the pauses
        cursor, day_end = start_of_day(day), end_of_day(day)
        for p_start, p_end in pauses:
            if p_end <= cursor or p_start >= day_end:
                continue
            if p_start > cursor:
                if p_start - cursor >= remaining:
                    return cursor + remaining
                remaining -= p_start - cursor
            cursor = max(cursor, p_end)
            if cursor >= day_end:
                break
        if cursor < day_end:
            if day_end - cursor >= remaining:
                return cursor + remaining
            remaining -= day_end - cursor


def case_clock(events: CaseEvents, calendar: WorkCalendar, now: datetime.datetime,
               deadlines: Deadlines = Deadlines()) -> CaseClock:
    """The state of every stage of one case at `now`."""
    submitted_at = _aware(events.submitted_at, "the submission time")
    now = _aware(now, "now")
    pauses = _merged(events.pauses, now)
    is_paused = any(p.end is None and p.start <= now for p in events.pauses)
    stages = []
    for stage in STAGES:
        done_at = events.event(stage)
        if done_at is not None and _aware(done_at, f"the {stage} time") < submitted_at:
            raise ValueError(f"the {stage} event precedes the submission")
        # a stage completed at `done_at` is judged by the pauses before it only
        relevant = pauses if done_at is None else [(a, min(b, done_at)) for a, b in pauses if a < done_at]
        due = due_at(calendar, submitted_at, deadlines.of(stage), relevant).astimezone(SHANGHAI)
        if done_at is not None:
            status = Status.MET if done_at < due else Status.LATE
        elif now >= due:
            status = Status.BREACHED
        else:
            status = Status.PAUSED if is_paused else Status.RUNNING
        stages.append(StageClock(stage, due, status, done_at, stage in events.escalated))
    return CaseClock(tuple(stages))


def escalations_due(events: CaseEvents, calendar: WorkCalendar, now: datetime.datetime,
                    deadlines: Deadlines = Deadlines()) -> tuple[Stage, ...]:
    """Stages breached at `now` and not yet escalated, in stage order."""
    return case_clock(events, calendar, now, deadlines).escalations_due
