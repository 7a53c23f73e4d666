"""The monthly report of the rights desk (issue 4, item 6) from plain case records: cases by
category and by college, median time to accept, answer and close, share within deadline,
satisfaction, repeated problems and the top keywords of the month. No Django import; the rights
app turns the cases submitted in a month (of one union or of the school) into `CaseRecord`s.

Rules (the stage conventions are those of `tongxue.domain.sla`):
* Times are timezone-aware; a stage's time is counted in wall-clock hours from the submission.
* A later event completes the earlier stages (a case closed without an answer was answered when
  it was closed). Events after `as_of` are not known yet, so a report as of a moment is the same
  whenever it is computed.
* Within deadline: a stage done strictly before its deadline is MET, at or after it LATE; with no
  event it is BREACHED once `as_of` reaches the deadline and RUNNING before; UNKNOWN when the
  deadline is unknown (the working-day calendar had a gap). The share is met / (met + late +
  breached): running and unknown cases are not decided yet.
* Satisfaction rate: (satisfied + basically satisfied) / rated.
* A repeated problem is a keyword found in at least 3 cases of one category (other than the
  category's own name); its weight is the number of students concerned, the submitters plus
  those who joined with 我也遇到.
"""
from __future__ import annotations

import dataclasses
import datetime
import statistics
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence

from tongxue.domain import keywords
from tongxue.domain.sla import STAGES, CaseEvents, Stage

SATISFACTION = ("satisfied", "basic", "unsatisfied")
REPEATED_MIN_CASES = 3
REPEATED_LIMIT = 10

HOUR = datetime.timedelta(hours=1)


def _aware(moment: datetime.datetime | None, what: str) -> None:
    if moment is not None and (moment.tzinfo is None or moment.utcoffset() is None):
        raise ValueError(f"{what} must be timezone-aware")


@dataclasses.dataclass(frozen=True)
class CaseRecord:
    category: str
    college: str
    submitted_at: datetime.datetime
    accepted_at: datetime.datetime | None = None
    answered_at: datetime.datetime | None = None
    closed_at: datetime.datetime | None = None
    accept_due: datetime.datetime | None = None    # None: unknown (calendar gap)
    answer_due: datetime.datetime | None = None
    close_due: datetime.datetime | None = None
    satisfaction: str | None = None                # one of SATISFACTION, None if not rated
    supporters: int = 0                            # joined with 我也遇到, the submitter not counted
    text: str = ""                                 # title and description
    reopened: bool = False

    def __post_init__(self):
        for field in dataclasses.fields(self):
            if field.name.endswith(("_at", "_due")):
                _aware(getattr(self, field.name), field.name)
        for name in ("accepted_at", "answered_at", "closed_at"):
            if getattr(self, name) is not None and getattr(self, name) < self.submitted_at:
                raise ValueError(f"{name} precedes the submission")
        if self.satisfaction is not None and self.satisfaction not in SATISFACTION:
            raise ValueError(f"unknown satisfaction {self.satisfaction!r}")
        if self.supporters < 0:
            raise ValueError("supporters cannot be negative")

    def done_at(self, stage: Stage, as_of: datetime.datetime) -> datetime.datetime | None:
        """When the stage was completed, as known at `as_of`."""
        def known(moment):
            return moment if moment is not None and moment <= as_of else None
        return CaseEvents(self.submitted_at, known(self.accepted_at), known(self.answered_at),
                          known(self.closed_at)).event(stage)

    def due(self, stage: Stage) -> datetime.datetime | None:
        return {Stage.ACCEPT: self.accept_due, Stage.FIRST_ANSWER: self.answer_due,
                Stage.CLOSE: self.close_due}[stage]


@dataclasses.dataclass(frozen=True)
class StageShare:
    """How the cases stood against one stage's deadline."""
    met: int = 0
    late: int = 0
    breached: int = 0
    running: int = 0
    unknown: int = 0

    @property
    def decided(self) -> int:
        return self.met + self.late + self.breached

    @property
    def total(self) -> int:
        return self.decided + self.running + self.unknown

    @property
    def share(self) -> float | None:
        """Share of the decided cases met within the deadline; None when none is decided."""
        return self.met / self.decided if self.decided else None


@dataclasses.dataclass(frozen=True)
class RepeatedProblem:
    category: str
    keyword: str
    cases: int
    students: int     # the submitters and the students who joined them


