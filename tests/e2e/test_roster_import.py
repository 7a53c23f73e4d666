"""Journey: a school-wide League teacher imports the roster at phone width — a file with errors
is refused with a row-by-row report (nothing imported), then 30,000 valid rows go in."""
import pytest
from openpyxl import Workbook, load_workbook

from tests.factories import PASSWORD
from tongxue.core.models import ImportJob, Student, User

from .conftest import login, open_menu, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADERS = ["学号", "姓名", "性别", "民族", "政治面貌", "学院", "专业", "年级", "班级", "手机号", "身份证号"]
COLLEGES = [("计算机学院", "软件工程", "软件"), ("外国语学院", "英语", "英语")]


def write_roster(path, rows):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名单")
    sheet.append(HEADERS)
    for values in rows:
        sheet.append(values)
    workbook.save(path)


def valid_rows(n):
    for i in range(n):
        college, major, short = COLLEGES[i % 2]
        grade = 2022 + i % 4
        yield [f"{grade}9{i:05d}", f"学生{i}", "男" if i % 2 else "女", "汉族", "共青团员", college, major,
               str(grade), f"{short}{grade % 100}{i % 4 + 1}班", f"139{i:08d}", f"11010120000101{i % 10000:04d}"]


def upload(page, path):
    page.goto(page.base_url + "/students/import/")
    page.set_input_files("input[name=file]", str(path))
    page.click("[data-testid=import-submit]")


def test_league_teacher_imports_the_roster(page, world, tmp_path):
    page.set_default_timeout(120_000)
    page.set_default_navigation_timeout(120_000)
    login(page, world.league_school.login_id, PASSWORD, world.university.name)
    open_menu(page)
    page.click("[data-nav=roster_import]")
    page.wait_for_url("**/students/import/")
    assert page.locator("[data-testid=import-form]").is_visible()
    screenshot(page, "roster-import-form")

    before = (Student.objects.count(), User.objects.count())
    bad = tmp_path / "名单-有错.xlsx"
    rows = list(valid_rows(4))
    rows[1][5] = "外语学院"
    rows[3][9] = "12345"
    write_roster(bad, rows)
    upload(page, bad)
    page.wait_for_selector("[data-testid=job-status][data-status=failed]")
    table = page.locator("[data-testid=error-table]")
    assert table.locator("tr[data-row='3'][data-column='学院']").count() == 1
    assert table.locator("tr[data-row='5'][data-column='手机号']").count() == 1
    assert "外语学院" in table.inner_text() and "12345" in table.inner_text()
    assert (Student.objects.count(), User.objects.count()) == before
    screenshot(page, "roster-import-errors")
    with page.expect_download() as download:
        page.click("[data-testid=download-rejected]")
    with open(download.value.path(), "rb") as report_file:
        sheet = load_workbook(report_file).active
    report = list(sheet.values)
    assert report[0][-1] == "原因" and "身份证号" not in report[0]
    assert [r[0] for r in report[1:]] == [3, 5] and "外语学院" in report[1][-1]

    big = tmp_path / "名单.xlsx"
    write_roster(big, valid_rows(30_000))
    upload(page, big)
    page.wait_for_selector("[data-testid=job-status][data-status=succeeded]", timeout=120_000)
    assert page.locator("[data-testid=total-count]").inner_text() == "30000"
    assert page.locator("[data-testid=created-count]").inner_text() == "30000"
    assert Student.objects.filter(university=world.university, student_no__startswith="202").count() >= 30_000
    assert not Student.objects.filter(name="学生0").values_list("phone", flat=True)[0].startswith("110")
    screenshot(page, "roster-import-done")


def test_job_page_follows_progress_until_finished(page, world):
    job = ImportJob.objects.create(university=world.university, actor=world.league_school, filename="大名单.xlsx",
                                   status=ImportJob.Status.RUNNING, total_rows=30_000, processed_rows=12_000)
    login(page, world.league_school.login_id, PASSWORD, world.university.name)
    page.goto(page.base_url + f"/students/import/{job.pk}/")
    assert page.locator("[data-testid=progress]").get_attribute("aria-valuenow") == "40"
    screenshot(page, "roster-import-progress")
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=30_000)
    page.wait_for_selector("[data-testid=progress][aria-valuenow='99']")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.SUCCEEDED, created_count=30_000)
    page.wait_for_selector("[data-testid=job-status][data-status=succeeded]", timeout=5_000)
    assert page.locator("[data-testid=created-count]").inner_text() == "30000"
