"""Selection pages: the scope matrix, the approver queue per college, the public notice's privacy,
objections and the appointment page."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tongxue.cadres import selection
from tongxue.cadres.models import Application, Objection, PositionType
from tongxue.core.models import AccessEvent

from .selection_fixtures import presidium_chain, run_chain, sw  # noqa: F401

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "student", "other_college_student", "league_college", "party_college", "league_other_college",
         "league_school", "party_school", "univ_admin", "other_admin"]


def account(w, role):
    return {"student": w.student_a.user, "other_college_student": w.student_b.user, "league_college": w.league_a,
            "party_college": w.party_a, "league_other_college": w.league_b, "league_school": w.league_school,
            "party_school": w.party, "univ_admin": w.univ_admin, "other_admin": w.other_admin}.get(role)


@pytest.fixture
def pw(sw):
    sw.application = selection.apply(sw.student_a.user, sw.recruitment, position_type=PositionType.PRESIDIUM,
                                     statement="我愿意为同学服务。")
    selection.decide_step(sw.league_a, sw.application, approve=True)
    return sw


STUDENTS = {"student", "other_college_student"}
APPROVERS = {"league_college", "party_college", "league_other_college", "league_school", "party_school", "univ_admin"}


def expected(role, page):
    if role == "anonymous":
        return 302
    if role == "other_admin":
        return {"home": 403, "review": 200}.get(page, 404)
    return {
        "home": 200 if role in STUDENTS else 403,
        "review": 200 if role in APPROVERS else 403,
        "recruitment": 200,
        "manage": 200 if role in APPROVERS else 403,
        "application": 200 if role in {"student", "league_college", "party_college", "league_school", "party_school",
                                        "univ_admin"} else 404,
    }[page]


@pytest.mark.parametrize("page", ["home", "review", "recruitment", "manage", "application"])
@pytest.mark.parametrize("role", ROLES)
def test_selection_pages_scope(client, pw, role, page):
    user = account(pw, role)
    if user:
        client.force_login(user)
    url = {"home": "/cadres/selection/", "review": "/cadres/selection/review/",
           "recruitment": f"/cadres/selection/recruitments/{pw.recruitment.pk}/",
           "manage": f"/cadres/selection/recruitments/{pw.recruitment.pk}/manage/",
           "application": f"/cadres/selection/applications/{pw.application.pk}/"}[page]
    response = client.get(url)
    assert response.status_code == expected(role, page), (role, page)
    if role in {"other_admin", "league_other_college", "other_college_student"}:
        assert pw.student_a.student_no not in response.content.decode()
    if response.status_code == 403:
        assert AccessEvent.objects.filter(path=url).exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_the_next_stage_may_decide(client, pw, role):
    user = account(pw, role)
    if user:
        client.force_login(user)
    response = client.post(f"/cadres/selection/applications/{pw.application.pk}/decide/",
                           {"decision": "approve", "comment": "同意"})
    if role == "party_college":
        assert response.status_code == 302
        assert pw.application.steps.count() == 2
    else:
        assert response.status_code in {302, 403, 404} and pw.application.steps.count() == 1
        assert response.status_code != 302 or role == "anonymous"


def test_queue_shows_each_college_its_own_applicants(client, pw):
    other = selection.apply(pw.student_b.user, pw.recruitment, position_type=PositionType.PRESIDIUM,
                            statement="报名")
    client.force_login(pw.league_b)
    content = client.get("/cadres/selection/review/").content.decode()
    assert f'data-application="{other.pk}"' in content and f'data-application="{pw.application.pk}"' not in content
    client.force_login(pw.party_a)
    content = client.get("/cadres/selection/review/").content.decode()
    assert f'data-application="{pw.application.pk}"' in content and f'data-application="{other.pk}"' not in content
    client.force_login(pw.league_a)  # already recommended: nothing waits for them
    assert 'data-testid="queue-item"' not in client.get("/cadres/selection/review/").content.decode()


def test_apply_page_shows_eligibility_and_double_submit_is_one(client, sw):
    client.force_login(sw.student_a.user)
    url = f"/cadres/selection/recruitments/{sw.recruitment.pk}/"
    response = client.get(url)
    assert 'data-eligible="yes"' in response.content.decode()
    data = {"position_type": "presidium", "statement": "我愿意服务同学",
            "attachment": SimpleUploadedFile("简历.pdf", b"%PDF-1.4 test", content_type="application/pdf")}
    assert client.post(url, data).status_code == 302
    data["attachment"] = SimpleUploadedFile("简历.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(url, data)
    assert response.status_code == 200 and 'data-testid="already-applied"' in response.content.decode()
    application = Application.objects.get()
    assert application.attachment.name.startswith("selection/") and "简历" not in application.attachment.name
    detail = client.get(f"/cadres/selection/applications/{application.pk}/").content.decode()
    assert 'data-eligible="yes"' in detail
    assert client.get(f"/cadres/selection/applications/{application.pk}/attachment/").status_code == 200
    client.force_login(sw.student_b.user)
    assert client.get(f"/cadres/selection/applications/{application.pk}/attachment/").status_code == 404


def test_attachment_size_is_limited(client, sw):
    client.force_login(sw.student_a.user)
    big = SimpleUploadedFile("big.pdf", b"0" * (5 * 1024 * 1024 + 1), content_type="application/pdf")
    response = client.post(f"/cadres/selection/recruitments/{sw.recruitment.pk}/",
                           {"position_type": "presidium", "statement": "x", "attachment": big})
    assert response.status_code == 200 and not Application.objects.exists()


@pytest.fixture
def noticed(pw):
    run_chain(pw, pw.application, presidium_chain(pw)[1:])
    pw.notice = selection.publish_notice(pw.league_school, pw.recruitment)
    return pw


def test_public_notice_shows_only_name_and_class_without_login(client, noticed):
    student = noticed.student_a
    response = client.get(f"/public/notices/{noticed.notice.pk}/")
    content = response.content.decode()
    assert response.status_code == 200
    assert student.name in content and student.college.name in content and student.major.name in content
    assert student.student_class.name in content
    assert student.student_no not in content and student.phone not in content
    assert "我愿意为同学服务" not in content  # the statement is not public
    assert 'data-testid="deadline"' in content and 'data-testid="object-link"' in content


def test_public_notice_is_taken_down_after_its_period(client, noticed, monkeypatch):
    later = noticed.notice.ends + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.get(f"/public/notices/{noticed.notice.pk}/")
    assert response.status_code == 410
    assert noticed.student_a.name not in response.content.decode()


def test_objection_needs_login_and_is_answered_by_the_league_teacher(client, noticed):
    url = f"/cadres/selection/notices/{noticed.notice.pk}/object/"
    assert client.get(url).status_code == 302
    client.force_login(noticed.other_admin)
    assert client.get(url).status_code == 404
    client.force_login(noticed.student_b.user)
    response = client.post(url, {"application": noticed.application.pk, "text": "该同学曾多次缺席例会"})
    assert response.status_code == 302
    objection = Objection.objects.get()
    manage = f"/cadres/selection/recruitments/{noticed.recruitment.pk}/manage/"
    client.force_login(noticed.party)  # sees the objection, may not answer
    assert "该同学曾多次缺席例会" in client.get(manage).content.decode()
    assert client.post(f"/cadres/selection/objections/{objection.pk}/answer/", {"answer": "x"}).status_code == 403
    client.force_login(noticed.league_school)
    assert client.post(f"/cadres/selection/objections/{objection.pk}/answer/",
                       {"answer": "经核实系请假"}).status_code == 302
    objection.refresh_from_db()
    assert objection.answer == "经核实系请假" and objection.answered_by == noticed.league_school


def test_appointment_page_waits_for_the_end_of_the_notice(client, noticed, monkeypatch):
    client.force_login(noticed.league_school)
    url = f"/cadres/selection/applications/{noticed.application.pk}/appoint/"
    response = client.get(url)
    assert 'data-testid="blockers"' in response.content.decode()
    later = noticed.notice.ends + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.post(url, {"position": "vice_president"})
    assert response.status_code == 302
    noticed.application.refresh_from_db()
    assert noticed.application.status == Application.Status.APPOINTED
    client.force_login(noticed.party)  # sees the application, does not manage the union
    assert client.get(url).status_code == 403


def test_a_president_opens_a_call_from_the_union_page(client, world):
    from tongxue.cadres.models import Recruitment

    department = world.union_a.current_term().departments.first()
    client.force_login(world.cadre_a.user)
    page = client.get(reverse("unions:detail", args=[world.union_a.pk])).content.decode()
    assert reverse("cadres:selection_new", args=[world.union_a.pk]) in page
    response = client.post(reverse("cadres:selection_new", args=[world.union_a.pk]), {
        "title": "2026年秋季学生干部选拔", "call_text": "欢迎报名", "opens_at": "2026-11-01T08:00",
        "closes_at": "2026-12-31T18:00", "notice_working_days": 5, "presidium_places": 1,
        f"department_{department.pk}": 3,
    })
    recruitment = Recruitment.objects.get(union=world.union_a)
    assert response.status_code == 302
    assert sorted(recruitment.openings.values_list("places", flat=True)) == [1, 3]


def test_closing_before_opening_is_refused_and_nothing_is_created(client, world):
    from tongxue.cadres.models import Recruitment

    client.force_login(world.cadre_a.user)
    response = client.post(reverse("cadres:selection_new", args=[world.union_a.pk]), {
        "title": "选拔", "opens_at": "2026-12-31T08:00", "closes_at": "2026-11-01T18:00",
        "notice_working_days": 5, "presidium_places": 1,
    })
    assert response.status_code == 200 and not Recruitment.objects.exists()
    assert "报名截止时间须晚于开始时间" in response.content.decode()


@pytest.mark.parametrize("account", ["student", "officer", "league_school"])
def test_only_the_unions_managers_open_calls(client, world, account):
    user = world.accounts()[account]
    client.force_login(user)
    status = client.get(reverse("cadres:selection_new", args=[world.union_a.pk])).status_code
    assert status == (200 if account == "league_school" else 403)