@dataclasses.dataclass(frozen=True)
class MonthlyReport:
    as_of: datetime.datetime
    total: int
    by_category: list[tuple[str, int]]
    by_college: list[tuple[str, int]]
    median_hours_to_accept: float | None
    median_hours_to_answer: float | None
    median_hours_to_close: float | None
    accept_within_deadline: StageShare
    answer_within_deadline: StageShare
    close_within_deadline: StageShare
    satisfaction: dict[str, int]          # every value of SATISFACTION, in that order
    reopened: int
    repeated_problems: list[RepeatedProblem]
    top_keywords: list[tuple[str, int]]

    @property
    def within_deadline(self) -> dict[str, StageShare]:
        return {"accept": self.accept_within_deadline, "answer": self.answer_within_deadline,
                "close": self.close_within_deadline}

    @property
    def rated(self) -> int:
        return sum(self.satisfaction.values())

    @property
    def satisfaction_rate(self) -> float | None:
        """(satisfied + basically satisfied) / rated; None when no case was rated."""
        if not self.rated:
            return None
        return (self.satisfaction["satisfied"] + self.satisfaction["basic"]) / self.rated


def ranked(labels: Iterable[str]) -> list[tuple[str, int]]:
    """(label, count) pairs, most frequent first, then by label."""
    return sorted(Counter(labels).items(), key=lambda item: (-item[1], item[0]))


def median_hours(records: Iterable[CaseRecord], stage: Stage, as_of: datetime.datetime) -> float | None:
    """Median wall-clock hours from submission to the stage, over the cases that reached it."""
    hours = [(done - r.submitted_at) / HOUR for r in records
             if (done := r.done_at(stage, as_of)) is not None]
    return statistics.median(hours) if hours else None


def stage_share(records: Iterable[CaseRecord], stage: Stage, as_of: datetime.datetime) -> StageShare:
    counts = Counter()
    for record in records:
        due, done = record.due(stage), record.done_at(stage, as_of)
        if due is None:
            counts["unknown"] += 1
        elif done is not None:
            counts["met" if done < due else "late"] += 1
        else:
            counts["breached" if as_of >= due else "running"] += 1
    return StageShare(**counts)


def repeated_problems(records: Sequence[CaseRecord], words: Sequence[Collection[str]],
                      limit: int = REPEATED_LIMIT) -> list[RepeatedProblem]:
    """Keywords found in at least REPEATED_MIN_CASES cases of one category, the most students
    concerned first; `words[i]` are the keywords of `records[i]`."""
    found: dict[tuple[str, str], list[CaseRecord]] = defaultdict(list)
    for record, record_words in zip(records, words, strict=True):
        for word in set(record_words):
            if word != keywords.normalise(record.category):
                found[record.category, word].append(record)
    problems = [RepeatedProblem(category, word, len(cases), sum(1 + r.supporters for r in cases))
                for (category, word), cases in found.items() if len(cases) >= REPEATED_MIN_CASES]
    problems.sort(key=lambda p: (-p.students, -p.cases, p.keyword, p.category))
    return problems[:limit]


def build_report(records: Sequence[CaseRecord], *, as_of: datetime.datetime, top_n: int = 20) -> MonthlyReport:
    """The report of `records` (the cases submitted in the month) as known at `as_of`."""
    _aware(as_of, "as_of")
    words = [keywords.tokenize(r.text) for r in records]
    medians = {stage: median_hours(records, stage, as_of) for stage in STAGES}
    shares = {stage: stage_share(records, stage, as_of) for stage in STAGES}
    rated = Counter(r.satisfaction for r in records if r.satisfaction is not None)
    return MonthlyReport(
        as_of=as_of,
        total=len(records),
        by_category=ranked(r.category for r in records),
        by_college=ranked(r.college for r in records),
        median_hours_to_accept=medians[Stage.ACCEPT],
        median_hours_to_answer=medians[Stage.FIRST_ANSWER],
        median_hours_to_close=medians[Stage.CLOSE],
        accept_within_deadline=shares[Stage.ACCEPT],
        answer_within_deadline=shares[Stage.FIRST_ANSWER],
        close_within_deadline=shares[Stage.CLOSE],
        satisfaction={value: rated[value] for value in SATISFACTION},
        reopened=sum(r.reopened for r in records),
        repeated_problems=repeated_problems(records, words),
        top_keywords=keywords.top_terms(words, top_n),
    )
