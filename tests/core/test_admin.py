"""Django admin: administrators only, each within their own university, no privilege escalation."""
import pytest

from tongxue.core.models import Student

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, world):
    world.univ_admin.is_staff = True
    world.univ_admin.save()
    client.force_login(world.univ_admin)
    return client


def test_university_admin_sees_only_their_university(admin_client, world):
    content = admin_client.get("/admin/core/student/").content.decode()
    assert world.student_a.student_no in content and world.other_student.student_no not in content
    assert admin_client.get(f"/admin/core/student/{world.other_student.pk}/change/").status_code == 302


def test_university_admin_cannot_create_superusers_or_federation_roles(admin_client, world):
    content = admin_client.get(f"/admin/core/user/{world.student_a.user.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in content
    assert 'value="fed_admin"' not in content


def test_university_admin_edits_a_student_of_their_university(admin_client, world):
    page = admin_client.get(f"/admin/core/student/{world.student_a.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["name"] = "张三丰"
    response = admin_client.post(f"/admin/core/student/{world.student_a.pk}/change/", data)
    assert response.status_code == 302
    assert Student.objects.get(pk=world.student_a.pk).name == "张三丰"


def test_staff_flag_alone_does_not_open_the_admin(client, world):
    teacher = world.league_school
    teacher.is_staff = True
    teacher.save()
    client.force_login(teacher)
    assert "core/student" not in client.get("/admin/").content.decode()
