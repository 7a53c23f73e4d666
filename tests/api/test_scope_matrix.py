"""The API's scope matrix: every role of the `world` (plus anonymous) × every endpoint.

Lists contain exactly the objects of the account's scope, details outside it answer 404,
writes are allowed to the union's leaders and League teachers only, and every 403 leaves an
AccessEvent.
"""
import pytest
from rest_framework.test import APIClient

from tongxue.core.models import AccessEvent, Campus, College, Major, Student, StudentClass, University
from tongxue.unions.models import Association, Department, Membership, Position, Term, Union

from .. import factories as f

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "student", "class_rep", "cadre", "officer", "school_cadre", "league_school",
         "league_college", "party", "univ_admin", "fed_admin", "other_admin"]

# Which universities each role reaches ("demo" is the world's university, "other" the other one).
UNIVERSITIES = {role: {"demo"} for role in ROLES}
UNIVERSITIES.update(anonymous=set(), fed_admin={"demo", "other"}, other_admin={"other"})

COLLEGE_A = {"张三", "赵六", "孙七", "吴九"}
DEMO_STUDENTS = COLLEGE_A | {"李四", "周八"}
STUDENTS = {
    "anonymous": set(), "student": {"张三"}, "class_rep": COLLEGE_A, "cadre": COLLEGE_A, "officer": COLLEGE_A,
    "school_cadre": DEMO_STUDENTS, "league_school": DEMO_STUDENTS, "league_college": COLLEGE_A,
    "party": DEMO_STUDENTS, "univ_admin": DEMO_STUDENTS, "fed_admin": DEMO_STUDENTS | {"王五"},
    "other_admin": {"王五"},
}

# endpoint → model whose visibility is the university's
TENANT_ENDPOINTS = {
    "universities": University, "campuses": Campus, "colleges": College, "majors": Major,
    "classes": StudentClass, "unions": Union, "terms": Term, "departments": Department,
    "memberships": Membership, "associations": Association,
}
ENDPOINTS = [*TENANT_ENDPOINTS, "students"]


@pytest.fixture
def world(world):
    for university in (world.university, world.other_university):
        f.AssociationFactory(university=university, name=f"{university.code}书法社")
    return world


def client_for(world, role) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(world.accounts()[role])
    return client


def expected_ids(role, endpoint) -> set[int]:
    codes = UNIVERSITIES[role]
    if endpoint == "students":
        return set(Student.objects.filter(name__in=STUDENTS[role]).values_list("pk", flat=True))
    model = TENANT_ENDPOINTS[endpoint]
    lookup = "code__in" if model is University else "university__code__in"
    return set(model._default_manager.filter(**{lookup: codes}).values_list("pk", flat=True))


def all_ids(endpoint) -> set[int]:
    model = Student if endpoint == "students" else TENANT_ENDPOINTS[endpoint]
    return set(model._default_manager.values_list("pk", flat=True))


