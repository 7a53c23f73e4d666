"""The public board (issue 4, item 5): what anyone may see without login, and what never shows."""
import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories as f
from tongxue.rights import services
from tongxue.rights.models import Case, CasePhoto, Category

from .conftest import MONDAY

HOUR = datetime.timedelta(hours=1)


def board_url(university, **params):
    url = reverse("public_rights:board", args=[university.code])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def case_url(case):
    return reverse("public_rights:case", args=[case.university.code, case.pk])


def answered(world, desk, *, student=None, identity=Case.Identity.NAMED, title="宿舍没有热水",
             text="3号楼热水器坏了三天", answer="已安排维修师傅更换热水器。", category=None, via_office=True,
             photos=(), photos_public=False, now=MONDAY):
    """A case submitted by `student`, accepted, transferred to logistics and answered by it."""
    student = student or world.student_a
    case = services.submit_case(student.user, category=category or desk.dorm, title=title, description=text,
                                place="3号楼", identity=identity, photos=photos, photos_public=photos_public,
                                now=now).case
    handler = world.league_school     # handles every case of the university
    case = services.accept_case(handler, case, now=now + HOUR)
    if via_office:
        case = services.transfer_case(handler, case, desk.logistics, note="内部备注：请王老师尽快处理", now=now + 2 * HOUR)
        services.answer_case(desk.office_user, case, answer, now=now + 3 * HOUR)
    else:
        services.answer_case(handler, case, answer, now=now + 3 * HOUR)
    case.refresh_from_db()
    return case


def png() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile("p.png", buffer.getvalue(), content_type="image/png")


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- what is listed -------------------------------------------------------------------------------

def test_anonymous_visitor_sees_answered_cases_newest_answer_first(client, world, desk):
    older = answered(world, desk, title="食堂饭菜太咸", now=MONDAY)
    newer = answered(world, desk, title="图书馆空调不制冷", student=world.student_b, now=MONDAY + 24 * HOUR)
    response = client.get(board_url(world.university))
    assert response.status_code == 200
    html = text_of(response)
    assert html.index("图书馆空调不制冷") < html.index("食堂饭菜太咸")
    assert f'data-case="{newer.pk}"' in html and f'data-case="{older.pk}"' in html
    assert "后勤保障处" in html                    # the office that answered
    assert "已安排维修师傅更换热水器" in html       # the answer excerpt
    assert "1 位同学也遇到" in html


def test_open_withheld_sensitive_merged_and_foreign_cases_are_absent(client, world, desk):
    shown = answered(world, desk, title="公开的答复")
    open_case = services.submit_case(world.student_b.user, category=desk.dorm, title="还没答复的问题",
                                     description="等待受理", now=MONDAY).case
    withheld = answered(world, desk, title="撤下的案件", student=world.student_b)
    services.set_public(world.league_school, withheld, False, "涉及个人健康")
    health = answered(world, desk, title="心理咨询预约难", category=desk.health, student=world.officer_a)
    Case.objects.filter(pk=health.pk).update(is_public=True)    # even if someone flips the flag
    foreign_category = Category.objects.get(university=world.other_university, code="dorm")
    services.submit_case(world.other_student.user, category=foreign_category, title="别校案件",
                         description="别校宿舍问题", now=MONDAY)
    html = text_of(client.get(board_url(world.university)))
    assert "公开的答复" in html
    for title in ("还没答复的问题", "撤下的案件", "心理咨询预约难", "别校案件"):
        assert title not in html
    for case in (open_case, withheld, health):
        assert client.get(case_url(case)).status_code == 404
    # a case of this university is not reachable under another university's code
    assert client.get(reverse("public_rights:case", args=["other", shown.pk])).status_code == 404
    assert client.get(board_url(world.university).replace("demo", "nope")).status_code == 404


def test_supporters_are_counted_with_the_submitter(client, world, desk):
    case = services.submit_case(world.student_a.user, category=desk.dorm, title="洗衣机坏了",
                                description="5楼洗衣机不能用", now=MONDAY).case
    services.join_case(world.student_b.user, case, now=MONDAY + HOUR)
    services.join_case(world.officer_a.user, case, now=MONDAY + HOUR)
    services.answer_case(world.league_school, case, "已报修", now=MONDAY + 2 * HOUR)
    assert "3 位同学也遇到" in text_of(client.get(board_url(world.university)))
    assert "3 位同学也遇到" in text_of(client.get(case_url(case)))


# --- identity ----------------------------------------------------------------------------------

@pytest.mark.parametrize("identity, shown", [
    (Case.Identity.NAMED, "张三"),
    (Case.Identity.HIDDEN, "某同学"),
    (Case.Identity.ANONYMOUS, "匿名同学"),
])
def test_identity_follows_the_students_choice_and_never_shows_a_student_number(client, world, desk, identity, shown):
    case = answered(world, desk, identity=identity)
    student = world.student_a
    for response in (client.get(board_url(world.university)), client.get(case_url(case))):
        html = text_of(response)
        assert student.student_no not in html
        if identity != Case.Identity.NAMED:
            assert student.name not in html
    page = client.get(case_url(case))
    raised_by = re.search(r'data-testid="raised-by">([^<]*)<', text_of(page)).group(1)
    assert raised_by == shown


