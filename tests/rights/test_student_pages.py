"""The student's pages of the rights desk: intake, similar cases and 我也遇到, my cases, the case
page with its deadlines and rating, and the private follow link of an anonymous case."""
import datetime
import io
import re

import pytest
from django.utils import timezone

from tongxue.domain.workdays import CalendarGap
from tongxue.rights import services
from tongxue.rights.clock import ClockView
from tongxue.rights.models import Case, CasePhoto, CaseSupporter, Category
from tongxue.rights.views_student import deadline_lines

from .conftest import MONDAY

pytestmark = pytest.mark.django_db

HAN = re.compile("[\u4e00-\u9fff]")


def png(name="photo.png", size=(40, 30)):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def form_data(desk, **kw):
    data = {"category": desk.dorm.pk, "title": "宿舍没有热水", "description": "3号楼热水器坏了三天，洗不了澡",
            "place": "3号楼", "identity": "hidden"}
    data.update(kw)
    return data


def file_case(world, desk, student=None, **kw):
    student = student or world.student_a
    return services.submit_case(student.user, category=kw.pop("category", desk.dorm), title=kw.pop("title", "宿舍没有热水"),
                                description=kw.pop("description", "3号楼热水器坏了三天"), **kw)


# --- intake --------------------------------------------------------------------------------------

