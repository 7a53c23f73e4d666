"""The rights-desk API (/api/v1/rights/…): the scope per role, the identity rules (a hidden or
anonymous case never shows the student's name or 学号 to an office, the public or a Party approver),
the double submit, the handling flow through the services, and refusals (403 + AccessEvent)."""
import io
import json
from dataclasses import dataclass

import pytest
from PIL import Image
from rest_framework.test import APIClient

from tongxue.core.models import AccessEvent
from tongxue.rights import services
from tongxue.rights.models import Case, CaseSupporter, Office

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "student", "class_rep", "cadre", "officer", "school_cadre", "league_school",
         "league_college", "party", "univ_admin", "fed_admin", "other_admin", "office", "other_office"]


@dataclass
class Cases:
    hidden: Case      # 张三 (college A), identity hidden, transferred to 后勤
    named: Case       # 李四 (college B), named
    anon: Case        # 张三, fully anonymous
    other: Case       # a student of the other university
    anon_token: str


def submit(student, identity, title, text, category):
    return services.submit_case(student.user, category=category, title=title, description=text, place="3号楼",
                                identity=identity)


@pytest.fixture
def cases(world, desk) -> Cases:
    hidden = submit(world.student_a, Case.Identity.HIDDEN, "宿舍没有热水", "3号楼热水器坏了三天", desk.dorm).case
    services.accept_case(world.cadre_a.user, hidden)
    services.transfer_case(world.cadre_a.user, hidden, desk.logistics, note="请后勤处理")
    named = submit(world.student_b, Case.Identity.NAMED, "食堂价格上涨", "二食堂套餐涨了两块", desk.dorm).case
    anon = submit(world.student_a, Case.Identity.ANONYMOUS, "楼道灯不亮", "5号楼三层楼道灯坏了", desk.dorm)
    from tongxue.rights.models import Category

    other = submit(world.other_student, Case.Identity.NAMED, "图书馆太吵", "自习室有人打电话",
                   Category.objects.get(university=world.other_university, code="dorm")).case
    return Cases(Case.objects.get(pk=hidden.pk), named, anon.case, other, anon.follow_token)


def accounts(world, desk):
    return {**world.accounts(), "office": desk.office_user, "other_office": desk.other_office_user}


def client_for(world, desk, role) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(accounts(world, desk)[role])
    return client


VISIBLE = {
    "anonymous": set(), "student": {"hidden"}, "class_rep": set(), "cadre": {"hidden", "anon"},
    "officer": {"hidden", "anon"}, "school_cadre": set(), "league_school": {"hidden", "named", "anon"},
    "league_college": {"hidden", "anon"}, "party": {"hidden", "named", "anon"},
    "univ_admin": {"hidden", "named", "anon"}, "fed_admin": {"hidden", "named", "anon", "other"},
    "other_admin": {"other"}, "office": {"hidden"}, "other_office": set(),
}
# who sees 张三 behind the hidden case: the submitter and those who handle it for the union
SEES_HIDDEN_SUBMITTER = {"student", "cadre", "officer", "league_school", "league_college", "univ_admin",
                         "fed_admin"}


def ids(cases, names):
    return {getattr(cases, name).pk for name in names}


@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail_are_the_scope(world, desk, cases, role):
    client = client_for(world, desk, role)
    response = client.get("/api/v1/rights/cases/")
    if role == "anonymous":
        assert response.status_code in (401, 403)
        return
    assert response.status_code == 200
    assert {c["id"] for c in response.json()["results"]} == ids(cases, VISIBLE[role])
    for name in ("hidden", "named", "anon", "other"):
        detail = client.get(f"/api/v1/rights/cases/{getattr(cases, name).pk}/")
        assert detail.status_code == (200 if name in VISIBLE[role] else 404), name


