"""Union pages: structure by term, history, exports and the leaders' edits."""
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories as f
from tongxue.unions.models import Department, Position

pytestmark = pytest.mark.django_db


def test_structure_shows_presidium_and_departments_of_the_current_term(client, world):
    client.force_login(world.student_a.user)
    content = client.get(reverse("unions:detail", args=[world.union_a.pk])).content.decode()
    assert "赵六" in content and "孙七" in content


def test_earlier_terms_stay_as_history(client, world):
    term = world.union_a.current_term()
    term.is_current = False
    term.end_date = datetime.date(2027, 6, 30)
    term.save()
    new_term = f.TermFactory(union=world.union_a, number=2, start_date=datetime.date(2027, 7, 1))
    f.MembershipFactory(term=new_term, position=Position.PRESIDENT, student=f.StudentFactory(
        student_class=world.student_a.student_class, name="郑十"))
    client.force_login(world.student_a.user)
    current = client.get(reverse("unions:detail", args=[world.union_a.pk])).content.decode()
    assert "郑十" in current and "赵六" not in current
    old = client.get(reverse("unions:term", args=[world.union_a.pk, 1])).content.decode()
    assert "赵六" in old and "郑十" not in old


def test_union_list_exports_to_xlsx_in_scope(client, world):
    client.force_login(world.univ_admin)
    response = client.get(reverse("unions:list") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"示范大学学生会", "计算机学院学生会", "外国语学院学生会"}


def test_president_adds_a_department_to_the_current_term(client, world):
    client.force_login(world.cadre_a.user)
    response = client.post(reverse("unions:department_create", args=[world.union_a.pk]),
                           {"name": "权益服务部", "description": "", "order": 3})
    assert response.status_code == 302
    assert Department.objects.filter(term=world.union_a.current_term(), name="权益服务部").exists()


def test_duplicate_department_name_is_refused_with_a_message(client, world):
    client.force_login(world.cadre_a.user)
    existing = world.union_a.current_term().departments.first().name
    response = client.post(reverse("unions:department_create", args=[world.union_a.pk]),
                           {"name": existing, "description": "", "order": 0})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Department.objects.filter(term=world.union_a.current_term(), name=existing).count() == 1


def test_officer_cannot_add_a_department(client, world):
    client.force_login(world.officer_a.user)
    response = client.post(reverse("unions:department_create", args=[world.union_a.pk]), {"name": "新部", "order": 0})
    assert response.status_code == 403
    assert not Department.objects.filter(name="新部").exists()
