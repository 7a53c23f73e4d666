"""Journey at phone width: a student sees the unread badge without opening the menu, opens the
notifications, taps one and lands on its page; the badge then counts one fewer."""
import pytest

from tests.factories import PASSWORD
from tongxue.notifications import services

from .conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_student_opens_a_notification_from_the_badge(page, world):
    student = world.student_a.user
    services.notify([student], kind="case_accepted", title="您的诉求已受理", body="宿舍热水问题已由学生会受理。", url="/me/")
    services.notify([student], kind="case_answered", title="您的诉求已答复", url="/me/")
    login(page, world.student_a.student_no, PASSWORD)
    badge = page.locator("[data-testid=unread-badge]")
    assert badge.is_visible() and badge.inner_text() == "2"
    page.click("[data-testid=notifications-link]")
    assert page.locator("[data-testid=notification][data-unread='1']").count() == 2
    screenshot(page, "notifications")

    page.click("text=您的诉求已受理")
    page.wait_for_url("**/me/")
    assert page.locator("[data-testid=unread-badge]").inner_text() == "1"
