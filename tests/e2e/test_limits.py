"""Journey (phone width): a college president's 31st appointment is refused with the rule's
message; the college League teacher overrides it with a reason; the override shows in the
self-assessment findings, and the .docx export carries every indicator."""
import io

import pytest
from docx import Document

from tests import factories as f
from tests.factories import PASSWORD
from tongxue.domain import reform_rules as rr
from tongxue.unions.models import Membership

from .conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_appointment(page, student_no, department):
    page.fill("input[name=student_no]", student_no)
    page.select_option("select[name=position]", "officer")
    page.select_option("select[name=department]", label=department)


def test_31st_appointment_refused_then_overridden(page, world):
    term = world.union_a.current_term()
    department = term.departments.first()
    for _ in range(28):
        f.MembershipFactory(term=term, department=department,
                            student=f.StudentFactory(student_class=world.student_a.student_class))
    assert Membership.objects.current().filter(term=term).count() == 30

    login(page, world.cadre_a.student_no, PASSWORD)
    page.goto(page.base_url + f"/unions/{world.union_a.pk}/")
    page.click("[data-testid=appoint]")
    fill_appointment(page, world.student_a.student_no, department.name)
    page.click("[data-testid=appoint-form] button[type=submit]")
    message = page.locator("[data-testid=rule-violation]").inner_text()
    assert "不符合指标 C3：二级学生会组织工作人员不超过 30 人（实有 31 人）" in message
    assert page.locator("textarea[name=override_reason]").count() == 0
    screenshot(page, "limits-refused")

    page.context.clear_cookies()
    login(page, world.league_a.login_id, PASSWORD)
    page.goto(page.base_url + f"/cadres/unions/{world.union_a.pk}/appoint/")
    fill_appointment(page, world.student_a.student_no, department.name)
    page.click("[data-testid=appoint-form] button[type=submit]")
    assert "不符合指标 C3" in page.locator("[data-testid=rule-violation]").inner_text()
    fill_appointment(page, world.student_a.student_no, department.name)
    page.fill("textarea[name=override_reason]", "换届交接期间临时增补一名干事")
    page.click("[data-testid=appoint-form] button[type=submit]")
    page.wait_for_selector("[data-testid=union-name]")
    assert "张三" in page.content()

    page.goto(page.base_url + f"/rules/unions/{world.union_a.pk}/")
    row = page.locator("[data-rule=C3]")
    assert row.get_attribute("data-status") == rr.OVERRIDDEN
    assert "换届交接期间临时增补一名干事" in row.inner_text()
    screenshot(page, "limits-overridden")

    with page.expect_download() as download_info:
        page.click("[data-testid=docx]")
    document = Document(io.BytesIO(open(download_info.value.path(), "rb").read()))
    text = "\n".join(cell.text for table in document.tables for r in table.rows for cell in r.cells)
    for rule in rr.SECOND_LEVEL_RULES:
        assert f"{rule.id} " in text
    assert "换届交接期间临时增补一名干事" in text