def test_texts_that_name_a_hidden_submitter_are_redacted(client, world, desk):
    student = world.student_a
    case = answered(world, desk, identity=Case.Identity.HIDDEN, title=f"{student.name}反映热水器",
                    text=f"我是{student.name}，学号{student.student_no}", answer=f"{student.name}同学：已修好")
    named = answered(world, desk, identity=Case.Identity.NAMED, student=world.student_b, title="李四反映空调",
                     text=f"学号{world.student_b.student_no}", answer="李四同学：已修好")
    for url in (board_url(world.university), case_url(case), case_url(named)):
        html = text_of(client.get(url))
        assert student.name not in html and student.student_no not in html
        assert world.student_b.student_no not in html
    assert "李四同学：已修好" in text_of(client.get(case_url(named)))    # a named case keeps the name
    assert "＊＊同学：已修好" in text_of(client.get(case_url(case)))


def test_the_history_names_nobody_and_shows_no_notes(client, world, desk):
    case = answered(world, desk, identity=Case.Identity.HIDDEN)
    services.add_note(world.league_school, case, "内部：学生情绪激动", now=MONDAY + 4 * HOUR)
    html = text_of(client.get(case_url(case)))
    for secret in ("内部备注", "王老师", "学生情绪激动", world.cadre_a.name, desk.office_user.full_name):
        assert secret not in html
    steps = re.search(r'data-testid="steps">(.*?)</ol>', html).group(1)
    assert "转办" in steps and "后勤保障处" in steps and "已答复" in steps


def test_photos_only_when_the_student_allowed_it(client, world, desk):
    public = answered(world, desk, title="有照片公开", photos=[png()], photos_public=True)
    private = answered(world, desk, title="有照片不公开", student=world.student_b, photos=[png()])
    public_photo = CasePhoto.objects.get(case=public)
    private_photo = CasePhoto.objects.get(case=private)
    assert reverse("rights:photo", args=[public_photo.pk]) in text_of(client.get(case_url(public)))
    assert "rights/photos/" not in text_of(client.get(case_url(private)))
    assert client.get(reverse("rights:photo", args=[public_photo.pk])).status_code == 200
    assert client.get(reverse("rights:photo", args=[private_photo.pk])).status_code == 404


# --- search, filters, pages ---------------------------------------------------------------------

def test_search_in_title_description_and_answer_with_filters(client, world, desk):
    canteen = Category.objects.get(university=world.university, code="canteen")
    answered(world, desk, title="宿舍没有热水", text="热水器坏了")
    answered(world, desk, title="二食堂太挤", text="中午排队半小时", category=canteen, student=world.student_b,
             answer="已增开窗口")
    answered(world, desk, title="路灯不亮", text="北门路灯", answer="已更换灯泡", student=world.officer_a)

    def titles(**params):
        return {c.title for c in client.get(board_url(world.university, **params)).context["page"]}

    assert titles(q="热水器") == {"宿舍没有热水"}
    assert titles(q="排队") == {"二食堂太挤"}
    assert titles(q="灯泡") == {"路灯不亮"}
    assert titles(q="已 窗口") == {"二食堂太挤"}                 # every word must match
    assert titles(category=canteen.pk) == {"二食堂太挤"}
    assert titles(college=world.college_b.pk) == {"二食堂太挤"}
    assert titles(college=world.college_a.pk, q="灯") == {"路灯不亮"}
    assert titles(category="x") == {"宿舍没有热水", "二食堂太挤", "路灯不亮"}   # a bad filter is ignored
    assert "没有符合" in text_of(client.get(board_url(world.university, q="不存在的词")))


def test_pages_of_twenty_with_bounded_queries(client, world, desk, django_assert_max_num_queries):
    case = answered(world, desk, title="模板案件")
    base = {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields if f.name not in ("id", "dedup_key")}
    Case.objects.bulk_create([Case(**{**base, "title": f"案件{i:02d}",
                                      "answered_at": case.answered_at + datetime.timedelta(minutes=i)})
                              for i in range(1, 25)])
    with django_assert_max_num_queries(8):
        first = client.get(board_url(world.university))
    page = first.context["page"]
    assert len(page) == 20 and page.has_next and not page.has_previous
    assert page[0].title == "案件24"
    second = client.get(board_url(world.university, page=2)).context["page"]
    assert len(second) == 5 and not second.has_next and second[-1].title == "模板案件"
    beyond = client.get(board_url(world.university, page=99))
    assert list(beyond.context["page"]) == [] and 'data-testid="board-empty"' in beyond.content.decode()
    assert client.get(board_url(world.university, page="x")).context["page"].number == 1
    with django_assert_max_num_queries(8):
        assert client.get(case_url(case)).status_code == 200


def test_a_search_reads_only_the_most_recently_answered_cases(client, world, desk, monkeypatch):
    from tongxue.rights import views_board

    monkeypatch.setattr(views_board, "SEARCH_WINDOW", 2)
    for i, student in enumerate((world.student_a, world.student_b, world.officer_a)):
        answered(world, desk, title=f"热水器{i}", student=student, now=MONDAY + i * 24 * HOUR)
    response = client.get(board_url(world.university, q="热水器"))
    assert [c.title for c in response.context["page"]] == ["热水器2", "热水器1"]
    assert 'data-testid="search-window"' in response.content.decode()
    # browsing without a search still reaches every case
    assert len(client.get(board_url(world.university)).context["page"]) == 3


def test_signed_in_users_see_the_same_board(client, world, desk):
    answered(world, desk, title="登录也能看")
    client.force_login(world.league_school)
    assert "登录也能看" in text_of(client.get(board_url(world.university)))


def test_public_self_assessment_links_to_the_board(client, world, desk):
    html = text_of(client.get(reverse("public:self_assessment", args=[world.university.code, "2026-2027"])))
    assert board_url(world.university) in html
