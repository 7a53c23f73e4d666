"""Who may be a cadre (rules.md §2), as a pure function of a candidate's facts.

No Django import: `assess` takes plain dataclasses and returns plain data, so the rule engine,
the recruitment flow, the exit procedure and the tests all use the same decision.

The decision, as configured by default (national values):

* Political status: Party member (GB/T 4762 code 01), probationary Party member (02) or League
  member (03). Anything else (04–13) fails.
* Undergraduate and junior-college students, except first-years: ranked within the top 30 % of
  their major on the latest term, the latest academic year, or cumulatively since enrolment —
  any one of the three suffices. "Within the top 30 %" means `rank / major_size <= 0.30`,
  compared exactly (3 of 10 passes, 4 of 10 fails, 1 of 3 fails; a major of 3 therefore has no
  qualifying rank — the literal rule, a human review can correct it).
* No failed course: the failed-course counts of the *latest* term record, the *latest* year
  record and the *latest* cumulative record must all be zero. Earlier terms count only through
  the cumulative record, as the academic-affairs office reports it (a course failed and later
  passed disappears from the cumulative count if the office clears it).
* Graduate students: no failed course on the same records; no ranking.
* First-years (enrolled in the current academic year) are exempt from the academic test; they
  still need the political status. A first-year graduate student with records is checked for
  failed courses (nothing exempts a graduate from that rule once results exist).
* No academic record at all (and not a first-year): not eligible, reason `no_academic_record`.
  That is a missing fact, not a judgement: the result says so and a human review can follow
  (conventions.md: an automatic decision that blocks a candidate explains why).

"Latest" is the greatest label of each period kind; labels are "2025-2026-1" for a term and
"2025-2026" for an academic year, which sort chronologically as text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from tongxue.domain.calendar import academic_year_start  # noqa: F401 — the one calendar (1 September)

TERM, YEAR, CUMULATIVE = "term", "year", "cumulative"
PERIODS = (TERM, YEAR, CUMULATIVE)
GRADUATE_LEVELS = frozenset({"master", "doctoral"})

# reason codes
POLITICAL_STATUS = "political_status"
NO_ACADEMIC_RECORD = "no_academic_record"
NOT_TOP_SHARE = "not_top_share"
FAILED_COURSES = "failed_courses"
# exemptions
FIRST_YEAR = "first_year"




@dataclass(frozen=True)
class AcademicStanding:
    period: str          # "term" | "year" | "cumulative"
    label: str           # "2025-2026-1" (term), "2025-2026" (year); for cumulative: as of which term/year
    rank: int            # 1 = best
    major_size: int
    failed_courses: int = 0

    @property
    def share(self) -> Fraction:
        return Fraction(self.rank, self.major_size) if self.major_size > 0 else Fraction(1)


@dataclass(frozen=True)
class CandidateFacts:
    political_status: str        # GB/T 4762 code
    degree_level: str            # "junior" | "undergraduate" | "master" | "doctoral"
    enrolment_year: int
    standings: tuple[AcademicStanding, ...] | list[AcademicStanding] = ()
    academic_year: int = 0       # start year of the current academic year (academic_year_start)


@dataclass(frozen=True)
class EligibilityConfig:
    top_share: Fraction = Fraction(3, 10)
    allowed_political_statuses: frozenset[str] = frozenset({"01", "02", "03"})
    first_year_exempt: bool = True
    graduates_need_no_failed_course: bool = True
    graduate_levels: frozenset[str] = GRADUATE_LEVELS

    def __post_init__(self):
        # a float share (0.3) becomes the exact decimal it was written as, so 3/10 stays on the line
        if not isinstance(self.top_share, Fraction):
            object.__setattr__(self, "top_share", Fraction(str(self.top_share)))


DEFAULT_CONFIG = EligibilityConfig()


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"code": self.code, "params": dict(self.params)}


@dataclass(frozen=True)
class EligibilityResult:
    is_eligible: bool
    reasons: tuple[Reason, ...] = ()   # why not eligible (empty when eligible)
    exempt: str | None = None          # "first_year" when the academic test was waived
    basis: Reason | None = None        # the standing that met the ranking test, for display

    def as_dict(self) -> dict:
        return {"is_eligible": self.is_eligible, "reasons": [r.as_dict() for r in self.reasons],
                "exempt": self.exempt}


def latest_standings(standings) -> dict[str, AcademicStanding]:
    """The latest record of each period kind (greatest label)."""
    latest: dict[str, AcademicStanding] = {}
    for standing in standings:
        current = latest.get(standing.period)
        if current is None or standing.label > current.label:
            latest[standing.period] = standing
    return latest


def _standing_params(s: AcademicStanding) -> dict:
    return {"period": s.period, "label": s.label, "rank": s.rank, "major_size": s.major_size}


def assess(facts: CandidateFacts, config: EligibilityConfig = DEFAULT_CONFIG) -> EligibilityResult:
    reasons: list[Reason] = []
    if facts.political_status not in config.allowed_political_statuses:
        reasons.append(Reason(POLITICAL_STATUS, {"status": facts.political_status}))
    is_graduate = facts.degree_level in config.graduate_levels
    is_first_year = facts.enrolment_year >= facts.academic_year
    latest = latest_standings(facts.standings)
    exempt = None
    basis = None
    if is_first_year and config.first_year_exempt and (not is_graduate or not latest):
        exempt = FIRST_YEAR
    elif is_graduate and not config.graduates_need_no_failed_course:
        pass
    elif not latest:
        reasons.append(Reason(NO_ACADEMIC_RECORD))
    else:
        if not is_graduate:
            qualifying = [s for s in (latest.get(p) for p in PERIODS)
                          if s is not None and s.major_size > 0 and s.share <= config.top_share]
            if qualifying:
                basis = Reason("top_share", _standing_params(qualifying[0]))
            else:
                reasons.append(Reason(NOT_TOP_SHARE, {
                    "top_percent": round(float(config.top_share) * 100),
                    "standings": [_standing_params(latest[p]) for p in PERIODS if p in latest],
                }))
        for period in PERIODS:
            s = latest.get(period)
            if s is not None and s.failed_courses > 0:
                reasons.append(Reason(FAILED_COURSES, {"period": period, "label": s.label,
                                                       "count": s.failed_courses}))
    return EligibilityResult(is_eligible=not reasons, reasons=tuple(reasons), exempt=exempt,
                             basis=basis if not reasons else None)
