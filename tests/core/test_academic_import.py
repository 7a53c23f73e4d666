"""Academic results import: reading, checking every row, all-or-nothing, re-import by
(university, student, period, label), permissions and pages, and the exit cases it raises."""
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests import factories as f
from tongxue.cadres.models import ExitCase
from tongxue.core.academic import parse_label, start_academic_import
from tongxue.core.models import AcademicRecord, ImportJob

pytestmark = pytest.mark.django_db

HEADERS = ["学号", "姓名", "学期", "类型", "专业排名", "专业人数", "不及格门数", "身份证号"]
BACKEND = "django.contrib.auth.backends.ModelBackend"


def xlsx(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv(rows, headers=HEADERS, encoding="utf-8-sig"):
    lines = [",".join(headers)] + [",".join(str(v) for v in r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(world, content, filename="成绩.xlsx", user=None):
    return start_academic_import(user or world.league_school, world.university, SimpleUploadedFile(filename, content))


def row(student, label="2025-2026-2", kind="学期", rank=3, size=60, failed=0, name=None):
    return [student.student_no, student.name if name is None else name, label, kind, rank, size, failed,
            "110101200001011234"]


def codes(job):
    return {(e["row"], e["column"], e["code"]) for e in job.errors}


def test_import_creates_records_of_each_kind(world):
    s = world.student_a
    job = upload(world, xlsx([row(s), row(s, "2025-2026", "学年", 10, 60), row(s, "2025-2026-2", "累计", 20, 60, 1)]))
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert job.kind == ImportJob.Kind.ACADEMIC and (job.total_rows, job.created_count) == (3, 3)
    records = {(r.period, r.label): (r.rank, r.major_size, r.failed_courses)
               for r in AcademicRecord.objects.filter(student=s)}
    assert records == {("term", "2025-2026-2"): (3, 60, 0), ("year", "2025-2026"): (10, 60, 0),
                       ("cumulative", "2025-2026-2"): (20, 60, 1)}
    assert all(r.university_id == world.university.pk for r in AcademicRecord.objects.all())
    assert not job.file


def test_csv_in_gb18030_with_other_header_spellings_and_inferred_type(world):
    headers = ["学号", "学年学期", "专业内排名", "专业总人数", "挂科门数"]
    content = csv([[world.student_a.student_no, "2025-2026学年第一学期", 2, 30, ""],
                   [world.student_b.student_no, "2024-2025", 7, 30, 0]], headers, "gb18030")
    job = upload(world, content, "成绩.csv")
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert set(AcademicRecord.objects.values_list("period", "label", "failed_courses")) == {
        ("term", "2025-2026-1", 0), ("year", "2024-2025", 0)}


def test_reimport_updates_by_student_period_and_label(world):
    s = world.student_a
    upload(world, xlsx([row(s, rank=3), row(s, "2025-2026", "学年", 10)]))
    job = upload(world, xlsx([row(s, rank=40), row(s, "2025-2026", "学年", 10), row(s, "2025-2026-1")]))
    assert (job.created_count, job.updated_count, job.unchanged_count) == (1, 1, 1)
    assert AcademicRecord.objects.get(student=s, period="term", label="2025-2026-2").rank == 40
    assert AcademicRecord.objects.filter(student=s).count() == 3


def test_every_problem_is_reported_and_nothing_is_written(world):
    a, b = world.student_a, world.student_b
    rows = [
        row(a),                                     # 2: fine
        ["2099999999", "", "2025-2026-2", "学期", 1, 10, 0, ""],  # 3: not on the roster
        row(b, name="李四四"),                       # 4: name does not match
        row(a, rank=70, size=60, label="2025-2026-1"),   # 5: rank larger than the major
        row(b, label="2025-2027-1"),                # 6: not a term
        row(b, kind="季度"),                         # 7: unknown type
        row(b, label="2025-2026", kind="学期"),      # 8: a year labelled as a term
        row(b, rank="三", label="2024-2025-1"),      # 9: not a number
        row(a),                                     # 10: duplicate of row 2
    ]
    job = upload(world, xlsx(rows))
    assert job.status == ImportJob.Status.FAILED
    assert codes(job) == {
        (3, "学号", "student_unknown"), (4, "姓名", "name_mismatch"), (5, "专业排名", "rank_size"),
        (6, "学期", "label"), (7, "类型", "period"), (8, "学期", "label_period"), (9, "专业排名", "number"),
        (10, "学号", "duplicate"),
    }
    assert [r[0] for r in job.rejected_rows] == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "110101200001011234" not in str(job.rejected_rows)  # the allowlist: no ID numbers kept
    assert not AcademicRecord.objects.exists()
    messages = {e["code"]: e["message"] for e in job.errors}
    assert "2099999999" in messages["student_unknown"] and "李四" in messages["name_mismatch"]


def test_a_file_without_the_needed_columns_is_refused(world):
    job = upload(world, xlsx([[world.student_a.student_no, 1]], headers=["学号", "专业排名"]))
    assert job.status == ImportJob.Status.FAILED
    assert {e["code"] for e in job.errors} == {"missing_column"}


@pytest.mark.parametrize("text, expected", [
    ("2025-2026-1", ("2025-2026-1", True)), ("2025-2026学年第二学期", ("2025-2026-2", True)),
    ("2025—2026", ("2025-2026", False)), ("2025-2026学年", ("2025-2026", False)), ("2025-2027", None),
    ("2025", None),
])
def test_labels(text, expected):
    assert parse_label(text) == expected


@pytest.mark.parametrize("who", ["league_college", "party", "student", "cadre", "other_admin"])
def test_only_roster_keepers_import(world, who):
    with pytest.raises(PermissionDenied):
        upload(world, xlsx([row(world.student_a)]), user=world.accounts()[who])


@pytest.mark.parametrize("who, status", [
    ("league_school", 200), ("univ_admin", 200), ("fed_admin", 200), ("league_college", 403), ("party", 403),
    ("student", 403), ("cadre", 403),
])
def test_the_upload_page(client, world, who, status):
    client.force_login(world.accounts()[who], backend=BACKEND)
    response = client.get(reverse("students:academic_import"))
    assert response.status_code == status


def test_upload_through_the_page_and_follow_the_job(client, world):
    client.force_login(world.league_school, backend=BACKEND)
    response = client.post(reverse("students:academic_import"), {
        "university": world.university.pk, "file": SimpleUploadedFile("成绩.xlsx", xlsx([row(world.student_a)])),
    })
    job = ImportJob.objects.get(kind=ImportJob.Kind.ACADEMIC)
    assert response.status_code == 302 and response.url == reverse("students:import_job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert 'data-status="succeeded"' in page and reverse("cadres:exit_cases") in page
    # the roster page lists roster jobs only
    assert job.filename not in client.get(reverse("students:import")).content.decode()
    assert job.filename in client.get(reverse("students:academic_import")).content.decode()


def test_the_rejected_rows_download_has_the_academic_columns(client, world):
    from openpyxl import load_workbook

    job = upload(world, xlsx([row(world.student_a, rank=99, size=10)]))
    client.force_login(world.league_school, backend=BACKEND)
    response = client.get(reverse("students:import_rejected", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, first = list(sheet.values)[:2]
    assert header[1:4] == ("学号", "姓名", "学期") and header[-1] == "原因" and "身份证号" not in header
    assert first[0] == 2 and "10" in first[-1]


def test_an_import_that_makes_a_cadre_ineligible_opens_one_exit_case(world):
    cadre, officer = world.cadre_a, world.officer_a
    ok = upload(world, xlsx([row(cadre, rank=3, size=60), row(officer, rank=3, size=60)]))
    assert ok.status == ImportJob.Status.SUCCEEDED and not ExitCase.objects.exists()
    upload(world, xlsx([row(cadre, rank=3, size=60, failed=2)]))
    case = ExitCase.objects.get()
    assert case.membership.student == cadre and case.status == ExitCase.Status.OPEN
    assert case.reason == ExitCase.Reason.ELIGIBILITY and case.university == world.university
    assert case.details["reasons"][0]["code"] == "failed_courses"
    upload(world, xlsx([row(cadre, rank=3, size=60, failed=3)]))   # still ineligible: no second case
    upload(world, xlsx([row(cadre, rank=50, size=60, failed=2)]))
    assert ExitCase.objects.count() == 1
