"""Journey at phone width: an organiser creates a training session, a cadre checks in with the
code (twice: one attendance), and their training record shows the hours."""
import pytest
from django.utils import timezone

from tests.factories import PASSWORD
from tongxue.cadres.models import TrainingAttendance

from .conftest import login, open_menu, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_organiser_creates_session_and_cadre_checks_in(page, world):
    login(page, world.cadre_a.student_no, PASSWORD)
    open_menu(page)
    page.click("[data-nav=training]")
    page.click("[data-testid=new-session]")
    page.fill("#id_title", "春季全员培训")
    page.select_option("#id_union", str(world.union_a.pk))
    page.fill("#id_starts_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "学生活动中心 201")
    page.fill("#id_hours", "2.5")
    page.click("button[type=submit]")
    code = page.locator("[data-testid=check-in-code]").inner_text().strip()
    assert len(code) == 6 and code.isdigit()
    screenshot(page, "training-session-code")

    page.context.clear_cookies()
    login(page, world.officer_a.student_no, PASSWORD)
    open_menu(page)
    page.click("[data-nav=my_training]")
    page.fill("#id_code", "12345")
    page.click("[data-testid=check-in-submit]")
    page.wait_for_selector("[data-testid=check-in-error]")
    page.fill("#id_code", code)
    page.click("[data-testid=check-in-submit]")
    page.wait_for_selector("[data-testid=check-in-ok]")
    page.fill("#id_code", code)
    page.click("[data-testid=check-in-submit]")
    page.wait_for_selector("[data-testid=check-in-ok]")
    assert TrainingAttendance.objects.filter(student=world.officer_a).count() == 1
    record = page.locator("[data-testid=training-record]").inner_text()
    assert "春季全员培训" in record and "2.5" in record
    assert page.locator("[data-testid=attended-session]").count() == 1
    screenshot(page, "training-check-in")
    page.goto(page.base_url + "/me/")
    assert "春季全员培训" in page.locator("[data-testid=training-record]").inner_text()
