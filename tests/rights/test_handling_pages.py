"""The handling pages of the rights desk: the inbox with its filters and clocks, the handling page
of a case with the actions that apply, each action through its service, and the offline case."""
import datetime

import pytest
from django.utils import timezone

from tests import factories as f
from tongxue.core.models import AccessEvent
from tongxue.domain import sla
from tongxue.domain.workdays import SHANGHAI, WorkCalendar
from tongxue.rights import services, views_handling
from tongxue.rights.clock import clock_of
from tongxue.rights.models import Case, CaseEvent, Category, Level, Office, RoutingRule

from .conftest import MONDAY

HOUR = datetime.timedelta(hours=1)


def submit(world, desk, student=None, *, title="宿舍没有热水", text="3号楼热水器坏了三天", now=MONDAY,
           identity=Case.Identity.HIDDEN, category=None) -> Case:
    student = student or world.student_a
    return services.submit_case(student.user, category=category or desk.dorm, title=title, description=text,
                                place="3号楼", identity=identity, now=now).case


def transferred(world, desk, **kw) -> Case:
    case = submit(world, desk, **kw)
    services.accept_case(world.cadre_a.user, case, now=MONDAY + HOUR)
    return services.transfer_case(world.cadre_a.user, case, desk.logistics, note="请后勤处理", now=MONDAY + 2 * HOUR)


def post(client, case, action, data=None):
    return client.post(f"/rights/cases/{case.pk}/{action}/", data or {})


# --- inbox ---------------------------------------------------------------------------------------

def test_inbox_lists_the_cases_of_the_cadres_union_with_their_clock(client, world, desk):
    mine = submit(world, desk)
    other = submit(world, desk, world.student_b, text="外院宿舍漏水")
    client.force_login(world.cadre_a.user)
    response = client.get("/rights/")
    assert response.status_code == 200
    html = response.content.decode()
    assert mine.reference in html and other.reference not in html
    row = html[html.index(f'data-case="{mine.reference}"'):]
    row = row[:row.index("</li>")]
    # submitted on 2 November, nothing done: the acceptance (due 3 November, 24:00) is overdue
    assert 'data-overdue="yes"' in row and "受理期限 11月3日 24:00" in row
    assert "计算机学院" in row and str(mine.get_status_display()) in row
    assert "赵六" in row and world.cadre_a.student_no not in row   # the handler, by name only


def test_inbox_tabs_and_category_filter(client, world, desk):
    waiting = submit(world, desk)
    canteen = Category.objects.get(university=world.university, code="canteen")
    working = submit(world, desk, title="食堂太贵", text="二食堂菜价上涨", category=canteen)
    services.accept_case(world.cadre_a.user, working, now=MONDAY + HOUR)
    client.force_login(world.cadre_a.user)

    def refs(query):
        html = client.get(f"/rights/?{query}").content.decode()
        return {c.reference for c in (waiting, working) if f'data-case="{c.reference}"' in html}

    assert refs("status=pending") == {waiting.reference}
    assert refs("status=working") == {working.reference}
    assert refs("status=answered") == set()
    assert refs("status=all") == {waiting.reference, working.reference}
    assert refs(f"category={canteen.pk}") == {working.reference}
    html = client.get("/rights/?status=pending").content.decode()
    assert 'data-tab="pending"' in html and "待受理" in html


def test_inbox_of_office_staff_shows_only_their_transferred_cases_under_the_office_name(client, world, desk):
    case = transferred(world, desk)
    submit(world, desk, text="另一件事")
    client.force_login(desk.office_user)
    html = client.get("/rights/").content.decode()
    assert "后勤保障处" in html.split('data-testid="inbox-title"')[1].split("</h1>")[0]
    assert html.count("data-case=") == 1 and case.reference in html
    assert 'data-testid="log-offline"' not in html


