"""The demo generator: structure, the deliberate violations, determinism and the demo logins."""
import pytest
from django.db import models
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from tongxue.core import demo
from tongxue.core.models import Campus, College, PoliticalStatus, Role, RoleAssignment, Student, University, User
from tongxue.rights.models import Case, CaseEvent, CaseSupporter, Category, Office, RoutingRule
from tongxue.unions.models import Membership, Position, Term, Union

pytestmark = pytest.mark.django_db

STUDENTS = 1500


@pytest.fixture
def loaded(settings):
    settings.AXES_ENABLED = False
    return demo.build_demo(seed=2026, students=STUDENTS, small_students=200)


def current_staff(union):
    return Membership.objects.current().filter(term__union=union)


def test_structure(loaded):
    university = University.objects.get(code="demo")
    assert university.is_large
    assert Campus.objects.filter(university=university).count() >= 3
    colleges = College.objects.filter(university=university)
    assert colleges.count() >= 15
    assert {College.Kind.COLLEGE, College.Kind.DEPARTMENT, College.Kind.ACADEMY} <= set(
        colleges.values_list("kind", flat=True))
    assert Student.objects.filter(university=university).count() == STUDENTS
    assert Student.objects.filter(university__code="lianhe").count() == 200
    unions = Union.objects.filter(university=university)
    assert unions.filter(level=Union.Level.SCHOOL, kind=Union.Kind.UNDERGRADUATE).count() == 1
    assert unions.filter(level=Union.Level.SCHOOL, kind=Union.Kind.GRADUATE).count() == 1
    assert unions.filter(level=Union.Level.CAMPUS).count() == 1
    assert unions.filter(level=Union.Level.COLLEGE).count() == colleges.count()
    for union in unions:
        assert union.terms.filter(is_current=True).count() == 1, union
        assert current_staff(union).filter(position=Position.PRESIDENT).count() == 1, union
    school = unions.get(name="示范大学学生会")
    assert school.terms.filter(is_current=False).count() == 1
    history = school.terms.get(is_current=False)
    assert history.memberships.exists() and not history.memberships.filter(end_date__isnull=True).exists()
    assert 30 <= current_staff(school).count() <= 40
    assert school.current_term().departments.count() == 6


def test_people_look_real(loaded):
    students = Student.objects.filter(university__code="demo")
    assert students.filter(name__contains="\u00b7").exists()
    assert students.exclude(ethnicity="01").exists()
    assert students.filter(degree_level__in=["master", "doctoral"]).count() == pytest.approx(STUDENTS * 0.15, abs=2)
    assert all(len(phone) == 11 and phone.isdigit() for phone in students.values_list("phone", flat=True))
    assert all(no.isdigit() for no in students.values_list("student_no", flat=True))
    assert set(students.values_list("political_status", flat=True)) >= {"01", "02", "03", "13"}
    assert students.filter(user__isnull=True).count() == 0


def test_deliberate_violations(loaded):
    unions = Union.objects.filter(university__code="demo")
    assert current_staff(unions.get(name="经济学院学生会")).count() == 34
    law = current_staff(unions.get(name="法学院学生会"))
    assert law.filter(position__in=Position.presidium()).count() == 4
    masses = Membership.objects.current().filter(term__union__university__code="demo",
                                                  student__political_status=PoliticalStatus.MASSES)
    assert [m.term.union.name for m in masses] == ["外国语学院学生会"]
    campus = unions.get(level=Union.Level.CAMPUS)
    assert campus.current_term().departments.filter(name="学生事务中心").exists()
    # everything else keeps within the second-level limits
    for union in unions.filter(level=Union.Level.COLLEGE).exclude(name__in=["经济学院学生会", "法学院学生会"]):
        staff = current_staff(union)
        assert staff.count() <= 30 and staff.filter(position__in=Position.presidium()).count() <= 3, union


def test_same_seed_same_data(loaded):
    def snapshot():
        return list(Student.objects.filter(university__code="demo").order_by("student_no")
                    .values_list("student_no", "name", "gender", "political_status", "phone"))

    def cases_snapshot():
        return sorted(Case.objects.filter(university__code="demo").values_list("title", "identity", "category__code",
                                                                              "college__code"))

    first = snapshot()
    first_cases = cases_snapshot()
    first_cadres = sorted(Membership.objects.filter(university__code="demo")
                          .values_list("student__student_no", "position"))
    assert demo.flush_demo() == 2
    assert not Term.objects.exists() and not User.objects.filter(username="federation/F0001").exists()
    demo.build_demo(seed=2026, students=STUDENTS, small_students=200)
    assert snapshot() == first
    assert cases_snapshot() == first_cases
    assert sorted(Membership.objects.filter(university__code="demo")
                  .values_list("student__student_no", "position")) == first_cadres


