"""Time a 30,000-row roster import on a fresh SQLite database.

    python bench/roster_import.py [rows]

Writes an .xlsx like an academic-affairs export (with 身份证号 and 家庭住址 columns that the
import ignores), then runs the same function as the background task (`roster.run_import`):
read, check every row, write in one transaction. Then imports the same file again (all
unchanged) and a copy with every phone number changed (all updated), and prints figures.
"""
import atexit
import os
import shutil
import sys
import tempfile
import time
import resource
from pathlib import Path

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
VAR = tempfile.mkdtemp(prefix="tongxue-bench-")
atexit.register(shutil.rmtree, VAR, ignore_errors=True)
os.environ["TONGXUE_VAR_DIR"] = VAR
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxue.settings")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from tongxue.core.models import Campus, College, ImportJob, Student, University, User  # noqa: E402
from tongxue.core.roster import run_import  # noqa: E402

ETHNICITIES = ["汉族", "01", "回族", "维吾尔族", "壮族", "03"]
POLITICAL = ["共青团员", "03", "群众", "中共党员", "中共预备党员", "13"]


def write_roster(path: Path, colleges: list[str], phone_prefix: str = "13") -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("学生名单")
    sheet.append(["学号", "姓名", "性别", "民族", "政治面貌", "学院", "专业", "年级", "班级", "手机号",
                  "身份证号", "出生日期", "家庭住址"])
    for i in range(ROWS):
        college = i % len(colleges)
        grade = 2022 + i % 4
        major = f"{colleges[college]}专业{i % 3 + 1}"
        sheet.append([
            f"{grade}{college:02d}{i:06d}", f"学生{i}", "男" if i % 2 else "女", ETHNICITIES[i % 6], POLITICAL[i % 6],
            colleges[college], major, str(grade), f"{colleges[college][:2]}{grade % 100}{i % 3 + 1}-{i % 10}",
            f"{phone_prefix}{i:09d}", f"1101012000{i:08d}"[:18], "2004-05-06", "北京市某区某街道",
        ])
    workbook.save(path)


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def timed_import(university, path: Path):
    """Wall time of one import; memory as the process's peak RSS (tracemalloc would triple the time)."""
    job = ImportJob.objects.create(university=university, filename=path.name,
                                   file=ContentFile(path.read_bytes(), name=path.name))
    start = time.perf_counter()
    job = run_import(job.pk)
    return job, time.perf_counter() - start


def main() -> None:
    call_command("migrate", verbosity=0)
    university = University.objects.create(name="基准大学", code="bench")
    campus = Campus.objects.create(university=university, name="主校区", code="main")
    names = ["计算机学院", "外国语学院", "数学学院", "物理学院", "化学学院", "生命科学学院", "经济学院", "管理学院",
             "法学院", "文学院", "历史学院", "哲学学院", "新闻学院", "艺术学院", "医学院"]
    for n, name in enumerate(names, start=1):
        College.objects.create(university=university, campus=campus, name=name, code=f"{n:03d}")
    path = Path(VAR) / "roster.xlsx"
    start = time.perf_counter()
    write_roster(path, names)
    print(f"wrote {ROWS:,} rows ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s")
    print(f"peak RSS before importing: {max_rss_mb():.0f} MB")
    changed = Path(VAR) / "roster-new-phones.xlsx"
    write_roster(changed, names, phone_prefix="15")
    for label, roster in (("first import", path), ("re-import (same file)", path),
                          ("re-import (every phone changed)", changed)):
        job, seconds = timed_import(university, roster)
        assert job.status == ImportJob.Status.SUCCEEDED, job.errors[:5]
        print(f"{label}: {job.total_rows:,} rows in {seconds:.1f} s = {job.total_rows / seconds:,.0f} rows/s; "
              f"added {job.created_count:,}, updated {job.updated_count:,}, unchanged {job.unchanged_count:,}; "
              f"peak RSS {max_rss_mb():.0f} MB")
    print(f"students {Student.objects.count():,}, accounts {User.objects.count():,}")


if __name__ == "__main__":
    main()
