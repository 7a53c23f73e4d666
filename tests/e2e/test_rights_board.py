"""Journey at phone width: an anonymous visitor searches the public rights board and opens an
answered case (no name, no 学号 of a hidden case); a League teacher reads the month's report."""
import datetime

import pytest

from tests.factories import PASSWORD
from tests.rights.conftest import desk  # noqa: F401  (the rights-desk fixture)
from tests.rights.test_board import png
from tongxue.domain.workdays import SHANGHAI
from tongxue.rights import services
from tongxue.rights.models import Case, Category

from .conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OCT = datetime.datetime(2026, 10, 12, 9, 0, tzinfo=SHANGHAI)
HOUR = datetime.timedelta(hours=1)

CASES = [
    # student, identity, category code, title, description, answer, via office, hours to answer
    ("student_a", "hidden", "dorm", "3号楼热水器坏了三天", "3号楼二层热水器坏了三天，洗澡只能去别的楼。",
     "后勤已于次日更换热水器，并安排每周巡检。", True, 20),
    ("student_b", "named", "canteen", "二食堂午餐排队太久", "中午12点二食堂排队超过半小时，窗口开得太少。",
     "二食堂午餐高峰已增开两个窗口，并延长供餐时间。", False, 30),
    ("officer_a", "anonymous", "facilities", "图书馆空调不制冷", "图书馆四楼自习区空调不制冷，下午很闷。",
     "已维修四楼空调压缩机。", True, 50),
    ("student_a", "named", "teaching", "选课系统高峰卡顿", "选课开放第一小时系统经常卡死。",
     "信息化办公室已扩容选课服务器，下学期分批开放。", False, 70),
    ("student_b", "hidden", "dorm", "宿舍热水器水温不稳", "5号楼热水器忽冷忽热。", "已调整5号楼热水器温控。", True, 26),
]


@pytest.fixture
def board(world, desk):
    league = world.league_school
    made = []
    for i, (who, identity, code, title, text, answer, via_office, hours) in enumerate(CASES):
        student = getattr(world, who)
        at = OCT + i * 24 * HOUR
        category = Category.objects.get(university=world.university, code=code)
        case = services.submit_case(student.user, category=category, title=title, description=text,
                                    identity=identity, photos=[png()] if i == 0 else (), photos_public=i == 0,
                                    now=at).case
        case = services.accept_case(league, case, now=at + HOUR)
        if via_office:
            case = services.transfer_case(league, case, desk.logistics, now=at + 2 * HOUR)
            services.answer_case(desk.office_user, case, answer, now=at + hours * HOUR)
        else:
            services.answer_case(league, case, answer, now=at + hours * HOUR)
        made.append(case)
    services.join_case(world.officer_a.user, made[0], now=OCT + 3 * HOUR)
    return made


def test_anonymous_visitor_searches_the_board_and_opens_a_case(page, world, desk, board):
    hidden = board[0]
    page.goto(f"{page.base_url}/public/rights/{world.university.code}/")
    assert page.locator("[data-testid=board-list] li").count() == 5
    screenshot(page, "rights-board")
    page.fill("input[name=q]", "热水器")
    with page.expect_navigation():
        page.click("[data-testid=board-search] button[type=submit]")
    titles = page.locator("[data-testid=board-list] h2").all_inner_texts()
    assert sorted(titles) == sorted(["3号楼热水器坏了三天", "宿舍热水器水温不稳"])
    screenshot(page, "rights-board-search")
    with page.expect_navigation():
        page.click(f"[data-case='{hidden.pk}'] a")
    page.wait_for_url(f"**/public/rights/{world.university.code}/cases/{hidden.pk}/")
    body = page.locator("main").inner_text()
    assert "后勤已于次日更换热水器" in body and "后勤保障处" in body
    assert page.locator("[data-testid=raised-by]").inner_text() == "某同学"
    assert world.student_a.name not in body and world.student_a.student_no not in body
    assert "2 位同学也遇到" in body
    assert page.locator("[data-testid=photos] img").count() == 1
    assert page.evaluate("document.querySelector('[data-testid=photos] img').naturalWidth") > 0
    screenshot(page, "rights-board-case")


def test_league_teacher_reads_the_school_report(page, world, desk, board):
    login(page, world.league_school.login_id, PASSWORD)
    page.goto(f"{page.base_url}/rights/reports/")
    page.select_option("#id_target", f"school-{world.university.pk}")
    page.fill("#id_month", "2026-10")
    with page.expect_navigation():
        page.click("[data-testid=report-pick] button[type=submit]")
    page.wait_for_url(f"**/rights/reports/school/{world.university.pk}/2026-10/")
    assert page.locator("[data-figure='0']").inner_text() == "5"
    assert page.locator("svg[data-chart=category] g").count() == 4
    for student in (world.student_a, world.student_b, world.officer_a):
        assert student.name not in page.locator("main").inner_text()
    screenshot(page, "rights-report")
    assert Case.objects.count() == 5
