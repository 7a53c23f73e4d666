"""Journey at phone width (选拔): a student opens a call, applies and sees their eligibility; the
presidium chain (college League → college Party → joint review by student affairs and the League
committee → Party committee) moves the candidate to the public notice; the notice is public
without login; another student objects and the League teacher answers; after the notice ends
(the clock is moved in this process, which also runs the live server) the candidate is appointed
and appears on the union page."""
import datetime
import re

import pytest
from django.utils import timezone

from tests.cadres.selection_fixtures import sw  # noqa: F401
from tests.factories import PASSWORD
from tongxue.cadres.models import Application, PublicNotice

from .conftest import login, open_menu, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in_as(page, user, world):
    page.context.clear_cookies()
    login(page, user.login_id, PASSWORD, world.university.name)


def decide(page, world, user, name, shot=None):
    log_in_as(page, user, world)
    open_menu(page)
    page.click("[data-nav=selection_review]")
    page.wait_for_url("**/cadres/selection/review/")
    item = page.locator("[data-testid=queue-item]", has_text=name)
    assert item.count() == 1, user
    item.click()
    page.wait_for_url("**/cadres/selection/applications/*/**")
    page.check("input[name=decision][value=approve]")
    page.fill("textarea[name=comment]", f"{user.full_name}：同意")
    if shot:
        screenshot(page, shot)
    page.click("[data-testid=decision-submit]")
    page.wait_for_url("**/cadres/selection/review/")
    assert page.locator("[data-testid=queue-item]", has_text=name).count() == 0


def test_selection_from_call_to_appointment(page, sw, monkeypatch):  # noqa: F811
    page.set_default_timeout(60_000)
    w, student = sw, sw.student_a

    # the student opens the call, sees their eligibility and applies
    log_in_as(page, student.user, w)
    open_menu(page)
    page.click("[data-nav=selection]")
    page.wait_for_url("**/cadres/selection/")
    page.click(f"[data-testid=call][data-recruitment='{w.recruitment.pk}']")
    page.wait_for_url(f"**/cadres/selection/recruitments/{w.recruitment.pk}/")
    assert page.locator("[data-testid=eligibility]").get_attribute("data-eligible") == "yes"
    page.select_option("select[name=position_type]", "presidium")
    page.fill("textarea[name=statement]", "我希望为同学们做实事，推动学生会改革。")
    screenshot(page, "selection-apply")
    page.click("[data-testid=apply-submit]")
    page.wait_for_url("**/cadres/selection/applications/*/")
    assert page.locator("[data-testid=eligibility]").get_attribute("data-eligible") == "yes"
    assert page.locator("[data-testid=application-status]").get_attribute("data-status") == "submitted"
    screenshot(page, "selection-applied")

    # the chain of a presidium candidate
    decide(page, w, w.league_a, student.name, shot="selection-decide")
    decide(page, w, w.party_a, student.name)
    decide(page, w, w.party, student.name)          # student affairs (school-wide Party approver)
    decide(page, w, w.league_school, student.name)  # school League committee
    decide(page, w, w.party, student.name)          # Party committee decides
    application = Application.objects.get()
    assert application.status == Application.Status.PASSED

    # the League teacher publishes the notice; the trail shows all five decisions
    log_in_as(page, w.league_school, w)
    page.goto(page.base_url + f"/cadres/selection/applications/{application.pk}/")
    assert page.locator("[data-testid=trail-entry][data-kind=step]").count() == 5
    screenshot(page, "selection-trail")
    page.goto(page.base_url + f"/cadres/selection/recruitments/{w.recruitment.pk}/manage/")
    page.click("[data-testid=publish-notice]")
    page.wait_for_url(f"**/cadres/selection/recruitments/{w.recruitment.pk}/manage/")
    notice = PublicNotice.objects.get()

    # the public notice, without login
    page.context.clear_cookies()
    page.goto(page.base_url + f"/public/notices/{notice.pk}/")
    assert page.locator("[data-testid=candidate-name]").inner_text() == student.name
    content = page.content()
    assert student.student_no not in content and student.phone not in content
    screenshot(page, "selection-public-notice")

    # another student objects
    log_in_as(page, w.student_b.user, w)
    page.goto(page.base_url + f"/public/notices/{notice.pk}/")
    page.click("[data-testid=object-link]")
    page.wait_for_url(f"**/cadres/selection/notices/{notice.pk}/object/**")
    page.fill("textarea[name=text]", "该同学上学期曾多次缺席班级活动，请核实。")
    screenshot(page, "selection-objection")
    page.click("[data-testid=objection-submit]")
    page.wait_for_url(f"**/public/notices/{notice.pk}/")

    # the League teacher answers
    log_in_as(page, w.league_school, w)
    page.goto(page.base_url + f"/cadres/selection/recruitments/{w.recruitment.pk}/manage/")
    page.fill("[data-testid=answer-text]", "经核实，缺席系因参加学科竞赛并已请假。")
    page.click("[data-testid=answer-submit]")
    page.wait_for_url(f"**/cadres/selection/recruitments/{w.recruitment.pk}/manage/")
    assert page.locator("[data-testid=objection]").get_attribute("data-answered") == "yes"
    screenshot(page, "selection-objection-answered")

    # the notice ends: move the clock (the live server runs in this process)
    later = notice.ends + datetime.timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page.goto(page.base_url + f"/public/notices/{notice.pk}/")
    assert page.locator("[data-testid=notice-ended]").count() == 1
    assert student.name not in page.content()
    page.goto(page.base_url + f"/cadres/selection/applications/{application.pk}/")
    page.click("[data-testid=appoint-link]")
    page.wait_for_url(f"**/cadres/selection/applications/{application.pk}/appoint/")
    page.select_option("select[name=position]", "vice_president")
    screenshot(page, "selection-appoint")
    page.click("[data-testid=appoint-submit]")
    page.wait_for_url(re.compile(rf".*/unions/{w.school_union.pk}/$"))
    assert student.name in page.locator("[data-testid=presidium]").inner_text()
    screenshot(page, "selection-union-page")
    application.refresh_from_db()
    assert application.status == Application.Status.APPOINTED
