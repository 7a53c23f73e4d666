"""Scope matrix of the handling pages: every account of the `world` plus two office staff × the
inbox, the page of each case and an action. Who sees which case, who gets 302/403/404, an
AccessEvent for every 403, and a hidden identity never shown to an office."""
from dataclasses import dataclass

import pytest
from django.http import HttpResponse

from tongxue.core.models import AccessEvent
from tongxue.rights import privacy, services, views_student
from tongxue.rights.models import Case, Category, CaseEvent, Level, RoutingRule

from .conftest import MONDAY
from .test_handling_pages import submit, transferred

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "student", "class_rep", "cadre", "officer", "school_cadre", "league_school", "league_college",
         "party", "univ_admin", "fed_admin", "other_admin", "office", "other_office"]
CASES = ["a", "class", "b", "office", "other"]

# the cases each role can act on (its inbox); None: no inbox (403)
INBOX = {
    "student": None, "party": None,
    "class_rep": {"class"},
    "cadre": {"a", "class", "office"}, "officer": {"a", "class", "office"},
    "school_cadre": set(),
    "league_school": {"a", "class", "b", "office"}, "league_college": {"a", "class", "office"},
    "univ_admin": {"a", "class", "b", "office"}, "fed_admin": set(CASES), "other_admin": {"other"},
    "office": {"office"}, "other_office": set(),
}
# cases the role sees without handling them: the student's own, and the Party approver's oversight
SEES_ONLY = {"student": {"a", "class", "office"}, "party": {"a", "class", "b", "office"}}


@dataclass
class Cases:
    by_key: dict

    def __getitem__(self, key) -> Case:
        return self.by_key[key]


@pytest.fixture
def cases(world, desk) -> Cases:
    canteen = Category.objects.get(university=world.university, code="canteen")
    RoutingRule.objects.create(university=world.university, category=canteen, level=Level.CLASS)
    other_dorm = Category.objects.get(university=world.other_university, code="dorm")
    return Cases({
        "a": submit(world, desk, title="计院宿舍停水", text="计院宿舍停水两天"),
        "class": submit(world, desk, title="班级食堂问题", text="食堂窗口太少", category=canteen),
        "b": submit(world, desk, world.student_b, title="外院宿舍漏水", text="外院宿舍屋顶漏水"),
        "office": transferred(world, desk, title="热水器坏了", text="热水器坏了一周"),
        "other": services.submit_case(world.other_student.user, category=other_dorm, title="别校的问题",
                                      description="别校宿舍没有空调", now=MONDAY).case,
    })


def account(world, desk, role):
    return {**world.accounts(), "office": desk.office_user, "other_office": desk.other_office_user}.get(role)


@pytest.fixture
def student_view(monkeypatch):
    """The student's page of a case belongs to another part; here it only has to be told apart."""
    monkeypatch.setattr(views_student, "case_detail_student",
                        lambda request, case: HttpResponse(f"student-view {case.reference}"))


@pytest.mark.parametrize("role", ROLES)
def test_inbox_scope(client, world, desk, cases, role):
    user = account(world, desk, role)
    if user is not None:
        client.force_login(user)
    response = client.get("/rights/")
    if role == "anonymous":
        assert response.status_code == 302 and "login" in response["Location"]
        return
    expected = INBOX[role]
    if expected is None:
        assert response.status_code == 403
        assert AccessEvent.objects.filter(actor=user, method="GET", path="/rights/").count() == 1
        return
    assert response.status_code == 200
    html = response.content.decode()
    shown = {key for key in CASES if f'data-case="{cases[key].reference}"' in html}
    assert shown == expected, role
    # the inbox is exactly what the permission functions allow
    for key in CASES:
        case = cases[key]
        allowed = Case.objects.visible_to(user).filter(pk=case.pk).exists() and (
            privacy.can_handle(user, case) or privacy.is_office_staff(user, case))
        assert allowed is (key in expected), (role, key)


@pytest.mark.parametrize("key", CASES)
@pytest.mark.parametrize("role", ROLES)
def test_case_page_scope(client, world, desk, cases, student_view, role, key):
    user = account(world, desk, role)
    if user is not None:
        client.force_login(user)
    case = cases[key]
    response = client.get(f"/rights/cases/{case.pk}/")
    if role == "anonymous":
        assert response.status_code == 302
        return
    html = response.content.decode()
    if key in (INBOX[role] or set()):
        assert response.status_code == 200 and 'data-testid="handling"' in html, (role, key)
    elif key in SEES_ONLY.get(role, set()):
        assert response.status_code == 200 and html == f"student-view {case.reference}", (role, key)
    else:
        assert response.status_code == 404, (role, key)
    if role in ("office", "other_office"):
        # a hidden identity never reaches an office, not even through the history
        assert "张三" not in html and world.student_a.student_no not in html


@pytest.mark.parametrize("role", ROLES)
def test_action_scope(client, world, desk, cases, role):
    """Accepting the college A case: handlers succeed, those who only see it get 403 (logged),
    everybody else 404; nothing changes unless allowed."""
    user = account(world, desk, role)
    if user is not None:
        client.force_login(user)
    case = cases["a"]
    path = f"/rights/cases/{case.pk}/accept/"
    response = client.post(path, {"accept-note": "收到"})
    case.refresh_from_db()
    if role == "anonymous":
        assert response.status_code == 302 and case.status == Case.Status.SUBMITTED
        return
    if "a" in (INBOX[role] or set()):
        assert response.status_code == 302 and case.status == Case.Status.ACCEPTED
        return
    if "a" in SEES_ONLY.get(role, set()):
        assert response.status_code == 403
        assert AccessEvent.objects.filter(actor=user, method="POST", path=path).count() == 1
    else:
        assert response.status_code == 404
    assert case.status == Case.Status.SUBMITTED
    assert not CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ACCEPTED).exists()


def test_office_staff_never_see_a_hidden_identity_anywhere(client, world, desk, cases):
    case = cases["office"]
    services.add_note(world.cadre_a.user, case, "学生希望尽快处理")
    client.force_login(desk.office_user)
    for path in ("/rights/", "/rights/?status=transferred", f"/rights/cases/{case.pk}/"):
        html = client.get(path).content.decode()
        assert "张三" not in html and world.student_a.student_no not in html, path
    html = client.get(f"/rights/cases/{case.pk}/").content.decode()
    assert "学生（身份已隐藏）" in html
    # the union's handler still sees who it is
    client.force_login(world.cadre_a.user)
    html = client.get(f"/rights/cases/{case.pk}/").content.decode()
    assert "张三" in html and world.student_a.student_no in html
