"""Searching students by 学号 prefix, name, or pinyin (full or initials)."""
import pytest
from django.urls import reverse

from tests import factories as f
from tongxue.core.models import Student, name_search_key

pytestmark = pytest.mark.django_db


def names(client, query):
    response = client.get(reverse("students:list"), {"q": query})
    return {s.name for s in response.context["page"]}


def test_search_key_holds_full_pinyin_and_initials():
    assert name_search_key("张三") == "zhangsan zs"
    assert name_search_key("阿依古丽·买买提").startswith("ayigulimaimaiti ")


def test_search_by_number_prefix_name_and_pinyin(client, world):
    f.StudentFactory(student_class=world.student_a.student_class, name="欧阳奡", student_no="2025000777")
    client.force_login(world.league_school)
    assert names(client, "202500077") == {"欧阳奡"}
    assert names(client, "欧阳") == {"欧阳奡"}
    assert names(client, "ouyang") == {"欧阳奡"}
    assert names(client, "oya") == {"欧阳奡"}
    assert "张三" in names(client, "ZhangSan")


def test_search_stays_within_scope(client, world):
    client.force_login(world.cadre_a.user)
    assert names(client, "lisi") == set()  # 李四 is in another college


def test_renaming_updates_the_search_key(world):
    student = world.student_a
    student.name = "张珊珊"
    student.save()
    assert Student.objects.get(pk=student.pk).name_pinyin == "zhangshanshan zss"
