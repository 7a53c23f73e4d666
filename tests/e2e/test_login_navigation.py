"""Journey: a student, a college cadre and a League teacher log in and see the right
navigation and the right data."""
import pytest

from tests.factories import PASSWORD

from .conftest import login, open_menu, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def nav_keys(page) -> set[str]:
    open_menu(page)
    return set(page.locator("[data-nav]").evaluate_all("els => els.map(e => e.dataset.nav)"))


def test_student_sees_their_services_only(page, world):
    login(page, world.student_a.student_no, PASSWORD)
    assert page.locator("[data-testid=student-services]").is_visible()
    assert "我的服务" in page.content()
    keys = nav_keys(page)
    assert {"home", "me", "unions"} <= keys
    assert not keys & {"students", "audit", "roster_import", "my_union", "admin"}
    screenshot(page, "student-home")
    page.goto(page.base_url + "/students/")
    assert "无权" in page.content()


def test_college_cadre_sees_their_union_and_college(page, world):
    login(page, world.cadre_a.student_no, PASSWORD)
    keys = nav_keys(page)
    assert {"my_union", "students"} <= keys and "audit" not in keys
    page.click("[data-nav=my_union]")
    page.wait_for_url("**/unions/*/")
    assert page.locator("[data-testid=union-name]").inner_text() == "计算机学院学生会"
    assert "赵六" in page.locator("[data-testid=presidium]").inner_text()
    screenshot(page, "cadre-union")
    page.goto(page.base_url + "/students/")
    rows = page.locator("#rows").inner_text()
    assert "张三" in rows and "李四" not in rows


def test_league_teacher_sees_oversight(page, world):
    login(page, world.league_school.login_id, PASSWORD)
    assert page.locator("[data-testid=oversight]").is_visible()
    oversight = page.locator("[data-testid=oversight]").inner_text()
    assert "计算机学院学生会" in oversight and "别校学生会" not in oversight
    keys = nav_keys(page)
    assert {"audit", "students", "roster_import"} <= keys
    screenshot(page, "league-home")
    page.click("[data-nav=audit]")
    page.wait_for_url("**/audit/")
    assert page.locator("[data-testid=audit-entries]").is_visible()


def test_language_switch_to_english(page, world):
    login(page, world.student_a.student_no, PASSWORD)
    page.select_option("#lang", "en")
    page.click("[data-testid=set-language]")
    page.wait_for_load_state("networkidle")
    assert "My services" in page.content()


def test_wrong_password_shows_an_error(page, world):
    login(page, world.student_a.student_no, "wrong-password")
    assert page.locator(".alert-danger").is_visible()
    assert "/login/" in page.url
