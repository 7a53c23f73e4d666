"""The demo generator: structure, the deliberate violations, determinism and the demo logins."""
import pytest
from django.db import models
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from tongxue.core import demo
from tongxue.core.models import Campus, College, PoliticalStatus, Student, University, User
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

    first = snapshot()
    first_cadres = sorted(Membership.objects.filter(university__code="demo")
                          .values_list("student__student_no", "position"))
    assert demo.flush_demo() == 2
    assert not Term.objects.exists() and not User.objects.filter(username="federation/F0001").exists()
    demo.build_demo(seed=2026, students=STUDENTS, small_students=200)
    assert snapshot() == first
    assert sorted(Membership.objects.filter(university__code="demo")
                  .values_list("student__student_no", "position")) == first_cadres


def test_other_seed_other_names(loaded):
    names = set(Student.objects.filter(university__code="demo").values_list("name", flat=True)[:200])
    demo.flush_demo()
    demo.build_demo(seed=7, students=STUDENTS, small_students=200)
    assert names != set(Student.objects.filter(university__code="demo").values_list("name", flat=True)[:200])


@pytest.mark.parametrize("username", [
    "demo/2023010001", "demo/2023090001", "demo/2023060001", "demo/T0001", "demo/T0002", "demo/T0003",
    "demo/A0001", "lianhe/A0001", "federation/F0001",
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