@pytest.mark.parametrize("role", sorted({r for r, seen in VISIBLE.items() if "hidden" in seen}))
def test_hidden_identity_only_for_the_student_and_the_handlers(world, desk, cases, role):
    client = client_for(world, desk, role)
    student = world.student_a
    detail = client.get(f"/api/v1/rights/cases/{cases.hidden.pk}/")
    listing = client.get("/api/v1/rights/cases/")
    if role in SEES_HIDDEN_SUBMITTER:
        assert detail.json()["submitter"] == {"name": "张三", "student_no": student.student_no,
                                              "college": "计算机学院"}
        # the student's own "submitted" step names them too
        assert [e["actor"] for e in detail.json()["events"]][0] == "张三"
    else:
        assert detail.json()["submitter"] is None
        for text in (detail.content.decode(), listing.content.decode()):
            assert "张三" not in text and student.student_no not in text
        assert detail.json()["events"][0]["actor"] is None


@pytest.mark.parametrize("role", ["cadre", "league_school", "univ_admin", "fed_admin", "party"])
def test_anonymous_case_names_nobody(world, desk, cases, role):
    response = client_for(world, desk, role).get(f"/api/v1/rights/cases/{cases.anon.pk}/")
    assert response.status_code == 200
    assert response.json()["submitter"] is None
    assert "张三" not in response.content.decode() and world.student_a.student_no not in response.content.decode()
    assert all(e["actor"] is None for e in response.json()["events"])


def test_named_case_shows_the_name_but_not_the_number_to_whom_does_not_handle(world, desk, cases):
    body = client_for(world, desk, "party").get(f"/api/v1/rights/cases/{cases.named.pk}/").content.decode()
    assert "李四" in body and world.student_b.student_no not in body
    admin = client_for(world, desk, "univ_admin").get(f"/api/v1/rights/cases/{cases.named.pk}/").json()
    assert admin["submitter"]["student_no"] == world.student_b.student_no


def test_filters(world, desk, cases):
    admin = client_for(world, desk, "univ_admin")
    def listed(query):
        return {c["id"] for c in admin.get(f"/api/v1/rights/cases/?{query}").json()["results"]}

    assert listed("status=transferred") == {cases.hidden.pk}
    assert listed("status=open") == ids(cases, {"hidden", "named", "anon"})
    assert listed("status=answered") == set()
    assert listed("mine=1") == set()   # an administrator submits nothing
    student = client_for(world, desk, "student")
    assert {c["id"] for c in student.get("/api/v1/rights/cases/?mine=1").json()["results"]} == {cases.hidden.pk}


# Intake ---------------------------------------------------------------------------------

def png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "PNG")
    out.seek(0)
    out.name = "photo.png"
    return out


def test_submit_with_photos_and_double_submit_gives_one_case(world, desk):
    client = client_for(world, desk, "student")
    data = {"category": desk.dorm.pk, "title": "空调不制冷", "description": "7号楼402空调不制冷一周了",
            "identity": "hidden", "photos_public": "true"}
    first = client.post("/api/v1/rights/cases/", {**data, "photos": [png(), png()]}, format="multipart")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["status"] == "submitted" and body["follow_token"] == "" and len(body["photos"]) == 2
    assert body["submitter"]["name"] == "张三" and body["permissions"]["is_submitter"]
    again = client.post("/api/v1/rights/cases/", {**data, "photos": [png(), png()]}, format="multipart")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Case.objects.count() == 1
    # the photo is served to the student, not to another student
    photo_url = body["photos"][0]["url"]
    response = client.get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert client_for(world, desk, "school_cadre").get(photo_url).status_code == 404


def test_more_than_three_photos_is_refused_with_the_reason(world, desk):
    client = client_for(world, desk, "student")
    response = client.post("/api/v1/rights/cases/", {
        "category": desk.dorm.pk, "title": "空调不制冷", "description": "7号楼402空调不制冷",
        "photos": [png() for _ in range(4)]}, format="multipart")
    assert response.status_code == 400 and response.json()["non_field_errors"]
    assert not Case.objects.exists()