def refusals(user=None) -> int:
    return AccessEvent.objects.filter(actor=user).count()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_list_shows_exactly_the_scope(world, role, endpoint):
    client = client_for(world, role)
    response = client.get(f"/api/v1/{endpoint}/")
    if role == "anonymous":
        assert response.status_code in (401, 403)
        if response.status_code == 403:
            assert AccessEvent.objects.filter(actor=None, path=f"/api/v1/{endpoint}/").exists()
        return
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["results"])
    assert {item["id"] for item in body["results"]} == expected_ids(role, endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_detail_outside_the_scope_is_404(world, role, endpoint):
    client = client_for(world, role)
    visible = expected_ids(role, endpoint)
    for pk in all_ids(endpoint):
        response = client.get(f"/api/v1/{endpoint}/{pk}/")
        if role == "anonymous":
            assert response.status_code in (401, 403)
        else:
            assert response.status_code == (200 if pk in visible else 404), (endpoint, pk)


@pytest.mark.parametrize("role", ROLES)
def test_me(world, role):
    response = client_for(world, role).get("/api/v1/me/")
    if role == "anonymous":
        assert response.status_code in (401, 403)
        return
    assert response.status_code == 200
    user = world.accounts()[role]
    body = response.json()
    assert body["id"] == user.pk
    assert body["scope"]["all_universities"] is (role == "fed_admin")
    assert body["scope"]["can_read_students"] is (role != "student")


def test_student_fields_are_the_allowlist(world):
    body = client_for(world, "univ_admin").get(f"/api/v1/students/{world.student_a.pk}/").json()
    assert set(body) == {
        "id", "university", "student_no", "name", "gender", "ethnicity", "political_status", "degree_level",
        "college", "major", "student_class", "enrolment_year", "is_enrolled", "phone",
    }


@pytest.mark.parametrize(("role", "full"), [
    ("student", True),          # their own number
    ("class_rep", False), ("cadre", False), ("officer", False), ("school_cadre", False),
    ("league_college", True), ("league_school", True), ("party", True), ("univ_admin", True), ("fed_admin", True),
])
def test_phone_is_masked_unless_the_account_sees_contacts(world, role, full):
    student = world.student_a
    body = client_for(world, role).get(f"/api/v1/students/{student.pk}/").json()
    assert body["phone"] == (student.phone if full else student.masked_phone)
    assert "*" in student.masked_phone


def test_student_filters(world):
    client = client_for(world, "univ_admin")
    names = lambda query: {s["name"] for s in client.get(f"/api/v1/students/?{query}").json()["results"]}  # noqa: E731
    assert names(f"college={world.college_b.pk}") == {"李四", "周八"}
    assert names(f"college={world.other_college.pk}") == set()
    assert names("q=张") == {"张三"}
    assert names(f"q={world.student_b.student_no}") == {"李四"}
    assert names("grade=2024") == DEMO_STUDENTS
    assert names("grade=2019") == set()


def test_union_level_filter(world):
    client = client_for(world, "univ_admin")
    names = {u["name"] for u in client.get("/api/v1/unions/?level=college").json()["results"]}
    assert names == {"计算机学院学生会", "外国语学院学生会"}
    union = client.get(f"/api/v1/unions/{world.union_a.pk}/").json()
    assert union["current_term"]["number"] == 1 and union["current_term"]["staff"] == 2


# Writes ---------------------------------------------------------------------------------

WRITE_STATUS = {
    "anonymous": 403, "student": 403, "class_rep": 403, "cadre": 200, "officer": 403, "school_cadre": 403,
    "league_school": 200, "league_college": 200, "party": 403, "univ_admin": 200, "fed_admin": 200,
    "other_admin": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_patch_union(world, role):
    client = client_for(world, role)
    user = world.accounts().get(role)
    before = refusals(user)
    response = client.patch(f"/api/v1/unions/{world.union_a.pk}/", {"declared_duties": "服务同学"}, format="json")
    expected = WRITE_STATUS[role]
    assert response.status_code in ((401, 403) if expected == 403 else (expected,))
    world.union_a.refresh_from_db()
    assert (world.union_a.declared_duties == "服务同学") is (expected == 200)
    if expected == 200:
        assert response.json()["declared_duties"] == "服务同学"
        assert world.union_a.name == "计算机学院学生会"
    if response.status_code == 403:
        assert refusals(user) == before + 1
        assert AccessEvent.objects.filter(actor=user, method="PATCH",
                                          path=f"/api/v1/unions/{world.union_a.pk}/").exists()


@pytest.mark.parametrize("role", ROLES)
def test_add_department(world, role):
    client = client_for(world, role)
    user = world.accounts().get(role)
    before = refusals(user)
    response = client.post(f"/api/v1/unions/{world.union_a.pk}/departments/",
                           {"name": "权益部", "description": "维护同学权益"}, format="json")
    expected = 201 if WRITE_STATUS[role] == 200 else WRITE_STATUS[role]
    assert response.status_code in ((401, 403) if expected == 403 else (expected,))
    created = Department.objects.filter(term=world.union_a.current_term(), name="权益部").exists()
    assert created is (expected == 201)
    if response.status_code == 403:
        assert refusals(user) == before + 1


def test_president_of_another_college_union_is_refused(world):
    president_b = f.MembershipFactory(
        term=world.union_b.current_term(), position=Position.PRESIDENT,
        student=f.StudentFactory(student_class=world.student_b.student_class, name="郑十"),
    ).student.user
    client = APIClient()
    client.force_authenticate(president_b)
    response = client.patch(f"/api/v1/unions/{world.union_a.pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 403
    assert refusals(president_b) == 1
    # …and manages their own union.
    response = client.patch(f"/api/v1/unions/{world.union_b.pk}/", {"name": "外国语学院学生会（新）"}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "外国语学院学生会（新）"


def test_write_validation(world):
    client = client_for(world, "cadre")
    response = client.patch(f"/api/v1/unions/{world.union_a.pk}/", {"name": "外国语学院学生会"}, format="json")
    assert response.status_code == 400 and "name" in response.json()
    url = f"/api/v1/unions/{world.union_a.pk}/departments/"
    assert client.post(url, {"name": "宣传部"}, format="json").status_code == 201
    assert client.post(url, {"name": "宣传部"}, format="json").status_code == 400
    assert client.put(f"/api/v1/unions/{world.union_a.pk}/", {"name": "x"}, format="json").status_code == 405


# Token login by 学号 ---------------------------------------------------------------------

def test_token_by_university_and_student_number(world):
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {
        "university": "demo", "login_id": world.student_a.student_no, "password": f.PASSWORD,
    }, format="json")
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/me/").json()["full_name"] == "张三"
    assert [s["name"] for s in client.get("/api/v1/students/").json()["results"]] == ["张三"]


def test_token_by_username(world):
    response = APIClient().post("/api/v1/auth/token/", {"username": "federation/fed", "password": f.PASSWORD})
    assert response.status_code == 200 and response.json()["token"]


@pytest.mark.parametrize("data", [
    {"university": "demo", "login_id": "T1001", "password": "wrong-password"},
    {"university": "other", "login_id": "T1001", "password": f.PASSWORD},   # T1001 is of the demo university
    {"login_id": "T1001", "password": f.PASSWORD},                           # two universities: code required
    {"password": f.PASSWORD},
])
def test_token_refused(world, data):
    response = APIClient().post("/api/v1/auth/token/", data, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_unknown_version_is_404(world):
    client = client_for(world, "univ_admin")
    assert client.get("/api/v2/students/").status_code == 404


def test_refusal_with_a_token_names_the_account(world):
    client = APIClient()
    token = client.post("/api/v1/auth/token/", {
        "university": "demo", "login_id": world.officer_a.student_no, "password": f.PASSWORD,
    }, format="json").json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.patch(f"/api/v1/unions/{world.union_a.pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 403
    event = AccessEvent.objects.get(actor=world.officer_a.user)
    assert event.university_id == world.university.pk and event.method == "PATCH"


@pytest.mark.parametrize(("role", "sees_it"), [
    ("student", False), ("cadre", False), ("league_college", False), ("school_cadre", True),
    ("league_school", True), ("univ_admin", True), ("fed_admin", True), ("other_admin", False),
])
def test_ended_positions_only_for_who_reads_the_student(world, role, sees_it):
    """The union pages list current holders; a dismissal shows only with the student's record."""
    ended = f.MembershipFactory(
        term=world.union_b.current_term(), student=world.student_b, end_date="2026-10-01",
        end_reason=Membership.EndReason.DISMISSAL,
    )
    client = client_for(world, role)
    ids = {m["id"] for m in client.get("/api/v1/memberships/").json()["results"]}
    assert (ended.pk in ids) is sees_it
    assert client.get(f"/api/v1/memberships/{ended.pk}/").status_code == (200 if sees_it else 404)
