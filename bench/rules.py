"""Bench: time to compute every finding of the demo university (all unions) and to export its
self-assessment to .docx and .xlsx. Builds the demo in a temporary SQLite database.

    python bench/rules.py [--students 30000] [--repeat 5] [--postgres URL]
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """Median and best of `repeat` runs, in ms, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=30000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", metavar="URL", help="use this PostgreSQL database (its demo is replaced)")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="tongxue-bench-rules-"))
    os.environ.update({"TONGXUE_VAR_DIR": str(var_dir), "TONGXUE_SECRET_KEY": "bench-" + "x" * 50,
                       "DJANGO_SETTINGS_MODULE": "tongxue.settings"})
    os.environ.pop("TONGXUE_TESTING", None)
    if args.postgres:
        os.environ["DATABASE_URL"] = args.postgres
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.utils import translation

        from tongxue.core import demo
        from tongxue.core.models import University
        from tongxue.rules import selfassessment, services

        translation.activate("zh-hans")
        call_command("migrate", verbosity=0)
        demo.flush_demo()
        started = time.perf_counter()
        demo.build_demo(seed=2026, students=args.students)
        print(f"Tongxue rules bench · {'PostgreSQL' if args.postgres else 'SQLite'} · {args.students} students")
        print(f"build_demo: {time.perf_counter() - started:.1f} s")

        university = University.objects.get(code="demo")
        year = services.current_academic_year()
        with CaptureQueriesContext(connection) as queries:
            results = services.findings_for_university(university, year)
        findings = sum(len(f) for _u, f in results)
        failing = sum(1 for _u, fs in results for f in fs if f.is_failure)
        median, best, _ = timed(lambda: services.findings_for_university(university, year), args.repeat)
        print(f"findings, all {len(results)} unions ({findings} findings, {failing} failing): "
              f"median {median:.1f} ms, best {best:.1f} ms, {len(queries)} SQL queries")

        union = results[-1][0]
        median, best, _ = timed(lambda: services.findings_for(union, year), args.repeat)
        print(f"findings, one union ({union.name}): median {median:.1f} ms, best {best:.1f} ms")
        department = union.current_term().departments.first()
        student = union.current_term().memberships.first().student
        median, best, _ = timed(lambda: services.check_change(
            union, add_member=(student, "officer", department)), args.repeat)
        print(f"live check before an appointment: median {median:.1f} ms, best {best:.1f} ms")

        public_url = f"https://tongxue.example/public/demo/self-assessment/{year}/"
        median, best, tables = timed(lambda: selfassessment.tables_for_university(university, year), args.repeat)
        print(f"self-assessment tables ({len(tables)}): median {median:.1f} ms, best {best:.1f} ms")
        header = selfassessment.header_for(university, year, None, public_url)
        median, best, data = timed(lambda: selfassessment.docx_export(
            selfassessment.tables_for_university(university, year), header, year), args.repeat)
        print(f"export .docx (tables + document): median {median:.1f} ms, best {best:.1f} ms, {len(data) // 1024} KiB")
        median, best, data = timed(lambda: selfassessment.xlsx_export(
            selfassessment.tables_for_university(university, year), year), args.repeat)
        print(f"export .xlsx (tables + workbook): median {median:.1f} ms, best {best:.1f} ms, {len(data) // 1024} KiB")
        if args.postgres:
            demo.flush_demo()
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