def test_anonymous_submit_returns_the_token_once_and_it_follows_and_rates(world, desk):
    client = client_for(world, desk, "student")
    data = {"category": desk.dorm.pk, "title": "宿舍漏水", "description": "9号楼顶楼漏水", "identity": "anonymous"}
    first = client.post("/api/v1/rights/cases/", data, format="json")
    assert first.status_code == 201
    token, pk = first.json()["follow_token"], first.json()["id"]
    assert token and first.json()["submitter"] is None
    assert Case.objects.get(pk=pk).submitter is None
    again = client.post("/api/v1/rights/cases/", data, format="json")
    assert again.status_code == 200 and again.json()["follow_token"] == ""
    # the student cannot list it (nothing links them to it) …
    assert client.get("/api/v1/rights/cases/").json()["count"] == 0
    # … but follows it with the token, without logging in
    stranger = APIClient()
    assert stranger.post("/api/v1/rights/cases/follow/", {"token": "wrong"}, format="json").status_code == 404
    followed = stranger.post("/api/v1/rights/cases/follow/", {"token": token}, format="json")
    assert followed.status_code == 200 and followed.json()["id"] == pk
    assert "张三" not in followed.content.decode()
    client_for(world, desk, "cadre").post(f"/api/v1/rights/cases/{pk}/answer/", {"text": "已报修"}, format="json")
    assert stranger.post(f"/api/v1/rights/cases/{pk}/rate/", {"satisfaction": "satisfied"},
                         format="json").status_code == 403
    rated = stranger.post(f"/api/v1/rights/cases/{pk}/rate/", {"satisfaction": "satisfied", "token": token},
                          format="json")
    assert rated.status_code == 200 and rated.json()["status"] == "closed"


def test_similar_and_join(world, desk, cases):
    pytest.importorskip("tongxue.domain.keywords")
    client = client_for(world, desk, "cadre")   # 赵六, a student of college A too
    found = client.get("/api/v1/rights/cases/similar/", {"text": "楼道灯坏了", "category": desk.dorm.pk})
    assert found.status_code == 200 and cases.anon.pk in [c["id"] for c in found.json()]
    assert "submitter" not in found.json()[0]
    joiner = client_for(world, desk, "school_cadre")   # does not see the named case (college B) by scope
    first = joiner.post(f"/api/v1/rights/cases/{cases.named.pk}/join/")
    assert first.status_code == 200 and first.json() == {"joined": True, "supporter_count": 1}
    assert joiner.post(f"/api/v1/rights/cases/{cases.named.pk}/join/").json()["joined"] is False
    assert CaseSupporter.objects.filter(case=cases.named).count() == 1
    # a case of another university is not reachable
    assert joiner.post(f"/api/v1/rights/cases/{cases.other.pk}/join/").status_code == 404


# Handling -------------------------------------------------------------------------------

def test_flow_accept_move_transfer_office_answer_unsatisfied_reopens(world, desk):
    student = client_for(world, desk, "student")
    pk = student.post("/api/v1/rights/cases/", {"category": desk.dorm.pk, "title": "网络断线",
                                                "description": "宿舍校园网晚上总掉线"}, format="json").json()["id"]
    cadre = client_for(world, desk, "cadre")
    assert cadre.post(f"/api/v1/rights/cases/{pk}/accept/", {}, format="json").json()["status"] == "accepted"
    up = cadre.post(f"/api/v1/rights/cases/{pk}/move/", {"direction": "up"}, format="json")
    assert up.status_code == 200 and up.json()["level"] == "school"
    school = client_for(world, desk, "school_cadre")
    down = school.post(f"/api/v1/rights/cases/{pk}/move/", {"direction": "down", "note": "请学院跟进"}, format="json")
    assert down.json()["level"] == "college"
    office = client_for(world, desk, "office")
    assert office.get(f"/api/v1/rights/cases/{pk}/").status_code == 404   # not theirs yet
    moved = cadre.post(f"/api/v1/rights/cases/{pk}/transfer/", {"office": desk.logistics.pk}, format="json")
    assert moved.json()["status"] == "transferred" and moved.json()["office_name"] == "后勤保障处"
    listing = office.get("/api/v1/rights/cases/").json()
    assert [c["id"] for c in listing["results"]] == [pk] and listing["results"][0]["permissions"]["is_office_staff"]
    answered = office.post(f"/api/v1/rights/cases/{pk}/answer/", {"text": "已更换交换机"}, format="json")
    assert answered.json()["status"] == "answered" and answered.json()["answered_by_office_name"] == "后勤保障处"
    assert student.get(f"/api/v1/rights/cases/{pk}/").json()["permissions"]["can_rate"]
    rated = student.post(f"/api/v1/rights/cases/{pk}/rate/", {"satisfaction": "unsatisfied", "comment": "还是掉线"},
                         format="json")
    assert rated.status_code == 200
    assert rated.json()["status"] == "reopened" and rated.json()["is_flagged"] and rated.json()["reopen_count"] == 1
    kinds = [e["kind"] for e in rated.json()["events"]]
    assert kinds == ["submitted", "accepted", "moved", "moved", "transferred", "answered", "rated", "reopened"]