def test_other_seed_other_names(loaded):
    names = set(Student.objects.filter(university__code="demo").values_list("name", flat=True)[:200])
    demo.flush_demo()
    demo.build_demo(seed=7, students=STUDENTS, small_students=200)
    assert names != set(Student.objects.filter(university__code="demo").values_list("name", flat=True)[:200])


@pytest.mark.parametrize("username", [
    "demo/2023010001", "demo/2023090001", "demo/2023060001", "demo/T0001", "demo/T0002", "demo/T0003",
    "demo/A0001", "lianhe/A0001", "federation/F0001", "demo/H0001", "demo/J0001",
])
def test_demo_logins_authenticate(loaded, username):
    user = authenticate(username=username, password=demo.DEMO_PASSWORD)
    assert user is not None and user.username == username


def test_demo_login_roles(loaded):
    from tongxue.core.scope import compute_scope

    cs_president = User.objects.get(username="demo/2023090001")
    assert current_staff(Union.objects.get(name="计算机学院学生会")).get(student__user=cs_president).position == \
        Position.PRESIDENT
    school = User.objects.get(username="demo/2023060001")
    assert current_staff(Union.objects.get(name="示范大学学生会")).get(student__user=school).position == \
        Position.PRESIDENT
    plain = compute_scope(User.objects.get(username="demo/2023010001"))
    assert plain.is_student and not plain.is_cadre
    fed = User.objects.get(username="federation/F0001")
    assert fed.university is None and fed.is_staff and not fed.is_superuser
    assert compute_scope(fed).all_universities
    assert User.objects.get(username="demo/A0001").is_staff
    rep = User.objects.get(username=f"demo/{loaded.logins[1].login_id}")
    plain_student = Student.objects.get(university__code="demo", student_no="2023010001")
    assert compute_scope(rep).student_class_ids == {plain_student.student_class_id}


def test_command_refuses_twice_and_flushes(settings, capsys):
    settings.AXES_ENABLED = False
    call_command("load_demo", students=400)
    assert "2023010001" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--flush"):
        call_command("load_demo", students=400)
    call_command("load_demo", students=400, flush=True)
    assert Student.objects.filter(university__code="demo").count() == 400


def test_every_demo_cadre_is_eligible_except_the_planted_one(loaded):
    from tongxue.core.eligibility import eligibility_for
    from tongxue.core.models import AcademicRecord

    memberships = list(Membership.objects.current().filter(university__code__in=demo.DEMO_CODES)
                       .select_related("student", "term__union"))
    results = eligibility_for({m.student for m in memberships})
    ineligible = [(m.term.union.name, [r.code for r in results[m.student_id].reasons])
                  for m in memberships if not results[m.student_id].is_eligible]
    assert ineligible == [("外国语学院学生会", ["political_status"])]
    # a sample of other students has records too, spread over the ranking, some failing
    others = AcademicRecord.objects.filter(university__code="demo").exclude(
        student__in=[m.student_id for m in memberships])
    assert others.exists() and others.filter(failed_courses__gt=0).exists()
    assert others.filter(rank__gt=models.F("major_size") * 0.5).exists()


# The rights desk --------------------------------------------------------------------------

def test_rights_desk_setup(loaded):
    for code in demo.DEMO_CODES:
        assert Category.objects.filter(university__code=code).count() == 9
        assert Office.objects.filter(university__code=code).count() == 6
    offices = Office.objects.filter(university__code="demo").prefetch_related("staff")
    for office in offices:
        staff = list(office.staff.all())
        assert len(staff) == 1, office
        assert RoleAssignment.objects.filter(user=staff[0], role=Role.OFFICE_STAFF,
                                             university=office.university).exists()
    assert {o.staff.get().login_id for o in offices} == {"H0001", "J0001", "B0001", "C0001", "X0001", "I0001"}
    assert {"H0001", "J0001"} <= {x.login_id for x in loaded.logins}
    fees = RoutingRule.objects.get(university__code="demo", category__code="fees", college=None, campus=None)
    assert fees.level == "school"
    # every union at the school and college level has a rights department (权益服务部)
    for union in Union.objects.filter(university__code="demo"):
        assert union.current_term().departments.filter(name__contains="权益").exists(), union


