"""Roster import: reading .xlsx/.csv, checking every row, all-or-nothing writing, re-import,
privacy (allowlist), permissions and the job pages."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tongxue.core.models import (
    DegreeLevel, Gender, ImportJob, Major, PoliticalStatus, Student, StudentClass, User,
)
from tongxue.core.roster import RosterImport, run_import, start_import

pytestmark = pytest.mark.django_db

HEADERS = ["学号", "姓名", "性别", "民族", "政治面貌", "学院", "专业", "年级", "班级", "手机号"]
BACKEND = "django.contrib.auth.backends.ModelBackend"


def row(student_no="2025000001", name="陈一", gender="男", ethnicity="汉族", political="共青团员",
        college="计算机学院", major="软件工程", grade="2025", klass="软件2501", phone="13800138000"):
    return [student_no, name, gender, ethnicity, political, college, major, grade, klass, phone]


def good_rows(n=3, start=1):
    return [row(student_no=f"2025{i:06d}", name=f"学生{i}", phone=f"139{i:08d}") for i in range(start, start + n)]


def xlsx_bytes(rows, headers=HEADERS, formats=None):
    """A workbook; `formats` maps (row index, column index) to a number format."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for r, values in enumerate(rows):
        sheet.append(values)
        for (fr, fc), fmt in (formats or {}).items():
            if fr == r:
                sheet.cell(row=r + 2, column=fc + 1).number_format = fmt
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, headers=HEADERS, encoding="utf-8-sig"):
    lines = [",".join(headers)] + [",".join(str(v) for v in r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(world, content, filename="roster.xlsx", user=None, university=None):
    return start_import(user or world.league_school, university or world.university,
                        SimpleUploadedFile(filename, content))


def errors_of(job):
    return {(e["row"], e["column"], e["code"]) for e in job.errors}


# Reading ------------------------------------------------------------------------------------------

def test_xlsx_import_creates_students_accounts_majors_and_classes(world):
    job = upload(world, xlsx_bytes(good_rows(3)))
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert (job.total_rows, job.created_count, job.updated_count) == (3, 3, 0)
    student = Student.objects.get(university=world.university, student_no="2025000001")
    assert (student.name, student.gender, student.ethnicity) == ("学生1", Gender.MALE, "01")
    assert student.political_status == PoliticalStatus.LEAGUE_MEMBER
    assert student.degree_level == DegreeLevel.UNDERGRADUATE
    assert (student.college, student.enrolment_year, student.phone) == (world.college_a, 2025, "13900000001")
    assert student.major.name == "软件工程" and student.major.college == world.college_a
    assert student.student_class.name == "软件2501" and student.student_class.grade == 2025
    assert Major.objects.filter(university=world.university, name="软件工程").count() == 1
    assert StudentClass.objects.filter(university=world.university, name="软件2501").count() == 1
    user = student.user
    assert (user.login_id, user.username, user.full_name) == ("2025000001", "demo/2025000001", "学生1")
    assert not user.has_usable_password()
    assert job.processed_rows == 3 and job.finished and job.actor == world.league_school


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_encodings(world, encoding):
    rows = good_rows(2)
    rows[0][1] = "阿依古丽•买买提"
    rows[1][1] = "王奡"
    job = upload(world, csv_bytes(rows, encoding=encoding), filename="roster.csv")
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    names = set(Student.objects.filter(student_no__in=["2025000001", "2025000002"]).values_list("name", flat=True))
    assert names == {"阿依古丽·买买提", "王奡"}


def test_names_with_dot_variants_are_normalised(world):
    rows = good_rows(4)
    for r, dot in zip(rows, "•・．‧"):
        r[1] = f"热依拉{dot}阿不都"
    job = upload(world, xlsx_bytes(rows))
    assert job.status == ImportJob.Status.SUCCEEDED
    assert set(Student.objects.filter(student_no__startswith="2025").values_list("name", flat=True)) == {"热依拉·阿不都"}
    assert User.objects.get(login_id="2025000001").full_name == "热依拉·阿不都"


def test_leading_zeros_are_kept(world):
    rows = [row(student_no="000123", phone="13999999901"),
            row(student_no=123, phone="13999999902"),           # numeric cell shown as 000124 by its format
            row(student_no=2025777, phone="13999999903")]       # numeric cell without a format: converted
    rows[1][0] = 124
    job = upload(world, xlsx_bytes(rows, formats={(1, 0): "000000"}))
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    numbers = set(Student.objects.filter(phone__startswith="1399999990").values_list("student_no", flat=True))
    assert numbers == {"000123", "000124", "2025777"}
    job = upload(world, csv_bytes([row(student_no="000999")]), filename="r.csv")
    assert Student.objects.filter(student_no="000999").exists()


def test_numeric_student_number_that_lost_digits_is_rejected(world):
    job = upload(world, xlsx_bytes([row(student_no=2.0250000000000012e17)]))
    assert job.status == ImportJob.Status.FAILED
    assert errors_of(job) == {(2, "学号", "student_no_format")}


def test_codes_and_names_are_both_accepted(world):
    headers = HEADERS + ["培养层次", "邮箱"]
    rows = [
        row(student_no="S1", ethnicity="01", political="1") + ["", ""],
        row(student_no="S2", ethnicity="维吾尔族", political="中国致公党党员", gender="女") + ["硕士", "s2@example.cn"],
        row(student_no="S3", ethnicity="5", political="12", gender="2") + ["博士", ""],
        row(student_no="S4", ethnicity="蒙古", political="群众", grade="2024级") + ["专科", ""],
        row(student_no="S5", ethnicity="56", political="09") + ["本科", ""],
    ]
    job = upload(world, xlsx_bytes(rows, headers=headers))
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    got = {s.student_no: (s.ethnicity, s.political_status, s.degree_level, s.gender)
           for s in Student.objects.filter(student_no__startswith="S")}
    assert got == {
        "S1": ("01", "01", DegreeLevel.UNDERGRADUATE, "M"),
        "S2": ("05", "04", DegreeLevel.MASTER, "F"),
        "S3": ("05", "12", DegreeLevel.DOCTORAL, "F"),
        "S4": ("02", "13", DegreeLevel.JUNIOR_COLLEGE, "M"),
        "S5": ("56", "04", DegreeLevel.UNDERGRADUATE, "M"),
    }
    assert Student.objects.get(student_no="S2").email == "s2@example.cn"
    assert Student.objects.get(student_no="S4").enrolment_year == 2024


def test_college_by_code_and_header_row_after_a_title(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2025级学生名单（教务处导出）"])
    sheet.append(HEADERS)
    sheet.append(row(college=world.college_b.code, klass="英语2501", major="英语"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = upload(world, buffer.getvalue())
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert Student.objects.get(student_no="2025000001").college == world.college_b


# Checking -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("change, column, code", [
    ({"name": ""}, "姓名", "required"),
    ({"student_no": ""}, "学号", "required"),
    ({"klass": ""}, "班级", "required"),
    ({"student_no": "2025 01"}, "学号", "student_no_format"),
    ({"name": "长" * 65}, "姓名", "name_too_long"),
    ({"gender": "未知"}, "性别", "gender"),
    ({"ethnicity": "火星族"}, "民族", "ethnicity"),
    ({"ethnicity": "57"}, "民族", "ethnicity"),
    ({"political": "外星人"}, "政治面貌", "political_status"),
    ({"college": "外语学院"}, "学院", "college_unknown"),
    ({"grade": "二〇二五"}, "年级", "grade"),
    ({"grade": "1900"}, "年级", "grade"),
    ({"phone": "1380013800"}, "手机号", "phone"),
    ({"phone": "23800138000"}, "手机号", "phone"),
    ({"major": "专" * 101}, "专业", "too_long"),
])
def test_each_row_error_is_reported(world, change, column, code):
    job = upload(world, xlsx_bytes([*good_rows(2), row(**{"student_no": "2025999999", **change})]))
    assert job.status == ImportJob.Status.FAILED
    assert errors_of(job) == {(4, column, code)}
    assert job.rejected_rows[0][0] == 4
    assert job.created_count == 0


def test_reasons_name_the_value(world):
    job = upload(world, xlsx_bytes([row(college="外语学院")]))
    (error,) = job.errors
    assert "外语学院" in error["message"] and error["params"] == {"value": "外语学院"}


def test_duplicate_student_number_degree_and_email(world):
    headers = HEADERS + ["培养层次", "邮箱"]
    rows = [row() + ["", ""], row(name="陈二") + ["博士后", "bad@"]]
    job = upload(world, xlsx_bytes(rows, headers=headers))
    assert errors_of(job) == {(3, "学号", "student_no_duplicate"), (3, "培养层次", "degree_level"),
                              (3, "邮箱", "email")}
    duplicate = next(e for e in job.errors if e["code"] == "student_no_duplicate")
    assert duplicate["params"]["other"] == 2


def test_class_of_another_college_is_rejected(world):
    existing = world.student_a.student_class.name
    rows = [row(student_no="A1", klass="混合班"), row(student_no="A2", klass="混合班", college="外国语学院"),
            row(student_no="A3", klass=existing, college="外国语学院")]
    job = upload(world, xlsx_bytes(rows))
    assert errors_of(job) == {(3, "班级", "class_college"), (4, "班级", "class_college")}


def test_all_errors_of_all_rows_are_collected(world):
    rows = [row(student_no="B1", gender="x"), *good_rows(2), row(student_no="B2", college="无", phone="1")]
    job = upload(world, xlsx_bytes(rows))
    assert errors_of(job) == {(2, "性别", "gender"), (5, "学院", "college_unknown"), (5, "手机号", "phone")}
    assert [r[0] for r in job.rejected_rows] == [2, 5]


@pytest.mark.parametrize("content, filename, code", [
    (b"not a workbook", "roster.xlsx", "unreadable"),
    (csv_bytes([row()], headers=["编号", "名字"]), "roster.csv", "no_header"),
    (csv_bytes([], headers=HEADERS), "roster.csv", "empty_file"),
])
def test_file_level_errors(world, content, filename, code):
    job = upload(world, content, filename=filename)
    assert job.status == ImportJob.Status.FAILED
    assert [e["code"] for e in job.errors] == [code]


def test_missing_required_column(world):
    headers = [h for h in HEADERS if h != "学院"]
    job = upload(world, xlsx_bytes([[v for h, v in zip(HEADERS, row()) if h != "学院"]], headers=headers))
    assert errors_of(job) == {(1, "学院", "missing_column")}


def test_nothing_is_written_when_any_row_is_wrong(world):
    counts = lambda: (Student.objects.count(), User.objects.count(), Major.objects.count(),  # noqa: E731
                      StudentClass.objects.count())
    before = counts()
    job = upload(world, xlsx_bytes([*good_rows(50), row(student_no="X1", major="新专业", klass="新班", gender="?")]))
    assert job.status == ImportJob.Status.FAILED
    assert counts() == before


# Re-import ----------------------------------------------------------------------------------------

def test_reimport_updates_instead_of_duplicating(world):
    upload(world, xlsx_bytes(good_rows(5)))
    rows = good_rows(5)
    rows[0][1] = "改名后"
    rows[1][9] = "13700000000"
    rows.append(row(student_no="2025000099", name="新来的"))
    job = upload(world, xlsx_bytes(rows))
    assert job.status == ImportJob.Status.SUCCEEDED
    assert (job.created_count, job.updated_count, job.unchanged_count) == (1, 2, 3)
    assert Student.objects.filter(student_no__startswith="2025").count() == 6
    assert User.objects.filter(login_id__startswith="2025").count() == 6
    student = Student.objects.get(student_no="2025000001")
    assert student.name == "改名后" and student.user.full_name == "改名后"


def test_reimport_keeps_the_existing_account(world):
    student = world.student_a
    job = upload(world, xlsx_bytes([row(student_no=student.student_no, name=student.name,
                                        college="外国语学院", klass="英语2501")]))
    assert (job.created_count, job.updated_count) == (0, 1)
    student.refresh_from_db()
    assert student.college == world.college_b and student.user.has_usable_password()


# Privacy ------------------------------------------------------------------------------------------

def test_sensitive_columns_are_never_stored(world, settings):
    secret_id, birth, address = "11010120000101123X", "2000-01-01", "北京市东城区某某胡同1号"
    headers = HEADERS + ["身份证号", "出生日期", "家庭住址"]
    rows = [row() + [secret_id, birth, address], row(student_no="bad", gender="?") + [secret_id, birth, address]]
    failed = upload(world, xlsx_bytes(rows, headers=headers))
    rows = [row() + [secret_id, birth, address]]
    done = upload(world, xlsx_bytes(rows, headers=headers))
    assert (failed.status, done.status) == (ImportJob.Status.FAILED, ImportJob.Status.SUCCEEDED)
    stored = [list(Student.objects.values_list()), list(User.objects.values_list()),
              list(ImportJob.objects.values_list())]
    for secret in (secret_id, address):
        assert secret not in repr(stored)
    for job in (failed, done):
        assert not job.file  # the upload itself is deleted once processed
    assert [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] == []


# Permissions and pages ----------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["student", "cadre", "class_rep", "league_college", "party"])
def test_import_is_forbidden_without_roster_role(client, world, who):
    client.force_login(world.accounts()[who], backend=BACKEND)
    assert client.get(reverse("students:import")).status_code == 403
    response = client.post(reverse("students:import"), {"file": SimpleUploadedFile("r.xlsx", xlsx_bytes([row()]))})
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("who", ["league_school", "univ_admin", "fed_admin"])
def test_import_page_for_roster_keepers(client, world, who):
    client.force_login(world.accounts()[who], backend=BACKEND)
    response = client.get(reverse("students:import"))
    assert response.status_code == 200
    shows_choice = b'<select name="university"' in response.content
    assert shows_choice == (who == "fed_admin")


def test_upload_through_the_page(client, world):
    client.force_login(world.league_school, backend=BACKEND)
    roster = SimpleUploadedFile("名单.xlsx", xlsx_bytes(good_rows(2)))
    response = client.post(reverse("students:import"), {"university": world.university.pk, "file": roster})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("students:import_job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert 'data-testid="created-count">2<' in page and "hx-trigger" not in page
    assert job.university == world.university and job.filename == "名单.xlsx"


def test_upload_rejects_other_file_types(client, world):
    client.force_login(world.league_school, backend=BACKEND)
    response = client.post(reverse("students:import"), {"file": SimpleUploadedFile("r.xls", b"x")})
    assert response.status_code == 200 and not ImportJob.objects.exists()
    assert response.context["form"].errors["file"]


def test_federation_admin_picks_the_university(client, world):
    client.force_login(world.fed_admin, backend=BACKEND)
    rows = [row(college="别校学院")]
    client.post(reverse("students:import"),
                {"university": world.other_university.pk, "file": SimpleUploadedFile("r.xlsx", xlsx_bytes(rows))})
    job = ImportJob.objects.get()
    assert job.university == world.other_university and job.status == ImportJob.Status.SUCCEEDED
    assert Student.objects.get(student_no="2025000001").university == world.other_university


def test_a_teacher_cannot_import_into_another_university(client, world):
    client.force_login(world.league_school, backend=BACKEND)
    client.post(reverse("students:import"),
                {"university": world.other_university.pk, "file": SimpleUploadedFile("r.xlsx", xlsx_bytes([row()]))})
    assert not ImportJob.objects.exists()
    with pytest.raises(Exception):
        upload(world, xlsx_bytes([row()]), university=world.other_university)


def test_jobs_are_visible_only_within_their_university(client, world):
    job = upload(world, xlsx_bytes([row(gender="?")]))
    urls = [reverse(name, args=[job.pk]) for name in
            ("students:import_job", "students:import_progress", "students:import_rejected")]
    client.force_login(world.other_admin, backend=BACKEND)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    assert f'data-job="{job.pk}"' not in client.get(reverse("students:import")).content.decode()
    client.force_login(world.univ_admin, backend=BACKEND)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    assert f'data-job="{job.pk}"' in client.get(reverse("students:import")).content.decode()
    client.force_login(world.league_a, backend=BACKEND)
    assert client.get(urls[0]).status_code == 403


def test_progress_partial_polls_until_finished(client, world):
    job = ImportJob.objects.create(university=world.university, actor=world.league_school, filename="big.xlsx",
                                   status=ImportJob.Status.RUNNING, total_rows=30000, processed_rows=12000)
    client.force_login(world.league_school, backend=BACKEND)
    html = client.get(reverse("students:import_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'aria-valuenow="40"' in html and "tx-pct-40" in html
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.SUCCEEDED, created_count=30000)
    html = client.get(reverse("students:import_progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in html and 'data-testid="created-count">30000<' in html


def test_rejected_rows_download(client, world):
    headers = HEADERS + ["身份证号"]
    rows = [row() + ["110101200001011234"], row(student_no="2", college="外语学院", gender="?") + ["110101200001011234"]]
    job = upload(world, xlsx_bytes(rows, headers=headers))
    client.force_login(world.league_school, backend=BACKEND)
    response = client.get(reverse("students:import_rejected", args=[job.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][-1] == "原因" and "身份证号" not in values[0]
    assert len(values) == 2 and values[1][0] == 3 and values[1][1] == "2"
    assert "学院" in values[1][-1] and "性别" in values[1][-1] and "外语学院" in values[1][-1]


def test_run_import_is_not_repeated(world):
    job = upload(world, xlsx_bytes(good_rows(1)))
    assert run_import(job.pk).created_count == 1  # already finished: returned unchanged
    assert Student.objects.filter(student_no="2025000001").count() == 1


def test_checker_reports_progress(world):
    calls = []
    importer = RosterImport(world.university)
    importer.check_file(io.BytesIO(xlsx_bytes(good_rows(2500))), "r.xlsx", progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (1000, 2500) and calls[-1] == (2500, 2500)


def test_an_unexpected_error_fails_the_job_and_writes_nothing(world, monkeypatch):
    def broken(self, *args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(RosterImport, "_ensure_users", broken)
    before = (Student.objects.count(), Major.objects.count())
    job = upload(world, xlsx_bytes(good_rows(3)))
    assert job.status == ImportJob.Status.FAILED and [e["code"] for e in job.errors] == ["internal"]
    assert (Student.objects.count(), Major.objects.count()) == before and job.created_count == 0
