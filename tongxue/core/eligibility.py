"""Cadre eligibility of students from the database (rules.md §2): the facts are read here, the
decision is `tongxue.domain.eligibility.assess`.

`eligibility_for(students)` serves the rule engine and the exit procedure for hundreds of
cadres with one query for all their academic records; `eligibility_of(student)` is the single
case (the student's own page, an application). The current academic year comes from `today`
(1 September boundary, `tongxue.domain.calendar`), which tests pass to move the clock and the
rule engine passes to judge a past year as it stood then: records labelled with a later academic
year are left out.
"""
import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from tongxue.domain.calendar import academic_year_label
from tongxue.domain.eligibility import (
    DEFAULT_CONFIG, AcademicStanding, CandidateFacts, EligibilityConfig, EligibilityResult, Reason,
    academic_year_start, assess,
)

from .models import AcademicRecord, PoliticalStatus, Student

PERIOD_NAMES = {
    "term": pgettext_lazy("academic period", "term"), "year": pgettext_lazy("academic period", "academic year"),
    "cumulative": pgettext_lazy("academic period", "since enrolment"),
}


def _facts(student: Student, records: list, academic_year: int) -> CandidateFacts:
    return CandidateFacts(
        political_status=student.political_status, degree_level=student.degree_level,
        enrolment_year=student.enrolment_year, academic_year=academic_year,
        standings=tuple(AcademicStanding(period, label, rank, size, failed)
                        for period, label, rank, size, failed in records),
    )


def eligibility_for(students: Iterable[Student], *, today: datetime.date | None = None,
                    config: EligibilityConfig = DEFAULT_CONFIG) -> dict[int, EligibilityResult]:
    """Eligibility of many students, keyed by student id; one query for all their records."""
    students = list(students)
    if not students:
        return {}
    academic_year = academic_year_start(today or timezone.localdate())
    latest_label = academic_year_label(academic_year)  # records of later years did not exist yet
    records: dict[int, list] = defaultdict(list)
    by_university: dict[int, list[int]] = defaultdict(list)
    for s in students:
        by_university[s.university_id].append(s.pk)
    condition = Q(pk__in=[])
    for university_id, ids in by_university.items():  # the university first: it leads the index
        condition |= Q(university_id=university_id, student_id__in=ids)
    for student_id, *values in AcademicRecord.objects.filter(condition).values_list(
            "student_id", "period", "label", "rank", "major_size", "failed_courses"):
        if values[1][:9] <= latest_label:
            records[student_id].append(values)
    return {s.pk: assess(_facts(s, records[s.pk], academic_year), config) for s in students}


def eligibility_of(student: Student, *, today: datetime.date | None = None,
                   config: EligibilityConfig = DEFAULT_CONFIG) -> EligibilityResult:
    return eligibility_for([student], today=today, config=config)[student.pk]


def _standing_text(params: dict) -> str:
    return _("%(period)s %(label)s: %(rank)s of %(size)s") % {
        "period": PERIOD_NAMES.get(params["period"], params["period"]), "label": params["label"],
        "rank": params["rank"], "size": params["major_size"],
    }


def reason_text(reason: Reason | dict) -> str:
    """One reason, as a sentence in the active language."""
    code, params = (reason.code, reason.params) if isinstance(reason, Reason) else (reason["code"], reason["params"])
    if code == "political_status":
        status = params.get("status", "")
        name = PoliticalStatus(status).label if status in PoliticalStatus.values else status
        return _("Political status is “%(status)s”: cadres must be Party members (incl. probationary) "
                 "or Communist Youth League members.") % {"status": name}
    if code == "no_academic_record":
        return _("No academic results are on record, so the ranking and failed-course rules cannot be checked.")
    if code == "not_top_share":
        standings = "; ".join(_standing_text(s) for s in params.get("standings", []))
        return _("Not within the top %(percent)s%% of the major on the latest term, the latest academic year "
                 "or since enrolment (%(standings)s).") % {"percent": params.get("top_percent", 30),
                                                          "standings": standings}
    if code == "failed_courses":
        return _("%(count)s failed course(s) on record (%(period)s %(label)s); cadres may have no failed course.") % {
            "count": params["count"], "period": PERIOD_NAMES.get(params["period"], params["period"]),
            "label": params["label"],
        }
    return code


def basis_text(result: EligibilityResult) -> str:
    if result.exempt == "first_year":
        return _("First-year students are exempt from the academic requirements.")
    if result.basis is not None:
        return _("Within the top %(percent)s%% of the major — %(standing)s.") % {
            "percent": round(float(DEFAULT_CONFIG.top_share) * 100), "standing": _standing_text(result.basis.params)}
    return ""
