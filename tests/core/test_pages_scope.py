"""The pages' scope matrix: every role of the `world` (plus anonymous) × every page.

Each page answers the expected status (200, 302 to the login, 403 for a page the role may
not use, 404 for an object outside the scope), shows no one outside the scope, and every
403 leaves an AccessEvent. The .xlsx export holds exactly the students in scope.
"""
import io

import pytest
from openpyxl import load_workbook

from tongxue.core.models import AccessEvent, Role
from tongxue.unions.models import Department

from .. import factories as f

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "student", "class_rep", "cadre", "officer", "school_cadre", "league_school",
         "league_college", "party", "univ_admin", "fed_admin", "other_admin"]
STUDENT_ROLES = {"student", "class_rep", "cadre", "officer", "school_cadre"}
DEMO_ROLES = set(ROLES) - {"anonymous", "fed_admin", "other_admin"}

COLLEGE_A = {"张三", "赵六", "孙七", "吴九"}
DEMO_STUDENTS = COLLEGE_A | {"李四", "周八"}
ALL_STUDENTS = DEMO_STUDENTS | {"王五"}
CADRES = {"赵六", "孙七", "周八"}   # holders of union positions: named on union pages university-wide
STUDENTS = {
    "anonymous": set(), "student": {"张三"}, "class_rep": COLLEGE_A, "cadre": COLLEGE_A, "officer": COLLEGE_A,
    "school_cadre": DEMO_STUDENTS, "league_school": DEMO_STUDENTS, "league_college": COLLEGE_A,
    "party": DEMO_STUDENTS, "univ_admin": DEMO_STUDENTS, "fed_admin": ALL_STUDENTS, "other_admin": {"王五"},
}
MANAGERS_OF_UNION_A = {"cadre", "league_school", "league_college", "univ_admin", "fed_admin"}
AUDITORS = {"league_school", "league_college", "univ_admin", "fed_admin", "other_admin"}
ROSTER_KEEPERS = {"league_school", "univ_admin", "fed_admin", "other_admin"}
DEMO_MARKERS = {"示范大学", "计算机学院", "外国语学院"}
OTHER_MARKERS = {"另一所大学", "别校学院", "别校学生会"}


def forbidden_text(role) -> set[str]:
    """Names and organisations the role's pages must never show."""
    if role == "anonymous":
        return ALL_STUDENTS | DEMO_MARKERS | OTHER_MARKERS
    hidden = ALL_STUDENTS - STUDENTS[role]
    if role in DEMO_ROLES:
        return (hidden - CADRES) | OTHER_MARKERS
    if role == "other_admin":
        return hidden | DEMO_MARKERS
    return hidden - CADRES


def status_for(role, page) -> int:
    if role == "anonymous":
        return 302
    in_demo = role != "other_admin"
    in_other = role in {"other_admin", "fed_admin"}
    manager = role in MANAGERS_OF_UNION_A
    return {
        "home": 200,
        "me": 200 if role in STUDENT_ROLES else 403,
        "org": 200,
        "college_a": 200 if in_demo else 404,
        "other_college": 200 if in_other else 404,
        "students": 403 if role == "student" else 200,
        "export": 403 if role == "student" else 200,
        "unions": 200,
        "union_a": 200 if in_demo else 404,
        "other_union": 200 if in_other else 404,
        "union_a_edit": (200 if manager else 403) if in_demo else 404,
        "union_a_edit_post": (302 if manager else 403) if in_demo else 404,
        "union_a_department_post": (302 if manager else 403) if in_demo else 404,
        "associations": 200,
        "audit": 200 if role in AUDITORS else 403,
        "import": 200 if role in ROSTER_KEEPERS else 403,
        "admin": 302,  # none of the world's accounts is staff
    }[page]


