"""Journey at phone width: a cadre logs a contact with their class; the union's coverage view
shows that class reached this month and another class not reached."""
import pytest

from tests import factories as f
from tests.factories import PASSWORD

from .conftest import login, open_menu, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_cadre_logs_contact_and_coverage_shows_it(page, world):
    reached = world.student_a.student_class
    unreached = f.StudentClassFactory(major=reached.major, name="计科2402")
    login(page, world.officer_a.student_no, PASSWORD)
    open_menu(page)
    page.click("[data-nav=my_contacts]")
    page.select_option("#id_channel", "face")
    page.select_option("#id_student_class", str(reached.pk))
    page.fill("#id_raised", "自习室开放时间太短")
    page.click("[data-testid=contact-form] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "自习室开放时间太短" in page.locator("[data-testid=my-logs]").inner_text()
    screenshot(page, "contact-log")

    page.context.clear_cookies()
    login(page, world.league_a.login_id, PASSWORD)
    open_menu(page)
    page.click("[data-nav=coverage]")
    row = page.locator(f"[data-testid=coverage] tr[data-class='{reached.name}']")
    assert row.get_attribute("data-reached") == "yes" and "孙七" in row.inner_text()
    other = page.locator(f"[data-testid=coverage] tr[data-class='{unreached.name}']")
    assert other.get_attribute("data-reached") == "no"
    screenshot(page, "contact-coverage")