def test_inbox_is_paginated_and_its_queries_do_not_grow_with_the_page(client, world, desk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as context:
            html = client.get("/rights/?overdue=on").content.decode()
        return len(context.captured_queries), html

    client.force_login(world.league_school)
    for i in range(3):
        submit(world, desk, text=f"第{i}个问题", now=MONDAY + i * datetime.timedelta(minutes=2))
    few, html = queries()
    assert html.count("data-case=") == 3
    for i in range(3, 30):
        submit(world, desk, text=f"第{i}个问题", now=MONDAY + i * datetime.timedelta(minutes=2))
    many, html = queries()
    assert many <= few <= 20
    assert html.count("data-case=") == 25 and "1 / 2" in html
    assert client.get("/rights/?page=2").content.decode().count("data-case=") == 5


def test_overdue_filter_matches_the_clock(world, desk):
    """The database filter and the clock agree on which cases have a breached stage."""
    calendar = WorkCalendar.weekends_only([2026])
    deadlines = sla.Deadlines()
    now = datetime.datetime(2026, 11, 20, 15, 0, tzinfo=SHANGHAI)   # a Friday
    cases = []
    for days in range(0, 25):
        submitted = now - datetime.timedelta(days=days, hours=days % 5)
        case = submit(world, desk, text=f"问题{days}", now=submitted)
        if days % 3 == 1:
            services.accept_case(world.cadre_a.user, case, now=submitted + HOUR)
        if days % 4 == 2:
            services.answer_case(world.cadre_a.user, case, "已处理", now=submitted + 2 * HOUR)
        cases.append(case)

    class Fixed(views_handling.Calendars):
        def get(self, university_id):
            return calendar, deadlines

    matched = set(Case.objects.filter(views_handling.overdue_filter([world.university.pk], now, Fixed()))
                  .values_list("pk", flat=True))
    breached = {c.pk for c in Case.objects.all()
                if any(s.status == sla.Status.BREACHED
                       for s in clock_of(c, now, calendar=calendar, deadlines=deadlines).stages)}
    assert matched == breached and 0 < len(breached) < len(cases)


def test_overdue_filter_on_the_page(client, world, desk):
    old = submit(world, desk, now=timezone.now() - datetime.timedelta(days=10))
    fresh = submit(world, desk, text="刚刚发现的问题", now=timezone.now())
    client.force_login(world.cadre_a.user)
    html = client.get("/rights/?overdue=on").content.decode()
    assert old.reference in html and fresh.reference not in html


def test_inbox_is_refused_to_those_who_handle_no_case(client, world, desk):
    client.force_login(world.student_b.user)
    assert client.get("/rights/").status_code == 403
    assert AccessEvent.objects.filter(actor=world.student_b.user, path="/rights/").count() == 1


# --- the handling page ---------------------------------------------------------------------------

def test_handling_page_shows_the_problem_the_student_and_the_clock(client, world, desk):
    case = submit(world, desk)
    services.add_note(world.cadre_a.user, case, "先联系宿管")
    client.force_login(world.cadre_a.user)
    html = client.get(f"/rights/cases/{case.pk}/").content.decode()
    assert 'data-testid="handling"' in html
    assert "3号楼热水器坏了三天" in html and "3号楼" in html
    assert "张三" in html and world.student_a.student_no in html
    assert "先联系宿管" in html and "内部" in html
    assert html.count("data-stage=") == 3
    for action in ("accept", "transfer", "answer", "merge", "publish", "note"):
        assert f'data-action="{action}"' in html, action
    assert 'data-action="close"' not in html


def test_anonymous_case_shows_anonymous(client, world, desk):
    case = submit(world, desk, identity=Case.Identity.ANONYMOUS)
    client.force_login(world.cadre_a.user)
    html = client.get(f"/rights/cases/{case.pk}/").content.decode()
    assert "匿名" in html and "张三" not in html and world.student_a.student_no not in html


def test_office_staff_see_a_named_student_without_the_student_number(client, world, desk):
    case = transferred(world, desk, identity=Case.Identity.NAMED)
    client.force_login(desk.office_user)
    html = client.get(f"/rights/cases/{case.pk}/").content.decode()
    assert "张三" in html and world.student_a.student_no not in html
    for action in ("answer", "start", "note"):
        assert f'data-action="{action}"' in html, action
    for action in ("accept", "transfer", "merge", "publish", "close", "move"):
        assert f'data-action="{action}"' not in html, action


def test_photos_are_linked_through_the_protected_view(client, world, desk):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    upload = SimpleUploadedFile("p.png", buffer.getvalue(), content_type="image/png")
    case = services.submit_case(world.student_a.user, category=desk.dorm, title="墙皮脱落", description="墙皮掉了",
                                photos=[upload], now=MONDAY).case
    client.force_login(world.cadre_a.user)
    html = client.get(f"/rights/cases/{case.pk}/").content.decode()
    photo = case.photos.get()
    assert f"/rights/photos/{photo.pk}/" in html and photo.image.name not in html


# --- actions -------------------------------------------------------------------------------------

def test_accept_then_a_second_post_changes_nothing(client, world, desk):
    case = submit(world, desk)
    client.force_login(world.cadre_a.user)
    response = post(client, case, "accept", {"accept-note": "收到"})
    assert response.status_code == 302 and response["Location"] == f"/rights/cases/{case.pk}/"
    again = post(client, case, "accept", {"accept-note": "收到"})
    assert again.status_code == 400
    assert "alert-danger" in again.content.decode()   # the CaseError is shown
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ACCEPTED).count() == 1


