"""Journey at phone width: a League teacher imports academic results that make a serving cadre
fail → an exit case appears → the teacher dismisses the cadre → the union page no longer lists
them and their own /me/ history shows the ended position."""
import pytest
from openpyxl import Workbook

from tests import factories as f
from tongxue.cadres.models import ExitCase
from tongxue.unions.models import Membership

from tests.factories import PASSWORD

from .conftest import login, open_menu, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def write_results(path, rows):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("成绩")
    sheet.append(["学号", "姓名", "学期", "类型", "专业排名", "专业人数", "不及格门数"])
    for values in rows:
        sheet.append(values)
    workbook.save(path)


def test_an_import_leads_to_an_exit_case_and_a_dismissal(page, world, tmp_path):
    page.set_default_timeout(60_000)
    officer, cadre = world.officer_a, world.cadre_a
    f.AcademicRecordFactory(student=cadre, period="year", label="2025-2026")
    results = tmp_path / "2025-2026-2成绩.xlsx"
    write_results(results, [
        [officer.student_no, officer.name, "2025-2026-2", "学期", 58, 60, 2],
        [cadre.student_no, cadre.name, "2025-2026-2", "学期", 3, 60, 0],
    ])

    login(page, world.league_school.login_id, PASSWORD, world.university.name)
    open_menu(page)
    page.click("[data-nav=academic_import]")
    page.wait_for_url("**/academic-import/")
    page.set_input_files("input[name=file]", str(results))
    page.click("[data-testid=import-submit]")
    page.wait_for_selector("[data-testid=job-status][data-status=succeeded]")
    assert page.locator("[data-testid=created-count]").inner_text() == "2"
    screenshot(page, "academic-import-done")

    page.click("[data-testid=go-exit-cases]")
    page.wait_for_url("**/cadres/exits/")
    cases = page.locator("[data-testid=exit-case][data-status=open]")
    assert cases.count() == 1
    case = cases.first
    assert officer.name in case.locator("[data-testid=case-student]").inner_text()
    assert "不及格" in case.locator("[data-testid=case-reasons]").inner_text()
    screenshot(page, "exit-case-open")
    case.locator("[data-testid=decision-text]").fill("2025-2026-2学期不及格课程两门，经核实免去干事职务。")
    case.locator("[data-testid=decide-dismiss]").click()
    page.wait_for_selector("[data-testid=exit-case][data-status=decided]")  # swapped in place by htmx
    assert "经核实" in page.locator("[data-testid=case-decision]").inner_text()
    screenshot(page, "exit-case-decided")
    assert ExitCase.objects.get().status == ExitCase.Status.DECIDED

    page.goto(page.base_url + f"/unions/{world.union_a.pk}/")
    assert officer.name not in page.locator("[data-testid=departments]").inner_text()
    assert cadre.name in page.locator("[data-testid=presidium]").inner_text()

    page.context.clear_cookies()
    login(page, officer.student_no, PASSWORD, world.university.name)
    page.goto(page.base_url + "/me/")
    membership = Membership.objects.get(student=officer)
    position = page.locator(f"[data-testid=positions] [data-membership='{membership.pk}']")
    assert position.get_attribute("data-ended") == "dismissal"
    assert page.locator("[data-testid=resign]").count() == 0
    assert page.locator("[data-testid=eligibility]").get_attribute("data-eligible") == "no"
    screenshot(page, "exit-me-history")
