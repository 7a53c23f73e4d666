"""Shared fixtures. `world` builds two universities with every role, for the scope matrix."""
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tongxue.core.models import Role
from tongxue.unions.models import Position, Union

from . import factories as f

# The suite runs in parallel on busy two-core machines: a property test is judged on its examples,
# never on how long one took.
hypothesis_settings.register_profile("tongxue", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("tongxue")


@pytest.fixture(autouse=True)
def _immediate_tasks_and_media(settings, tmp_path):
    """Background tasks run at once in tests, and uploads go to a throw-away media directory."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Counters kept in the cache (check-in failures, lockouts) do not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    university: object
    other_university: object
    college_a: object
    college_b: object
    other_college: object
    school_union: object
    union_a: object
    union_b: object
    other_union: object
    student_a: object          # plain student of college A
    student_b: object          # plain student of college B
    other_student: object      # student of the other university
    cadre_a: object            # college A union president (a student)
    officer_a: object          # college A union officer
    school_cadre: object       # school union president
    class_rep_a: object        # class representative of student_a's class
    league_school: object      # school-wide League teacher (account)
    league_a: object           # League teacher of college A
    party: object              # Party committee approver
    univ_admin: object
    fed_admin: object
    other_admin: object        # administrator of the other university

    def accounts(self) -> dict[str, object]:
        return {
            "student": self.student_a.user, "class_rep": self.class_rep_a, "cadre": self.cadre_a.user,
            "officer": self.officer_a.user, "school_cadre": self.school_cadre.user,
            "league_school": self.league_school, "league_college": self.league_a, "party": self.party,
            "univ_admin": self.univ_admin, "fed_admin": self.fed_admin, "other_admin": self.other_admin,
        }


def _build_world() -> World:
    university = f.UniversityFactory(name="示范大学", code="demo")
    other_university = f.UniversityFactory(name="另一所大学", code="other")
    campus = f.CampusFactory(university=university)
    college_a = f.CollegeFactory(campus=campus, name="计算机学院")
    college_b = f.CollegeFactory(campus=campus, name="外国语学院")
    other_college = f.CollegeFactory(campus=f.CampusFactory(university=other_university), name="别校学院")
    class_a = f.StudentClassFactory(major=f.MajorFactory(college=college_a))
    class_b = f.StudentClassFactory(major=f.MajorFactory(college=college_b))
    other_class = f.StudentClassFactory(major=f.MajorFactory(college=other_college))
    student_a = f.StudentFactory(student_class=class_a, name="张三")
    student_b = f.StudentFactory(student_class=class_b, name="李四")
    other_student = f.StudentFactory(student_class=other_class, name="王五")
    school_union = f.UnionFactory(university=university, name="示范大学学生会", level=Union.Level.SCHOOL)
    union_a = f.UnionFactory(university=university, name="计算机学院学生会", level=Union.Level.COLLEGE,
                             college=college_a)
    union_b = f.UnionFactory(university=university, name="外国语学院学生会", level=Union.Level.COLLEGE,
                             college=college_b)
    other_union = f.UnionFactory(university=other_university, name="别校学生会", level=Union.Level.SCHOOL)
    for union in (school_union, union_a, union_b, other_union):
        f.TermFactory(union=union, number=1)
    term_a = union_a.current_term()
    cadre_a = f.MembershipFactory(term=term_a, position=Position.PRESIDENT,
                                  student=f.StudentFactory(student_class=class_a, name="赵六")).student
    officer_a = f.MembershipFactory(term=term_a, position=Position.OFFICER,
                                    student=f.StudentFactory(student_class=class_a, name="孙七")).student
    school_cadre = f.MembershipFactory(term=school_union.current_term(), position=Position.PRESIDENT,
                                       student=f.StudentFactory(student_class=class_b, name="周八")).student
    class_rep_a = f.StudentFactory(student_class=class_a, name="吴九").user
    f.RoleAssignmentFactory(user=class_rep_a, role=Role.CLASS_REPRESENTATIVE, student_class=class_a)

    def staff(role, login_id, college=None, univ=university):
        user = f.UserFactory(university=univ, login_id=login_id, full_name=f"{login_id}老师")
        f.RoleAssignmentFactory(user=user, university=univ, role=role, college=college)
        return user

    fed_admin = f.UserFactory(university=None, login_id="fed", full_name="联合会管理员")
    f.RoleAssignmentFactory(user=fed_admin, university=None, role=Role.FEDERATION_ADMIN)
    return World(
        university=university, other_university=other_university, college_a=college_a, college_b=college_b,
        other_college=other_college, school_union=school_union, union_a=union_a, union_b=union_b,
        other_union=other_union, student_a=student_a, student_b=student_b, other_student=other_student,
        cadre_a=cadre_a, officer_a=officer_a, school_cadre=school_cadre, class_rep_a=class_rep_a,
        league_school=staff(Role.LEAGUE_TEACHER, "T1001"), league_a=staff(Role.LEAGUE_TEACHER, "T1002", college_a),
        party=staff(Role.PARTY_APPROVER, "T1003"), univ_admin=staff(Role.UNIVERSITY_ADMIN, "A1001"),
        fed_admin=fed_admin, other_admin=staff(Role.UNIVERSITY_ADMIN, "A2001", univ=other_university),
    )


@pytest.fixture
def world(db) -> World:
    return _build_world()