def test_transfer_answer_and_close(client, world, desk):
    case = submit(world, desk)
    client.force_login(world.cadre_a.user)
    assert post(client, case, "transfer", {"transfer-office": desk.logistics.pk, "transfer-note": "请处理"}
                ).status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.TRANSFERRED and case.office == desk.logistics
    # a second transfer of the same click is refused by the status flow
    assert post(client, case, "transfer", {"transfer-office": desk.logistics.pk}).status_code == 400
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TRANSFERRED).count() == 1

    client.force_login(desk.office_user)
    assert post(client, case, "answer", {"answer-text": ""}).status_code == 400
    assert post(client, case, "answer", {"answer-text": "已更换热水器"}).status_code == 302
    assert post(client, case, "answer", {"answer-text": "已更换热水器"}).status_code == 400
    case.refresh_from_db()
    assert case.status == Case.Status.ANSWERED and case.answered_by_office == desk.logistics
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ANSWERED).count() == 1

    client.force_login(world.cadre_a.user)
    assert post(client, case, "close").status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


def test_office_staff_may_return_a_case_but_not_transfer_or_accept(client, world, desk):
    case = transferred(world, desk)
    client.force_login(desk.office_user)
    for action, data in (("transfer", {"transfer-office": desk.logistics.pk}), ("accept", {}),
                         ("publish", {"publish-reason": "隐私"}), ("close", {})):
        assert post(client, case, action, data).status_code == 403, action
    assert AccessEvent.objects.filter(actor=desk.office_user).count() == 4
    case.refresh_from_db()
    assert case.status == Case.Status.TRANSFERRED and case.is_public
    assert post(client, case, "start", {"start-note": "不属于后勤"}).status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS and case.office is None
    # back with the union, the office no longer sees it
    assert client.get(f"/rights/cases/{case.pk}/").status_code == 404


def test_another_office_cannot_see_or_answer(client, world, desk):
    case = transferred(world, desk)
    client.force_login(desk.other_office_user)
    assert post(client, case, "answer", {"answer-text": "已修"}).status_code == 404
    case.refresh_from_db()
    assert case.status == Case.Status.TRANSFERRED


def test_move_up_and_down_and_a_repeated_move_is_refused(client, world, desk):
    case = submit(world, desk)
    client.force_login(world.league_school)
    data = {"move-direction": "up", "move-from_level": Level.COLLEGE, "move-note": "学院解决不了"}
    assert post(client, case, "move", data).status_code == 302
    case.refresh_from_db()
    assert (case.level, case.union) == (Level.SCHOOL, world.school_union)
    assert post(client, case, "move", data).status_code == 400   # the same click again
    client.force_login(world.cadre_a.user)   # the college union no longer has it
    assert client.get(f"/rights/cases/{case.pk}/").status_code == 404
    case.refresh_from_db()
    assert case.level == Level.SCHOOL
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.MOVED).count() == 1
    client.force_login(world.school_cadre.user)
    down = {"move-direction": "down", "move-from_level": Level.SCHOOL}
    assert post(client, case, "move", down).status_code == 302
    case.refresh_from_db()
    assert case.level == Level.COLLEGE