def test_intake_lists_the_universitys_categories_and_creates_defaults_when_missing(client, world):
    assert not Category.objects.filter(university=world.university).exists()
    client.force_login(world.student_a.user)
    response = client.get("/rights/new/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "宿舍" in html and "食堂" in html
    assert 'accept="image/*"' in html and "multiple" in html
    assert re.search(r'value="hidden"\s+checked', html)          # hidden from the public by default
    assert 'hx-get="/rights/similar/"' in html and "keyup changed delay:700ms" in html


@pytest.mark.parametrize("who", ["office", "league_college", "univ_admin", "not_enrolled"])
def test_only_enrolled_students_may_file(client, world, desk, who):
    from tests import factories as f

    if who == "office":
        user = desk.office_user
    elif who == "not_enrolled":
        user = f.StudentFactory(student_class=world.student_a.student_class, is_enrolled=False).user
    else:
        user = world.accounts()[who]
    client.force_login(user)
    assert client.get("/rights/new/").status_code == 403
    assert client.post("/rights/new/", form_data(desk)).status_code == 403
    assert not Case.objects.exists()


def test_intake_needs_login(client, world, desk):
    response = client.get("/rights/new/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_submit_with_a_photo_redirects_to_the_case_page(client, world, desk):
    client.force_login(world.student_a.user)
    response = client.post("/rights/new/", form_data(desk, photos=[png()], photos_public="on"))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rights/cases/{case.pk}/"
    assert case.submitter == world.student_a and case.identity == "hidden" and case.photos_public
    photo = CasePhoto.objects.get(case=case)
    page = client.get(response["Location"]).content.decode()
    assert "宿舍没有热水" in page and f"/rights/photos/{photo.pk}/" in page
    assert client.get(f"/rights/photos/{photo.pk}/").status_code == 200


def test_double_submit_through_the_view_creates_one_case(client, world, desk):
    client.force_login(world.student_a.user)
    first = client.post("/rights/new/", form_data(desk))
    second = client.post("/rights/new/", form_data(desk, description=" 3号楼热水器坏了三天，洗不了澡 "))
    assert Case.objects.count() == 1
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]


def test_a_bad_photo_is_refused_in_chinese_next_to_the_field_and_nothing_is_created(client, world, desk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.student_a.user)
    bad = SimpleUploadedFile("x.jpg", b"this is not an image", content_type="image/jpeg")
    response = client.post("/rights/new/", form_data(desk, photos=[bad]))
    assert response.status_code == 200
    error = re.search(r'data-testid="photo-error">([^<]+)<', response.content.decode()).group(1)
    assert HAN.search(error) and "JPEG" in error
    assert not Case.objects.exists() and not CasePhoto.objects.exists()
    # the rest of what the student typed is kept
    assert "3号楼热水器坏了三天" in response.content.decode()


def test_more_than_three_photos_are_refused(client, world, desk):
    client.force_login(world.student_a.user)
    response = client.post("/rights/new/", form_data(desk, photos=[png(f"{i}.png") for i in range(4)]))
    assert response.status_code == 200 and 'data-testid="photo-error"' in response.content.decode()
    assert not Case.objects.exists()


def test_a_category_of_another_university_is_refused(client, world, desk):
    client.force_login(world.student_a.user)
    foreign = Category.objects.get(university=world.other_university, code="dorm")
    response = client.post("/rights/new/", form_data(desk, category=foreign.pk))
    assert response.status_code == 200 and 'id="id_category_error"' in response.content.decode()
    assert not Case.objects.exists()


# --- anonymous cases -----------------------------------------------------------------------------

def test_anonymous_case_shows_the_follow_link_once_and_never_the_students_identity(client, world, desk):
    student = world.student_a
    client.force_login(student.user)
    response = client.post("/rights/new/", form_data(desk, identity="anonymous"))
    assert response.status_code == 302 and response["Location"] == "/rights/new/done/"
    case = Case.objects.get()
    assert case.submitter is None
    done = client.get("/rights/new/done/").content.decode()
    link = re.search(r'value="http://testserver(/rights/follow/[^"]+/)"', done).group(1)
    assert case.follow_token_hash == services.follow_token_hash(link.split("/")[3])
    again = client.get("/rights/new/done/").content.decode()        # shown once
    assert "/rights/follow/" not in again
    pages = {"done": done, "follow": client.get(link).content.decode(), "mine": client.get("/rights/mine/")}
    assert pages["follow"].count("宿舍没有热水") >= 1
    for name in ("done", "follow"):
        assert student.name not in pages[name] and student.student_no not in pages[name], name
    assert "宿舍没有热水" not in pages["mine"].content.decode()       # not linked to the student
    assert client.get(f"/rights/cases/{case.pk}/").status_code == 404
    client.logout()
    anonymous_view = client.get(link)
    assert anonymous_view.status_code == 200 and student.student_no not in anonymous_view.content.decode()


def test_a_double_tap_on_an_anonymous_case_still_shows_the_link(client, world, desk):
    client.force_login(world.student_a.user)
    client.post("/rights/new/", form_data(desk, identity="anonymous"))   # response dropped by the browser
    second = client.post("/rights/new/", form_data(desk, identity="anonymous"))
    assert Case.objects.count() == 1 and second["Location"] == "/rights/new/done/"
    assert "/rights/follow/" in client.get("/rights/new/done/").content.decode()


def test_wrong_follow_token_is_404(client, world, desk):
    file_case(world, desk, identity=Case.Identity.ANONYMOUS)
    assert client.get("/rights/follow/not-the-token/").status_code == 404
    assert client.post("/rights/follow/not-the-token/", {"satisfaction": "satisfied"}).status_code == 404


def test_anonymous_case_is_rated_with_its_link(client, world, desk):
    result = file_case(world, desk, identity=Case.Identity.ANONYMOUS, photos=[png()])
    services.answer_case(world.cadre_a.user, result.case, "已联系后勤维修")
    link = f"/rights/follow/{result.follow_token}/"
    page = client.get(link).content.decode()
    assert 'data-testid="rating-form"' in page and "已联系后勤维修" in page
    photo = result.case.photos.get()
    assert f"{link}photos/{photo.pk}/" in page and client.get(f"{link}photos/{photo.pk}/").status_code == 200
    assert client.get(f"/rights/photos/{photo.pk}/").status_code == 404       # not public: no link, no photo
    response = client.post(link, {"satisfaction": "unsatisfied", "comment": "还是没修"})
    assert response.status_code == 302
    result.case.refresh_from_db()
    assert result.case.status == Case.Status.REOPENED and result.case.is_flagged
    assert 'data-testid="reopened"' in client.get(link).content.decode()


# --- who sees which case -------------------------------------------------------------------------

def test_a_student_cannot_open_another_students_case(client, world, desk):
    case = file_case(world, desk).case
    for user in (world.student_b.user, world.other_student.user):
        client.force_login(user)
        assert client.get(f"/rights/cases/{case.pk}/").status_code == 404
        assert client.post(f"/rights/cases/{case.pk}/rate/", {"satisfaction": "satisfied"}).status_code == 404


def test_a_joined_student_sees_the_case_but_not_who_raised_it(client, world, desk):
    case = file_case(world, desk).case
    services.accept_case(world.cadre_a.user, case)
    client.force_login(world.student_b.user)
    response = client.post(f"/rights/cases/{case.pk}/join/")
    assert response.status_code == 302 and response["Location"] == f"/rights/cases/{case.pk}/"
    html = client.get(f"/rights/cases/{case.pk}/").content.decode()
    assert "宿舍没有热水" in html
    assert world.student_a.name not in html and world.student_a.student_no not in html
    assert "赵六" in html                                   # the cadre who accepted it may be named
    assert 'data-testid="rating-form"' not in html


def test_my_cases_lists_filed_and_joined_newest_first(client, world, desk):
    now = timezone.now()
    older = file_case(world, desk, student=world.student_b, title="食堂太贵", description="二食堂菜价上涨",
                      now=now - datetime.timedelta(hours=2)).case
    mine = file_case(world, desk, now=now - datetime.timedelta(hours=1)).case
    services.join_case(world.student_a.user, older)
    file_case(world, desk, student=world.student_b, title="别人的事", description="和我无关")
    client.force_login(world.student_a.user)
    html = client.get("/rights/mine/").content.decode()
    assert html.index(mine.title) < html.index(older.title)
    assert "别人的事" not in html
    assert "我也遇到" in html or "I met it too" in html


def test_students_see_the_rights_entries_in_the_navigation(client, world, desk):
    client.force_login(world.student_a.user)
    html = client.get("/rights/mine/").content.decode()
    assert 'data-nav="rights_new"' in html and 'data-nav="rights_mine"' in html
    client.force_login(desk.office_user)
    assert client.get("/rights/mine/").status_code == 403


# --- similar cases and me too --------------------------------------------------------------------

def test_similar_open_cases_are_shown_and_joined_with_htmx(client, world, desk):
    case = file_case(world, desk, description="3号楼热水器坏了三天，没有热水洗澡").case
    client.force_login(world.student_b.user)
    response = client.get("/rights/similar/", {"description": "我们3号楼热水器也坏了，没有热水",
                                                "category": desk.dorm.pk})
    html = response.content.decode()
    assert f'data-case="{case.pk}"' in html and f'hx-post="/rights/cases/{case.pk}/join/"' in html
    response = client.post(f"/rights/cases/{case.pk}/join/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'data-testid="joined"' in response.content.decode()
    assert "1" in re.search(r'data-testid="supporters">([^<]+)<', response.content.decode()).group(1)
    assert CaseSupporter.objects.filter(case=case, student=world.student_b).exists()
    again = client.get("/rights/similar/", {"description": "3号楼热水器坏了，没有热水"}).content.decode()
    assert 'data-testid="joined"' in again and "hx-post" not in again


def test_similar_ignores_private_cases_and_other_universities(client, world, desk):
    file_case(world, desk, category=desk.health, title="宿舍有人生病", description="3号楼热水器坏了三天")
    client.force_login(world.other_student.user)
    assert "data-case" not in client.get("/rights/similar/", {"description": "3号楼热水器坏了三天"}).content.decode()
    client.force_login(world.student_b.user)
    assert "data-case" not in client.get("/rights/similar/", {"description": "3号楼热水器坏了三天"}).content.decode()


def test_a_private_case_of_someone_else_cannot_be_joined(client, world, desk):
    case = file_case(world, desk, category=desk.health, title="宿舍有人生病", description="发烧").case
    client.force_login(world.student_b.user)
    assert client.post(f"/rights/cases/{case.pk}/join/").status_code == 404
    client.force_login(world.other_student.user)
    public = file_case(world, desk, description="另一件事").case
    assert client.post(f"/rights/cases/{public.pk}/join/").status_code == 404
    assert not CaseSupporter.objects.exists()


# --- the case page: progress, deadlines, rating --------------------------------------------------

def test_case_page_shows_steps_and_deadlines(client, world, desk):
    case = file_case(world, desk).case
    client.force_login(world.student_a.user)
    html = client.get(f"/rights/cases/{case.pk}/").content.decode()
    assert re.search(r'<li class="[^"]*fw-bold" aria-current="step">已提交</li>', html)
    assert 'data-testid="deadline"' in html


def test_deadlines_in_plain_words(world, desk):
    case = file_case(world, desk, now=MONDAY).case                  # Monday 2 November 2026
    lines = [str(line["text"]) for line in deadline_lines(case, MONDAY + datetime.timedelta(hours=1))]
    assert lines == ["预计 11月3日前受理", "预计 11月9日前答复"]
    late = deadline_lines(case, MONDAY + datetime.timedelta(days=3))
    assert late[0]["late"] and "11月3日" in str(late[0]["text"]) and not late[1]["late"]
    services.answer_case(world.cadre_a.user, case, "已修好", now=MONDAY + datetime.timedelta(hours=2))
    case.refresh_from_db()
    assert deadline_lines(case, MONDAY + datetime.timedelta(hours=3)) == []


def test_a_calendar_gap_is_explained_not_crashed(client, world, desk, monkeypatch):
    case = file_case(world, desk).case
    monkeypatch.setattr("tongxue.rights.views_student.clock_of",
                        lambda case, now: ClockView(None, CalendarGap(2027, {2025, 2026})))
    client.force_login(world.student_a.user)
    response = client.get(f"/rights/cases/{case.pk}/")
    assert response.status_code == 200 and "2027" in response.content.decode()


def test_rating_unsatisfied_reopens_once_and_only_the_submitter_rates(client, world, desk):
    case = file_case(world, desk).case
    case = services.transfer_case(world.cadre_a.user, case, desk.logistics)
    services.answer_case(desk.office_user, case, "已安排维修")
    services.join_case(world.student_b.user, case)
    client.force_login(world.student_b.user)
    assert 'data-testid="rating-form"' not in client.get(f"/rights/cases/{case.pk}/").content.decode()
    assert client.post(f"/rights/cases/{case.pk}/rate/", {"satisfaction": "satisfied"}).status_code == 403
    client.force_login(world.student_a.user)
    html = client.get(f"/rights/cases/{case.pk}/").content.decode()
    assert 'data-testid="rating-form"' in html and "后勤保障处" in html
    assert client.post(f"/rights/cases/{case.pk}/rate/", {}).status_code == 400
    response = client.post(f"/rights/cases/{case.pk}/rate/", {"satisfaction": "unsatisfied", "comment": "没修好"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.REOPENED and case.reopen_count == 1
    html = client.get(f"/rights/cases/{case.pk}/").content.decode()
    assert 'data-status="reopened"' in html and 'data-testid="rating-form"' not in html
