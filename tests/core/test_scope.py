import pytest

from tongxue.core.models import Student
from tongxue.core.scope import compute_scope

pytestmark = pytest.mark.django_db


def visible_students(user):
    return set(Student.objects.visible_to(user).values_list("name", flat=True))


def test_student_sees_only_themselves(world):
    assert visible_students(world.student_a.user) == {"张三"}


def test_college_cadre_sees_their_college_only(world):
    names = visible_students(world.cadre_a.user)
    assert "张三" in names and "李四" not in names and "王五" not in names


def test_college_league_teacher_sees_their_college_only(world):
    names = visible_students(world.league_a)
    assert "张三" in names and "李四" not in names


def test_school_wide_roles_see_the_university_not_the_other(world):
    for user in (world.league_school, world.party, world.univ_admin, world.school_cadre.user):
        names = visible_students(user)
        assert {"张三", "李四"} <= names and "王五" not in names


def test_federation_admin_sees_every_university(world):
    assert {"张三", "李四", "王五"} <= visible_students(world.fed_admin)


def test_class_rep_sees_their_class(world):
    names = visible_students(world.class_rep_a)
    assert "张三" in names and "李四" not in names


def test_officer_cannot_manage_but_president_can(world):
    assert world.union_a.pk not in compute_scope(world.officer_a.user).managed_union_ids
    assert world.union_a.pk in compute_scope(world.cadre_a.user).managed_union_ids