def test_merge_by_reference_and_by_pick(client, world, desk):
    first = submit(world, desk)
    dup = submit(world, desk, world.student_a, title="没有热水", text="3号楼还是没有热水")
    third = submit(world, desk, title="热水器坏了", text="3号楼热水器坏了")
    client.force_login(world.cadre_a.user)
    page = client.get(f"/rights/cases/{dup.pk}/").content.decode()
    merge = page[page.index('data-action="merge"'):]
    merge = merge[:merge.index("</details>")]
    assert f'value="{first.pk}"' in merge and first.reference in merge and dup.reference not in merge
    bad = post(client, dup, "merge", {"merge-reference": "QY2026-999999"})
    assert bad.status_code == 400 and "没有这个编号" in bad.content.decode()
    assert post(client, dup, "merge", {"merge-reference": first.reference.lower()}).status_code == 302
    dup.refresh_from_db()
    assert dup.status == Case.Status.MERGED and dup.merged_into == first
    assert post(client, third, "merge", {"merge-target": first.pk}).status_code == 302
    third.refresh_from_db()
    assert third.merged_into == first
    # a case of another college cannot be picked
    foreign = submit(world, desk, world.student_b, text="外院的问题")
    fourth = submit(world, desk, text="第四个")
    assert post(client, fourth, "merge", {"merge-target": foreign.pk}).status_code == 400
    assert post(client, fourth, "merge", {"merge-reference": foreign.reference}).status_code == 400
    fourth.refresh_from_db()
    assert fourth.status == Case.Status.SUBMITTED


def test_withhold_needs_a_reason_and_return_to_the_board(client, world, desk):
    case = submit(world, desk)
    client.force_login(world.cadre_a.user)
    refused = post(client, case, "publish", {"publish-is_public": "", "publish-reason": ""})
    assert refused.status_code == 400
    case.refresh_from_db()
    assert case.is_public
    page = client.get(f"/rights/cases/{case.pk}/").content.decode()
    assert page.count('name="publish-is_public"') == 1
    assert post(client, case, "publish", {"publish-is_public": "False", "publish-reason": "涉及个人健康"}
                ).status_code == 302
    case.refresh_from_db()
    assert not case.is_public and case.private_reason == "涉及个人健康"
    assert post(client, case, "publish", {"publish-is_public": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.is_public


def test_internal_note_is_not_added_twice(client, world, desk):
    case = transferred(world, desk)
    client.force_login(desk.office_user)
    for _ in range(2):
        assert post(client, case, "note", {"note-text": "已派人查看"}).status_code == 302
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.NOTE).count() == 1
    # after answering, the office may still write notes, but not answer again
    assert post(client, case, "answer", {"answer-text": "已处理"}).status_code == 302
    assert post(client, case, "note", {"note-text": "已回访"}).status_code == 302
    refused = post(client, case, "answer", {"answer-text": "已处理"})
    assert refused.status_code == 400 and "此案件已不在等待本部门办理" in refused.content.decode()
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.NOTE).count() == 2


def test_those_who_only_see_a_case_cannot_act_on_it(client, world, desk):
    case = submit(world, desk)
    for user in (world.student_a.user, world.party):     # the submitter; a Party approver
        client.force_login(user)
        assert post(client, case, "accept").status_code == 403
        assert post(client, case, "note", {"note-text": "看看"}).status_code == 403
    client.force_login(world.other_admin)
    assert post(client, case, "accept").status_code == 404
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED and not case.events.filter(kind=CaseEvent.Kind.NOTE).exists()