def test_rights_cases_look_real(loaded):
    cases = Case.objects.filter(university__code="demo")
    assert cases.count() == STUDENTS // 15 and loaded.counts["rights cases"] == STUDENTS // 15
    assert not Case.objects.filter(university__code="lianhe").exists()
    anonymous = cases.filter(identity=Case.Identity.ANONYMOUS)
    assert anonymous.exists() and not anonymous.filter(submitter__isnull=False).exists()
    assert not anonymous.filter(college__isnull=True).exists()        # still counted by college
    assert not cases.exclude(identity=Case.Identity.ANONYMOUS).filter(submitter__isnull=True).exists()
    assert {Case.Identity.NAMED, Case.Identity.HIDDEN} <= set(cases.values_list("identity", flat=True))
    assert not cases.filter(category__is_sensitive=True, is_public=True).exists()
    assert cases.filter(status=Case.Status.CLOSED).count() > cases.count() // 2
    assert cases.filter(answered_by_office__isnull=False).exists()
    assert cases.filter(satisfaction=Case.Satisfaction.SATISFIED).exists()
    assert cases.filter(channel=Case.Channel.OFFLINE).exists()
    assert cases.filter(submitter__student_no="2023010001").count() == 3   # the demo student's own cases
    assert len(set(cases.values_list("category__code", flat=True))) >= 6
    assert len(set(cases.values_list("title", flat=True))) > cases.count() // 3
    # supporters: rows and counts agree (a merged anonymous duplicate counts without a row)
    supporters = {c: n for c, n in CaseSupporter.objects.filter(case__in=cases).values_list("case").annotate(
        n=models.Count("pk"))}
    assert supporters
    for case in cases.filter(supporter_count__gt=0):
        assert case.supporter_count >= supporters.get(case.pk, 0), case


def test_rights_statuses_agree_with_timestamps_and_history(loaded):
    from django.utils import timezone

    now = timezone.now()
    cases = Case.objects.filter(university__code="demo").prefetch_related("events")
    for case in cases:
        times = [t for t in (case.submitted_at, case.accepted_at, case.answered_at, case.closed_at) if t]
        assert times == sorted(times) and times[-1] <= now, case
        assert case.submitted_at >= now - timezone.timedelta(days=366)
        if case.status == Case.Status.SUBMITTED:
            assert case.accepted_at is None and case.answered_at is None
        if case.status in (Case.Status.ANSWERED, Case.Status.CLOSED):
            assert case.answered_at and case.answer
        if case.status in (Case.Status.CLOSED, Case.Status.MERGED):
            assert case.closed_at
        else:
            assert case.closed_at is None
            assert case.submitted_at > now - timezone.timedelta(days=45), case   # old cases are finished
        if case.status == Case.Status.MERGED:
            assert case.merged_into.submitted_at <= case.submitted_at
        if case.satisfaction:
            assert case.rated_at and case.answered_at <= case.rated_at
        if case.status == Case.Status.REOPENED or case.reopen_count:
            assert case.reopen_count == 1 and case.is_flagged
        events = [e for e in case.events.all()]
        assert events[0].kind in (CaseEvent.Kind.SUBMITTED, CaseEvent.Kind.LOGGED)
        assert events[0].created == case.submitted_at
        assert all(a.created <= b.created for a, b in zip(events, events[1:]))
        steps = [e for e in events if e.kind not in (CaseEvent.Kind.JOINED, CaseEvent.Kind.ESCALATED)]
        assert steps[-1].status == case.status, case
        escalated = [e for e in events if e.kind == CaseEvent.Kind.ESCALATED]
        assert len(escalated) == len(case.escalated_stages)
        if escalated:
            assert case.is_flagged
        if case.identity == Case.Identity.ANONYMOUS:
            own = {CaseEvent.Kind.SUBMITTED, CaseEvent.Kind.RATED, CaseEvent.Kind.REOPENED}
            assert not [e for e in events if e.kind in own and e.actor_id]