def test_close_merge_and_publication(world, desk, cases):
    admin = client_for(world, desk, "univ_admin")
    dup = submit(world.student_b, Case.Identity.HIDDEN, "食堂涨价", "二食堂套餐贵了", desk.dorm).case
    merged = admin.post(f"/api/v1/rights/cases/{dup.pk}/merge/", {"into": cases.named.pk}, format="json")
    assert merged.status_code == 200 and merged.json()["id"] == cases.named.pk
    dup.refresh_from_db()
    assert dup.status == Case.Status.MERGED and dup.merged_into_id == cases.named.pk
    assert admin.post(f"/api/v1/rights/cases/{cases.named.pk}/merge/", {"into": cases.other.pk},
                      format="json").status_code == 400    # a case the account cannot see
    no_reason = admin.post(f"/api/v1/rights/cases/{cases.named.pk}/set-public/", {"is_public": False},
                           format="json")
    assert no_reason.status_code == 400 and no_reason.json()["non_field_errors"]
    withheld = admin.post(f"/api/v1/rights/cases/{cases.named.pk}/set-public/",
                          {"is_public": False, "reason": "涉及个人健康"}, format="json")
    assert withheld.json()["is_public"] is False and withheld.json()["private_reason"] == "涉及个人健康"
    too_early = admin.post(f"/api/v1/rights/cases/{cases.named.pk}/close/", {}, format="json")
    assert too_early.status_code == 400     # only an answered case closes
    admin.post(f"/api/v1/rights/cases/{cases.named.pk}/answer/", {"text": "已与食堂沟通"}, format="json")
    closed = admin.post(f"/api/v1/rights/cases/{cases.named.pk}/close/", {"note": "办结"}, format="json")
    assert closed.json()["status"] == "closed" and closed.json()["closed_at"]


@pytest.mark.parametrize(("role", "url", "data"), [
    ("student", "accept", {}),                               # the submitter does not handle
    ("party", "answer", {"text": "已处理"}),                   # oversight reads, does not act
    ("other_office", "accept", {}),
    ("student", "set-public", {"is_public": False, "reason": "x"}),
])
def test_refusals_answer_403_and_leave_an_access_event(world, desk, cases, role, url, data):
    user = accounts(world, desk)[role]
    client = client_for(world, desk, role)
    case = cases.hidden
    if role == "other_office":   # sees nothing of the hidden case: give it a case of its own office
        case = cases.named
        services.transfer_case(world.univ_admin, case, Office.objects.get(university=world.university,
                                                                           code="academic"))
    before = Case.objects.values("status", "is_public").get(pk=case.pk)
    response = client.post(f"/api/v1/rights/cases/{case.pk}/{url}/", data, format="json")
    assert response.status_code == 403
    assert AccessEvent.objects.filter(actor=user, method="POST", path=f"/api/v1/rights/cases/{case.pk}/{url}/").exists()
    assert Case.objects.values("status", "is_public").get(pk=case.pk) == before


def test_office_cannot_act_on_a_case_of_another_office(world, desk, cases):
    response = client_for(world, desk, "other_office").post(f"/api/v1/rights/cases/{cases.hidden.pk}/answer/",
                                                            {"text": "已处理"}, format="json")
    assert response.status_code == 404
    assert Case.objects.get(pk=cases.hidden.pk).status == Case.Status.TRANSFERRED


def test_anonymous_visitor_cannot_write(world, desk, cases):
    response = APIClient().post(f"/api/v1/rights/cases/{cases.hidden.pk}/accept/", {}, format="json")
    assert response.status_code in (401, 403)
    assert APIClient().post(f"/api/v1/rights/cases/{cases.hidden.pk}/rate/", {"satisfaction": "satisfied"},
                            format="json").status_code == 403
    assert AccessEvent.objects.filter(actor=None, path=f"/api/v1/rights/cases/{cases.hidden.pk}/rate/").exists()


