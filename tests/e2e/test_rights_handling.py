"""Journeys of the rights desk's handling side at phone width: a cadre accepts a case and transfers
it to 后勤保障处, whose staff member answers it from the office's inbox; and an overdue case that
the clock sweep escalates (the clock is moved, never slept on) shows up, marked overdue and
escalated, in the inbox of the school union's cadre and of the League teacher."""
import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests import factories as f
from tests.factories import PASSWORD
from tongxue.core.models import Role
from tongxue.rights import services
from tongxue.rights.defaults import ensure_defaults
from tongxue.rights.models import Case, CaseEvent, Category, Level, Office

from .conftest import login, open_menu, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office_user(world):
    ensure_defaults(world.university)
    user = f.UserFactory(university=world.university, login_id="H1001", full_name="后勤王老师")
    f.RoleAssignmentFactory(user=user, university=world.university, role=Role.OFFICE_STAFF)
    Office.objects.get(university=world.university, code="logistics").staff.add(user)
    return user


def submit(world, title, text, now=None) -> Case:
    dorm = Category.objects.get(university=world.university, code="dorm")
    return services.submit_case(world.student_a.user, category=dorm, title=title, description=text, place="3号楼",
                                identity=Case.Identity.HIDDEN, now=now).case


def open_inbox(page):
    open_menu(page)
    page.click("[data-nav=rights_cases]")
    page.wait_for_url("**/rights/")


def test_cadre_accepts_and_transfers_and_the_office_answers(page, world, office_user):
    page.set_default_timeout(60_000)
    case = submit(world, "宿舍没有热水", "3号楼热水器坏了三天，洗不了澡")

    login(page, world.cadre_a.student_no, PASSWORD)
    open_inbox(page)
    row = page.locator(f"[data-case='{case.reference}']")
    assert "宿舍没有热水" in row.inner_text()
    screenshot(page, "rights-inbox")
    with page.expect_navigation():
        row.locator("a").click()
    assert "张三" in page.locator("[data-testid=submitter]").inner_text()
    screenshot(page, "rights-handling")
    with page.expect_navigation():
        page.click("[data-action=accept] button[type=submit]")
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED
    page.click("[data-action=transfer] summary")
    page.select_option("#id_transfer-office", label="后勤保障处")
    page.fill("#id_transfer-note", "请后勤尽快维修")
    with page.expect_navigation():
        page.click("[data-action=transfer] button[type=submit]")
    case.refresh_from_db()
    assert case.status == Case.Status.TRANSFERRED and case.office.name == "后勤保障处"
    assert "后勤保障处" in page.locator("[data-testid=timeline]").inner_text()

    page.context.clear_cookies()
    login(page, "H1001", PASSWORD)
    open_inbox(page)
    assert "后勤保障处" in page.locator("[data-testid=inbox-title]").inner_text()
    rows = page.locator("[data-testid=inbox] [data-case]")
    assert rows.count() == 1 and case.reference in rows.first.inner_text()
    screenshot(page, "rights-office-inbox")
    with page.expect_navigation():
        rows.first.locator("a").click()
    # the student asked to hide their identity: the office never sees who it is
    submitter = page.locator("[data-testid=submitter]").inner_text()
    assert "张三" not in submitter and world.student_a.student_no not in page.content()
    assert page.locator("[data-action=transfer]").count() == 0
    page.fill("#id_answer-text", "已安排维修师傅今天下午更换热水器。")
    screenshot(page, "rights-office-case")
    with page.expect_navigation():
        page.click("[data-action=answer] button[type=submit]")
    case.refresh_from_db()
    assert case.status == Case.Status.ANSWERED and case.answered_by_office.name == "后勤保障处"
    assert "已安排维修师傅" in page.locator("[data-testid=answer]").inner_text()


def test_an_overdue_case_is_escalated_and_reaches_the_school_union_and_the_league_teacher(page, world, office_user):
    page.set_default_timeout(60_000)
    submitted = timezone.now() - datetime.timedelta(days=10)
    case = submit(world, "教室空调坏了", "教学楼A201空调坏了一个月", now=submitted)
    assert (case.level, case.union) == (Level.COLLEGE, world.union_a)

    # an hour after the submission nothing is due yet
    call_command("rights_clock", "--once", "--now", (submitted + datetime.timedelta(hours=1)).isoformat())
    case.refresh_from_db()
    assert case.escalated_stages == [] and case.level == Level.COLLEGE
    # ten days later the deadlines to accept and to answer have passed: the sweep escalates
    services.escalate_overdue(now=timezone.now())
    case.refresh_from_db()
    assert (case.level, case.union, case.handler) == (Level.SCHOOL, world.school_union, world.school_cadre.user)
    assert case.is_flagged and "accept" in case.escalated_stages
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ESCALATED).exists()

    login(page, world.school_cadre.student_no, PASSWORD)
    open_inbox(page)
    row = page.locator(f"[data-case='{case.reference}']")
    assert row.get_attribute("data-overdue") == "yes" and row.get_attribute("data-flagged") == "yes"
    assert "已升级" in row.inner_text() and "已超时" in row.inner_text()
    page.check("#f-overdue")
    with page.expect_navigation():
        page.click("[data-testid=inbox-filter] button")
    assert page.locator("[data-testid=inbox] [data-case]").count() == 1
    screenshot(page, "rights-inbox-overdue")
    with page.expect_navigation():
        row.locator("a").click()
    assert page.locator("[data-stage=accept]").get_attribute("data-status") == "breached"
    assert "系统计时" in page.locator("[data-testid=timeline]").inner_text()
    screenshot(page, "rights-handling-escalated")

    page.context.clear_cookies()
    login(page, world.league_a.login_id, PASSWORD)
    open_inbox(page)
    row = page.locator(f"[data-case='{case.reference}']")
    assert row.get_attribute("data-overdue") == "yes" and "已升级" in row.inner_text()


def test_class_representative_logs_an_offline_case_heard_at_a_stall(page, world, office_user):
    page.set_default_timeout(60_000)
    login(page, world.class_rep_a.login_id, PASSWORD)
    open_inbox(page)
    with page.expect_navigation():
        page.click("[data-testid=log-offline]")
    page.select_option("#id_source", "stall")
    page.fill("#id_student_no", world.student_a.student_no)
    page.select_option("#id_category", label="宿舍")
    page.fill("#id_title", "宿舍楼门禁常坏")
    page.fill("#id_description", "5号楼门禁刷卡经常失灵，晚归进不去")
    page.fill("#id_place", "5号楼")
    screenshot(page, "rights-offline")
    with page.expect_navigation():
        page.click("[data-testid=offline-form] button[type=submit]")
    # without the consent nothing is logged
    assert "登记诉求前请先确认学生同意" in page.content()
    assert not Case.objects.exists()
    page.check("#id_consent")
    with page.expect_navigation():
        page.click("[data-testid=offline-form] button[type=submit]")
    case = Case.objects.get()
    assert (case.channel, case.submitter, case.logged_by) == (Case.Channel.OFFLINE, world.student_a,
                                                               world.class_rep_a)
    # routed to the college union, which the class representative does not handle: back to the inbox
    assert page.url.endswith("/rights/") and case.reference in page.content()