def request_page(client, world, page):
    union_a = world.union_a.pk
    get = {
        "home": "/", "me": "/me/", "org": "/org/", "college_a": f"/org/colleges/{world.college_a.pk}/",
        "other_college": f"/org/colleges/{world.other_college.pk}/", "students": "/students/",
        "export": "/students/export.xlsx", "unions": "/unions/", "union_a": f"/unions/{union_a}/",
        "other_union": f"/unions/{world.other_union.pk}/", "union_a_edit": f"/unions/{union_a}/edit/",
        "associations": "/unions/associations/", "audit": "/audit/", "import": "/students/import/",
        "admin": "/admin/",
    }
    post = {
        "union_a_edit_post": (f"/unions/{union_a}/edit/", {"name": "计算机学院学生会", "declared_duties": "服务同学"}),
        "union_a_department_post": (f"/unions/{union_a}/departments/new/",
                                    {"name": "权益部", "description": "", "order": "0"}),
    }
    if page in get:
        return "GET", get[page], client.get(get[page])
    path, data = post[page]
    return "POST", path, client.post(path, data)


PAGES = ["home", "me", "org", "college_a", "other_college", "students", "export", "unions", "union_a",
         "other_union", "union_a_edit", "union_a_edit_post", "union_a_department_post", "associations", "audit",
         "import", "admin"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_page_status_and_content(client, world, role, page):
    user = world.accounts().get(role)
    if user is not None:
        client.force_login(user)
    method, path, response = request_page(client, world, page)
    expected = status_for(role, page)
    assert response.status_code == expected, (role, page)
    if expected == 302 and role == "anonymous":
        assert "login" in response["Location"]
    if expected == 403:
        assert AccessEvent.objects.filter(actor=user, method=method, path=path).count() == 1
    if page != "export":
        content = response.content.decode()
        for text in forbidden_text(role):
            assert text not in content, (role, page, text)
    if page == "union_a_edit_post":
        world.union_a.refresh_from_db()
        assert (world.union_a.declared_duties == "服务同学") is (role in MANAGERS_OF_UNION_A)
    if page == "union_a_department_post":
        created = Department.objects.filter(term=world.union_a.current_term(), name="权益部").exists()
        assert created is (role in MANAGERS_OF_UNION_A)


@pytest.mark.parametrize("role", sorted(set(ROLES) - {"anonymous", "student"}))
def test_export_holds_only_students_in_scope(client, world, role):
    client.force_login(world.accounts()[role])
    response = client.get("/students/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("学号", "姓名")
    assert {row[1] for row in rows[1:]} == STUDENTS[role]


@pytest.mark.parametrize("role", sorted(set(ROLES) - {"anonymous", "student"}))
def test_student_list_shows_only_students_in_scope(client, world, role):
    client.force_login(world.accounts()[role])
    content = client.get("/students/").content.decode()
    for name in ALL_STUDENTS:
        assert (name in content) is (name in STUDENTS[role]), (role, name)


@pytest.mark.parametrize("role", sorted(set(ROLES) - {"anonymous"}))
def test_student_detail_outside_the_scope_is_404(client, world, role):
    client.force_login(world.accounts()[role])
    for student in (world.student_a, world.student_b, world.other_student, world.cadre_a, world.school_cadre):
        response = client.get(f"/students/{student.pk}/")
        assert response.status_code == (200 if student.name in STUDENTS[role] else 404), (role, student.name)


def test_export_masks_phones_for_cadres(client, world):
    client.force_login(world.cadre_a.user)
    workbook = load_workbook(io.BytesIO(client.get("/students/export.xlsx").content), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    phones = {row[1]: row[-1] for row in rows[1:]}
    assert phones["张三"] == world.student_a.masked_phone


def test_college_party_approver_cannot_manage_the_college_union(client, world):
    """Only League teachers guide unions; a Party approver of one college is no more a manager
    of that college's union than a school-wide one is of any union."""
    party_a = f.UserFactory(university=world.university, login_id="T1004")
    f.RoleAssignmentFactory(user=party_a, university=world.university, role=Role.PARTY_APPROVER,
                            college=world.college_a)
    client.force_login(party_a)
    assert client.get(f"/unions/{world.union_a.pk}/").status_code == 200
    assert client.get(f"/unions/{world.union_a.pk}/edit/").status_code == 403
    assert client.post(f"/unions/{world.union_a.pk}/departments/new/", {"name": "权益部", "order": "0"}).status_code == 403
    assert not Department.objects.filter(name="权益部").exists()
