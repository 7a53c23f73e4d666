"""Review 2 corrections: one academic calendar for training and the rules, past years judged as they
stood, the live check tells namesakes apart, attestation needs the union's own League teacher, and
the findings page (cadres' academic standing) is for oversight only."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tongxue.cadres import training
from tongxue.cadres.appointments import appoint
from tongxue.core.models import Role
from tongxue.domain import reform_rules as rr
from tongxue.rules import services
from tongxue.rules.models import academic_year_of, year_bounds
from tongxue.rules.services import RuleViolation
from tongxue.unions.models import Membership, Position, Union

pytestmark = pytest.mark.django_db


# --- F8: one academic calendar ------------------------------------------------------------------

def test_a_late_august_session_is_in_the_same_academic_year_for_training_and_the_rules(world):
    starts = timezone.make_aware(datetime.datetime(2026, 8, 20, 10, 0))
    session = training.create_session(world.league_a, university=world.university, union=world.union_a,
                                      level="college", title="暑期培训", starts_at=starts, place="A101", hours="2.0")
    start, end = year_bounds("2025-2026")
    assert start <= starts.date() <= end and academic_year_of(starts.date()) == "2025-2026"
    assert session.academic_year == 2025 and session.season == "spring"
    training.check_in(world.officer_a, session.check_in_code, now=starts)
    status = training.training_status([world.officer_a.pk], 2025)      # what the rules ask for 2025-2026
    assert status[world.officer_a.pk]["spring"] is True and status[world.officer_a.pk]["autumn"] is False
    assert training.training_status([world.officer_a.pk], 2026)[world.officer_a.pk]["spring"] is False


def test_a_first_of_september_session_opens_the_next_year_in_autumn(world):
    starts = timezone.make_aware(datetime.datetime(2026, 9, 1, 10, 0))
    session = training.create_session(world.league_a, university=world.university, union=world.union_a,
                                      level="college", title="秋季培训", starts_at=starts, place="A101", hours="2.0")
    assert (session.academic_year, session.season) == (2026, "autumn")
    assert academic_year_of(starts.date()) == "2026-2027"


# --- F9: a past year's table is judged as it stood --------------------------------------------

def _union_with_newcomer(world):
    union = f.UnionFactory(university=world.university, level=Union.Level.COLLEGE, college=world.college_b)
    term = f.TermFactory(union=union, start_date=datetime.date(2025, 9, 1), is_current=True)
    m = f.MembershipFactory(term=term, position=Position.PRESIDENT, start_date=datetime.date(2025, 9, 1),
                            student=f.StudentFactory(student_class=world.student_b.student_class,
                                                     enrolment_year=2025, name="新生甲"))
    return union, m


def test_a_first_year_of_2025_is_exempt_in_the_2025_2026_table(world):
    union, m = _union_with_newcomer(world)
    f.AcademicRecordFactory(student=m.student, label="2025-2026-2", rank=90, major_size=100)
    c7 = next(x for x in services.findings_for(union, "2025-2026") if x.rule.id == "C7")
    assert c7.status == rr.PASS


def test_a_past_table_ignores_records_of_later_years(world):
    union, m = _union_with_newcomer(world)
    f.AcademicRecordFactory(student=m.student, label="2026-2027-1", rank=90, major_size=100, failed_courses=1)
    c7 = next(x for x in services.findings_for(union, "2025-2026") if x.rule.id == "C7")
    assert c7.status == rr.PASS


def test_as_of_is_the_end_of_the_year_or_today():
    today = timezone.localdate()
    assert services.as_of("2020-2021") == datetime.date(2021, 8, 31)
    assert services.as_of(f"{today.year + 1}-{today.year + 2}") == today


# --- F10: namesakes -----------------------------------------------------------------------------

def test_live_check_does_not_refuse_a_newcomer_for_a_namesake_s_violation(world):
    term = world.union_a.current_term()
    dept = f.DepartmentFactory(term=term, name="学习部")
    f.MembershipFactory(term=term, department=dept,
                        student=f.StudentFactory(student_class=world.student_a.student_class, name="张伟",
                                                 political_status="13"))
    newcomer = f.StudentFactory(student_class=world.student_a.student_class, name="张伟", political_status="03")
    appoint(world.league_a, world.union_a, newcomer, Position.OFFICER, dept)
    assert Membership.objects.current().filter(term=term, student=newcomer).exists()
    # the evidence still names people, not keys
    c6 = next(x for x in services.findings_for(world.union_a) if x.rule.id == "C6")
    assert c6.status == rr.FAIL and c6.outcome.evidence == ("张伟",)


def test_live_check_still_refuses_the_namesake_who_does_not_qualify(world):
    term = world.union_a.current_term()
    dept = f.DepartmentFactory(term=term, name="学习部")
    f.MembershipFactory(term=term, department=dept,
                        student=f.StudentFactory(student_class=world.student_a.student_class, name="张伟",
                                                 political_status="03"))
    masses = f.StudentFactory(student_class=world.student_a.student_class, name="张伟", political_status="13")
    with pytest.raises(RuleViolation, match="C6"):
        appoint(world.league_a, world.union_a, masses, Position.OFFICER, dept)


# --- F7: attestation by the union's own League teacher ------------------------------------------

@pytest.fixture
def party_plus_college_league(world):
    user = f.UserFactory(university=world.university, login_id="T9")
    f.RoleAssignmentFactory(user=user, university=world.university, role=Role.PARTY_APPROVER)
    f.RoleAssignmentFactory(user=user, university=world.university, role=Role.LEAGUE_TEACHER,
                            college=world.college_a)
    return user


def test_party_approver_who_leads_one_college_attests_only_for_that_college(world, party_plus_college_league):
    user = party_plus_college_league
    for union, rule_id in ((world.school_union, "S1"), (world.union_b, "C1")):
        with pytest.raises(PermissionDenied):
            services.attest(user, union, "2026-2027", rule_id, attested=True)
        assert services.can_see_findings(user, union)        # oversight still reads the findings
    assert services.attest(user, world.union_a, "2026-2027", "C1", attested=True).pk


def test_attestation_form_follows_the_same_rule(client, world, party_plus_college_league):
    client.force_login(party_plus_college_league)
    url = reverse("rules:union", args=[world.union_b.pk])
    assert client.get(url).context["form"] is None
    assert client.post(url, {"rule_id": "C1", "attested": "yes"}).status_code == 403
    assert client.get(reverse("rules:union", args=[world.union_a.pk])).context["form"] is not None


@pytest.mark.parametrize(("account", "may"), [
    ("league_school", True), ("league_college", True), ("party", False), ("univ_admin", True), ("fed_admin", True),
    ("other_admin", False), ("cadre", False),
])
def test_who_attests_for_college_a(world, account, may):
    assert services.can_attest(world.accounts()[account], world.union_a) is may


# --- F6: the findings page is for oversight only ------------------------------------------------

@pytest.fixture
def deputy_and_records(world):
    term = world.union_a.current_term()
    dept = f.DepartmentFactory(term=term, name="学习部")
    deputy = f.MembershipFactory(term=term, position=Position.DEPUTY_HEAD, department=dept,
                                 student=f.StudentFactory(student_class=world.student_a.student_class,
                                                          name="郑十")).student
    f.AcademicRecordFactory(student=world.officer_a, label="2025-2026-2", rank=80, major_size=100,
                            failed_courses=2)
    return deputy


@pytest.mark.parametrize(("account", "sees"), [
    ("student", False), ("officer", False), ("cadre", False), ("school_cadre", False), ("class_rep", False),
    ("league_college", True), ("league_school", True), ("party", True), ("univ_admin", True), ("fed_admin", True),
    ("other_admin", False),
])
def test_findings_page_of_college_a_per_role(client, world, deputy_and_records, account, sees):
    client.force_login(world.accounts()[account])
    response = client.get(reverse("rules:union", args=[world.union_a.pk]))
    body = response.content.decode()
    if sees:
        assert response.status_code == 200 and "孙七：" in body and "2 门课程不及格" in body
    else:
        assert response.status_code in (403, 404) and "2 门课程不及格" not in body


def test_a_deputy_head_does_not_see_peers_failed_courses(client, world, deputy_and_records):
    client.force_login(deputy_and_records.user)
    response = client.get(reverse("rules:union", args=[world.union_a.pk]))
    body = response.content.decode()
    assert response.status_code in (403, 404)
    assert "孙七" not in body and "2 门课程不及格" not in body


def test_a_college_party_approver_sees_the_findings_of_that_college_only(world):
    user = f.UserFactory(university=world.university, login_id="T10")
    f.RoleAssignmentFactory(user=user, university=world.university, role=Role.PARTY_APPROVER,
                            college=world.college_a)
    assert services.can_see_findings(user, world.union_a)
    assert not services.can_see_findings(user, world.union_b)
    assert not services.can_see_findings(user, world.school_union)
    assert not services.can_attest(user, world.union_a)
