"""factory-boy factories for the organisation, people and unions."""
import datetime

import factory
from django.contrib.auth.hashers import make_password

from tongxue.core.models import (
    AcademicRecord, Campus, College, DegreeLevel, Gender, Major, PoliticalStatus, Role, RoleAssignment, Student, StudentClass,
    University, User,
)
from tongxue.unions.models import Association, Department, Membership, Position, Term, Union

PASSWORD = "tongxue-test-1"
_PASSWORD_HASH = None


def password_hash() -> str:
    """Hash the test password once: Argon2 is deliberately slow."""
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = make_password(PASSWORD)
    return _PASSWORD_HASH


class UniversityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = University

    name = factory.Sequence(lambda n: f"测试大学{n}")
    code = factory.Sequence(lambda n: f"u{n}")


class CampusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campus

    university = factory.SubFactory(UniversityFactory)
    name = factory.Sequence(lambda n: f"校区{n}")
    code = factory.Sequence(lambda n: f"c{n}")


class CollegeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = College

    campus = factory.SubFactory(CampusFactory)
    university = factory.SelfAttribute("campus.university")
    name = factory.Sequence(lambda n: f"学院{n}")
    code = factory.Sequence(lambda n: f"{n:03d}")


class MajorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Major

    college = factory.SubFactory(CollegeFactory)
    university = factory.SelfAttribute("college.university")
    name = factory.Sequence(lambda n: f"专业{n}")
    code = factory.Sequence(lambda n: f"m{n:04d}")


class StudentClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentClass

    major = factory.SubFactory(MajorFactory)
    college = factory.SelfAttribute("major.college")
    university = factory.SelfAttribute("major.university")
    grade = 2024
    name = factory.Sequence(lambda n: f"班级{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    university = factory.SubFactory(UniversityFactory)
    login_id = factory.Sequence(lambda n: f"T{n:06d}")
    full_name = factory.Sequence(lambda n: f"教师{n}")
    password = factory.LazyFunction(password_hash)


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    student_class = factory.SubFactory(StudentClassFactory)
    major = factory.SelfAttribute("student_class.major")
    college = factory.SelfAttribute("student_class.college")
    university = factory.SelfAttribute("student_class.university")
    student_no = factory.Sequence(lambda n: f"2024{n:06d}")
    name = factory.Sequence(lambda n: f"学生{n}")
    gender = Gender.FEMALE
    ethnicity = "01"
    political_status = PoliticalStatus.LEAGUE_MEMBER
    degree_level = DegreeLevel.UNDERGRADUATE
    enrolment_year = 2024
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    user = factory.LazyAttribute(
        lambda o: User.objects.create(
            university=o.university, login_id=o.student_no, full_name=o.name, password=password_hash()
        )
    )


class UnionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Union

    university = factory.SubFactory(UniversityFactory)
    name = factory.Sequence(lambda n: f"学生会{n}")
    level = Union.Level.SCHOOL


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    union = factory.SubFactory(UnionFactory)
    university = factory.SelfAttribute("union.university")
    number = factory.Sequence(lambda n: n + 1)
    start_date = datetime.date(2026, 9, 1)
    is_current = True


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    term = factory.SubFactory(TermFactory)
    university = factory.SelfAttribute("term.university")
    name = factory.Sequence(lambda n: f"部门{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    term = factory.SubFactory(TermFactory)
    university = factory.SelfAttribute("term.university")
    student = factory.SubFactory(StudentFactory)
    position = Position.OFFICER
    department = factory.LazyAttribute(
        lambda o: None if o.position in Position.presidium() else DepartmentFactory(term=o.term)
    )
    start_date = datetime.date(2026, 9, 1)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    university = factory.SelfAttribute("user.university")
    role = Role.LEAGUE_TEACHER


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    university = factory.SubFactory(UniversityFactory)
    name = factory.Sequence(lambda n: f"社团{n}")


class AcademicRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AcademicRecord

    student = factory.SubFactory(StudentFactory)
    university = factory.SelfAttribute("student.university")
    period = AcademicRecord.Period.TERM
    label = "2025-2026-2"
    rank = 5
    major_size = 100
    failed_courses = 0
    imported_at = factory.LazyFunction(lambda: datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC))