def test_a_calendar_gap_is_shown_not_raised(client, world, desk, monkeypatch):
    from tongxue.domain.workdays import WorkCalendar

    monkeypatch.setattr(views_handling, "calendar_for", lambda university_id: WorkCalendar.weekends_only([2025]))
    case = submit(world, desk)
    client.force_login(world.cadre_a.user)
    for path in ("/rights/", "/rights/?overdue=on", f"/rights/cases/{case.pk}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "工作日历缺少 2026 年的数据" in response.content.decode(), path


def test_actions_answer_get_with_405(client, world, desk):
    case = submit(world, desk)
    client.force_login(world.cadre_a.user)
    assert client.get(f"/rights/cases/{case.pk}/accept/").status_code == 405


# --- offline cases -------------------------------------------------------------------------------

def offline_data(**kw):
    data = {"source": "stall", "student_no": "", "identity": "hidden", "title": "图书馆座位不够",
            "description": "考试周图书馆一座难求", "place": "图书馆", "consent": "on"}
    data.update(kw)
    return data


def test_cadre_logs_an_offline_case_for_a_student_in_scope(client, world, desk):
    client.force_login(world.cadre_a.user)
    assert client.get("/rights/offline/").status_code == 200
    response = client.post("/rights/offline/", offline_data(category=desk.dorm.pk,
                                                            student_no=world.student_a.student_no))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rights/cases/{case.pk}/"
    assert (case.channel, case.source, case.submitter, case.logged_by) == (
        Case.Channel.OFFLINE, Case.Source.STALL, world.student_a, world.cadre_a.user)


def test_offline_case_refuses_a_student_outside_the_scope_and_missing_consent(client, world, desk):
    client.force_login(world.cadre_a.user)
    outside = client.post("/rights/offline/", offline_data(category=desk.dorm.pk,
                                                           student_no=world.student_b.student_no))
    assert outside.status_code == 200 and "您服务的学生中没有这个学号" in outside.content.decode()
    no_consent = client.post("/rights/offline/", offline_data(category=desk.dorm.pk, consent=""))
    assert no_consent.status_code == 200
    other_category = Category.objects.get(university=world.other_university, code="dorm")
    assert client.post("/rights/offline/", offline_data(category=other_category.pk)).status_code == 200
    assert not Case.objects.exists()


def test_offline_case_without_a_student_is_anonymous(client, world, desk):
    client.force_login(world.class_rep_a)
    client.post("/rights/offline/", offline_data(category=desk.dorm.pk, source="forum"))
    case = Case.objects.get()
    assert case.identity == Case.Identity.ANONYMOUS and case.submitter is None
    assert case.logged_by == world.class_rep_a


@pytest.mark.parametrize("who", ["student", "party", "office"])
def test_offline_page_is_refused_to_those_who_do_not_handle_cases(client, world, desk, who):
    user = {"student": world.student_b.user, "party": world.party, "office": desk.office_user}[who]
    client.force_login(user)
    assert client.get("/rights/offline/").status_code == 403


# --- navigation ----------------------------------------------------------------------------------

def test_navigation_entry_for_those_who_handle_cases(world, desk):
    from tongxue.core.navigation import navigation_items

    def shown(user):
        return "rights_cases" in {item.key for item in navigation_items(user)}

    for user in (world.cadre_a.user, world.officer_a.user, world.class_rep_a, world.league_a, world.league_school,
                 world.univ_admin, world.fed_admin, desk.office_user, desk.other_office_user):
        assert shown(user), user
    for user in (world.student_a.user, world.party):
        assert not shown(user), user
    Office.objects.filter(staff=desk.other_office_user).update(is_active=False)
    assert not shown(desk.other_office_user)


def test_routing_rule_case_reaches_the_class_representatives_inbox(client, world, desk):
    RoutingRule.objects.create(university=world.university, category=desk.dorm, level=Level.CLASS)
    case = submit(world, desk)
    client.force_login(world.class_rep_a)
    assert case.reference in client.get("/rights/").content.decode()
    assert client.get(f"/rights/cases/{case.pk}/").status_code == 200