# Public board, categories and offices ---------------------------------------------------

def test_public_board_without_login_removes_identity(world, desk, cases):
    services.answer_case(desk.office_user, cases.hidden, "已安排维修")
    services.answer_case(world.univ_admin, cases.named, "已与食堂沟通")
    services.answer_case(world.cadre_a.user, cases.anon, "已报修")
    withheld = submit(world.student_b, Case.Identity.NAMED, "心理咨询预约难", "预约要等三周", desk.health).case
    services.answer_case(world.univ_admin, withheld, "已反馈")      # sensitive category: not public
    services.answer_case(world.other_admin, cases.other, "已处理")
    client = APIClient()
    response = client.get("/api/v1/rights/public/demo/cases/")
    assert response.status_code == 200
    body = response.json()
    assert {c["id"] for c in body["results"]} == {cases.hidden.pk, cases.named.pk, cases.anon.pk}
    by_id = {c["id"]: c for c in body["results"]}
    assert by_id[cases.named.pk]["submitter"] == {"name": "李四", "college": "外国语学院"}
    assert by_id[cases.hidden.pk]["submitter"] is None and by_id[cases.anon.pk]["submitter"] is None
    assert by_id[cases.hidden.pk]["answered_by_office_name"] == "后勤保障处"
    text = response.content.decode()
    for secret in ("张三", world.student_a.student_no, world.student_b.student_no):
        assert secret not in text
    detail = client.get(f"/api/v1/rights/public/demo/cases/{cases.hidden.pk}/")
    assert detail.status_code == 200 and "张三" not in detail.content.decode()
    assert client.get(f"/api/v1/rights/public/demo/cases/{withheld.pk}/").status_code == 404
    assert client.get(f"/api/v1/rights/public/demo/cases/{cases.other.pk}/").status_code == 404
    assert client.get("/api/v1/rights/public/nowhere/cases/").status_code == 404
    assert {c["id"] for c in client.get("/api/v1/rights/public/demo/cases/", {"q": "食堂"}).json()["results"]} == {
        cases.named.pk}


def test_public_board_photos_only_when_allowed(world, desk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def photo():
        return SimpleUploadedFile("p.png", png().getvalue(), content_type="image/png")

    shown = services.submit_case(world.student_a.user, category=desk.dorm, title="墙皮脱落", description="1号楼墙皮脱落",
                                 photos=[photo()], photos_public=True).case
    kept = services.submit_case(world.student_a.user, category=desk.dorm, title="窗户坏了", description="2号楼窗户坏了",
                                photos=[photo()]).case
    for case in (shown, kept):
        services.answer_case(world.cadre_a.user, case, "已报修")
    client = APIClient()
    board = {c["id"]: c for c in client.get("/api/v1/rights/public/demo/cases/").json()["results"]}
    assert board[kept.pk]["photos"] == []
    url = board[shown.pk]["photos"][0]["url"]
    assert client.get(url).status_code == 200
    kept_photo = kept.photos.get()
    assert client.get(f"/api/v1/rights/public/demo/cases/{kept.pk}/photos/{kept_photo.pk}/").status_code == 404


@pytest.mark.parametrize(("role", "university"), [("student", "demo"), ("office", "demo"), ("other_admin", "other")])
def test_categories_and_offices(world, desk, role, university):
    client = client_for(world, desk, role)
    categories = client.get("/api/v1/rights/categories/").json()["results"]
    offices = client.get("/api/v1/rights/offices/").json()["results"]
    expected = world.university.pk if university == "demo" else world.other_university.pk
    assert len(categories) == 9 and {c["university"] for c in categories} == {expected}
    assert "后勤保障处" in {o["name"] for o in offices} and {o["university"] for o in offices} == {expected}
    assert APIClient().get("/api/v1/rights/categories/").status_code in (401, 403)


def test_responses_are_json_without_secrets(world, desk, cases):
    body = client_for(world, desk, "univ_admin").get(f"/api/v1/rights/cases/{cases.anon.pk}/").json()
    assert "follow_token_hash" not in json.dumps(body) and "dedup_key" not in body
