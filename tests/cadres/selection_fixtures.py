"""Shared set-up of the selection tests: the `world` plus every approver of the chain and an
open recruitment of the school union."""
import datetime

import pytest
from django.utils import timezone

from tests import factories as f
from tongxue.cadres import selection
from tongxue.cadres.models import PositionType
from tongxue.core import workcalendar
from tongxue.core.models import OfficialCalendarYear, Role
from tongxue.domain.workdays import local_day

# Note of the stand-in year below: tests that are about the calendar remove it first.
STAND_IN = "test stand-in: weekends only"


def staff(university, role, login_id, college=None, name=None):
    user = f.UserFactory(university=university, login_id=login_id, full_name=name or f"{login_id}老师")
    f.RoleAssignmentFactory(user=user, university=university, role=role, college=college)
    return user


@pytest.fixture
def sw(world):
    """world + college Party approver of A, college League/Party of B, a department of the school
    union, an eligible applicant record, and a recruitment open now (presidium + one department)."""
    w = world
    w.party_a = staff(w.university, Role.PARTY_APPROVER, "P2001", w.college_a)
    w.league_b = staff(w.university, Role.LEAGUE_TEACHER, "T2002", w.college_b)
    w.party_b = staff(w.university, Role.PARTY_APPROVER, "P2002", w.college_b)
    w.department = f.DepartmentFactory(term=w.school_union.current_term(), name="学习部")
    f.AcademicRecordFactory(student=w.student_a, period="year", label="2025-2026", rank=3, major_size=100)
    w.now = timezone.now()
    calendar_covers_the_notice(w.now)
    w.recruitment = selection.open_recruitment(
        w.league_school, w.school_union, title="2026年校学生会主席团及工作人员选拔",
        opens_at=w.now - datetime.timedelta(days=1), closes_at=w.now + datetime.timedelta(days=10),
        openings=[(PositionType.PRESIDIUM, None, 2), (PositionType.DEPARTMENT, w.department, 3)],
        call_text="面向全校本科生公开选拔。",
    )
    return w


def calendar_covers_the_notice(now) -> None:
    """These tests publish notices at the real time. In the last weeks of a year whose successor's
    holiday schedule is not published yet, a notice would reach an uncovered year and be refused,
    as it should. The selection tests are not about the calendar, so the test database then gets
    a stand-in next year without holidays (weekends only), clearly labelled: never real data."""
    status = workcalendar.calendar_status(None, 10, today=local_day(now))
    if status.gap_reached:
        OfficialCalendarYear.objects.create(year=status.first_uncovered_year, is_complete=True, note=STAND_IN)


def run_chain(w, application, approvers):
    for user in approvers:
        selection.decide_step(user, application, approve=True, comment="同意")
        application.refresh_from_db()
    return application


def presidium_chain(w):
    return [w.league_a, w.party_a, w.party, w.league_school, w.party]
