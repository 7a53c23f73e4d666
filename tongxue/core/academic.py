"""Import of students' academic standings (rank in the major, major size, failed courses) from
.xlsx or .csv — the data behind the cadre eligibility rule (rules.md §2).

One row per student and period: 学号, 姓名 (optional; checked against the roster when given),
学期 (2025-2026-1) or 学年 (2025-2026), 类型 (学期 / 学年 / 累计; optional when the label says
it), 专业排名, 专业人数, 不及格门数 (blank means 0). Every row is checked and every problem
reported with its row number; if any row is wrong nothing is written. Otherwise records are
inserted or updated by (university, student, period, label) in one transaction. The reading,
the report and the job are those of the roster import (`imports.py`).

When the records are saved, `signals.academic_records_imported` tells the cadres app, which
opens exit cases for serving cadres who no longer qualify.
"""
import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from .imports import ImportFileError, TableImport, chunks, update_rows
from .models import AcademicRecord, ImportJob, Student, normalise_name
from .roster import STUDENT_NO_RE

Period = AcademicRecord.Period

COLUMNS: dict[str, str] = {
    "学号": "student_no", "姓名": "name", "学期": "term", "学年": "year", "类型": "period",
    "专业排名": "rank", "专业人数": "major_size", "不及格门数": "failed_courses",
}
ALIASES: dict[str, str] = {
    "学生姓名": "name", "学年学期": "term", "学期名称": "term", "学年度": "year", "排名类型": "period",
    "统计类型": "period", "统计范围": "period", "专业内排名": "rank", "排名": "rank", "专业总人数": "major_size",
    "专业人数总计": "major_size", "不及格科目数": "failed_courses", "不及格课程门数": "failed_courses",
    "挂科门数": "failed_courses",
}
REQUIRED = ["student_no", "rank", "major_size"]
PERIODS = {
    "学期": Period.TERM, "学期排名": Period.TERM, "term": Period.TERM,
    "学年": Period.YEAR, "学年排名": Period.YEAR, "year": Period.YEAR,
    "累计": Period.CUMULATIVE, "入学以来": Period.CUMULATIVE, "总": Period.CUMULATIVE, "总排名": Period.CUMULATIVE,
    "累计排名": Period.CUMULATIVE, "cumulative": Period.CUMULATIVE,
}
TERM_NUMBERS = {"1": "1", "2": "2", "3": "3", "一": "1", "二": "2", "三": "3"}
LABEL_RE = re.compile(
    r"^(\d{4})\s*[-—–~至]\s*(\d{4})\s*(?:学年)?\s*(?:[-第]?\s*([123一二三])\s*(?:学期)?)?$"
)

MESSAGES: dict[str, str] = {
    "no_header": gettext_noop("No header row with the columns 学号 and 专业排名 was found in the first 10 rows."),
    "student_no_format": gettext_noop(
        "Student number “%(value)s” may contain only letters, digits and hyphens, up to 32 characters "
        "(if Excel shows it as a number, format the column as text)."),
    "student_unknown": gettext_noop("No student with the number “%(value)s” is on the roster."),
    "name_mismatch": gettext_noop("The name “%(value)s” does not match the roster (%(other)s)."),
    "period": gettext_noop("Type “%(value)s” is not 学期, 学年 or 累计."),
    "label": gettext_noop("“%(value)s” is not a term such as 2025-2026-1 or an academic year such as 2025-2026."),
    "label_period": gettext_noop("“%(value)s” does not match the type %(other)s."),
    "number": gettext_noop("“%(column)s” must be a whole number, not “%(value)s”."),
    "positive": gettext_noop("“%(column)s” must be at least 1."),
    "rank_size": gettext_noop("The rank %(value)s is larger than the number of students in the major (%(other)s)."),
    "duplicate": gettext_noop("The same student and period already appear in row %(other)s."),
}


def parse_label(text: str) -> tuple[str, bool] | None:
    """A term or year label in its canonical form ("2025-2026-1" / "2025-2026") and whether it
    names a term; None if it is neither."""
    match = LABEL_RE.match(text.strip())
    if not match:
        return None
    first, second, term = match.groups()
    if int(second) != int(first) + 1:
        return None
    if term:
        return f"{first}-{second}-{TERM_NUMBERS[term]}", True
    return f"{first}-{second}", False


@dataclass
class Row:
    row: int
    cells: dict
    student_no: str
    name: str
    period: str
    label: str
    rank: int
    major_size: int
    failed_courses: int


class AcademicImport(TableImport):
    """Check academic standings against one university's roster, then write them (all or nothing)."""

    COLUMNS = COLUMNS
    ALIASES = ALIASES
    REQUIRED = REQUIRED
    HEADER_KEYS = ("student_no", "rank")
    MESSAGES = MESSAGES

    def __init__(self, university, actor=None):
        super().__init__(university, actor)
        self.rows: list[Row] = []
        self.seen: dict[tuple, int] = {}
        self.student_ids: dict[str, int] = {}

    def check_columns(self, header_row: int, columns: dict[str, int]) -> None:
        super().check_columns(header_row, columns)
        if "term" not in columns and "year" not in columns:
            raise ImportFileError("missing_column", row=header_row, column="学期")

    def check_row(self, row: int, cells: dict[str, str]) -> Row | None:
        errors: list[tuple[str, str, dict]] = []
        labels = self.labels

        def error(key: str, code: str, **params):
            errors.append((labels[key], code, params))

        for key in REQUIRED:
            if not cells.get(key):
                error(key, "required", column=labels[key])
        student_no = cells.get("student_no", "")
        if student_no and not STUDENT_NO_RE.match(student_no):
            error("student_no", "student_no_format", value=student_no)
        period = None
        if cells.get("period"):
            period = PERIODS.get(cells["period"].strip().lower())
            if period is None:
                error("period", "period", value=cells["period"])
        label_key = "term" if cells.get("term") else "year"
        label_text = cells.get(label_key, "")
        label = None
        if not label_text:
            error("term", "required", column=labels["term"])
        else:
            parsed = parse_label(label_text)
            if parsed is None:
                error(label_key, "label", value=label_text)
            else:
                label, is_term = parsed
                if period is None and not cells.get("period"):
                    period = Period.TERM if is_term else Period.YEAR
                elif (period == Period.TERM and not is_term) or (period == Period.YEAR and is_term):
                    error(label_key, "label_period", value=label_text, other=cells["period"])
        numbers = {}
        for key in ("rank", "major_size", "failed_courses"):
            text = cells.get(key, "").strip()
            if not text:
                numbers[key] = 0 if key == "failed_courses" else None
                continue
            if not text.isdigit() or len(text) > 6:
                error(key, "number", column=labels[key], value=text)
                numbers[key] = None
                continue
            numbers[key] = int(text)
            if key != "failed_courses" and numbers[key] < 1:
                error(key, "positive", column=labels[key])
        rank, size = numbers["rank"], numbers["major_size"]
        if rank and size and rank > size:
            error("rank", "rank_size", value=rank, other=size)
        if student_no and period and label:
            key = (student_no, period, label)
            if key in self.seen:
                error("student_no", "duplicate", other=self.seen[key])
            else:
                self.seen[key] = row
        if errors:
            self.reject(row, cells, errors)
            return None
        record = Row(row=row, cells=cells, student_no=student_no, name=normalise_name(cells.get("name", "")),
                     period=str(period), label=label, rank=rank, major_size=size,
                     failed_courses=numbers["failed_courses"])
        self.rows.append(record)
        return record

    def after_check(self) -> None:
        """Every 学号 must be on the roster, and a given 姓名 must match it."""
        roster: dict[str, tuple[int, str]] = {}
        for chunk in chunks(sorted({r.student_no for r in self.rows}), 900):
            for pk, student_no, name in Student.objects.filter(
                university=self.university, student_no__in=chunk,
            ).values_list("pk", "student_no", "name"):
                roster[student_no] = (pk, name)
        known = []
        for r in self.rows:
            found = roster.get(r.student_no)
            if found is None:
                self.reject(r.row, r.cells, [("学号", "student_unknown", {"value": r.student_no})])
            elif r.name and r.name != found[1]:
                self.reject(r.row, r.cells, [("姓名", "name_mismatch", {"value": r.name, "other": found[1]})])
            else:
                known.append(r)
        self.rows = known
        self.student_ids = {no: pk for no, (pk, _name) in roster.items()}
        self.result.errors.sort(key=lambda e: (e["row"] or 0))
        self.result.rejected_rows.sort(key=lambda r: r[0])

    def save(self):
        assert not self.result.errors, "academic results with errors are never written"
        now = timezone.now()
        now_db = AcademicRecord._meta.get_field("imported_at").get_db_prep_save(now, connection)
        student_ids = sorted({self.student_ids[r.student_no] for r in self.rows})
        existing: dict[tuple, tuple] = {}
        with transaction.atomic():
            for chunk in chunks(student_ids, 900):
                for pk, student_id, period, label, rank, size, failed in AcademicRecord.objects.filter(
                    university=self.university, student_id__in=chunk,
                ).values_list("pk", "student_id", "period", "label", "rank", "major_size", "failed_courses"):
                    existing[(student_id, period, label)] = (pk, rank, size, failed)
            new, changed = [], []
            for r in self.rows:
                student_id = self.student_ids[r.student_no]
                current = existing.get((student_id, r.period, r.label))
                values = (r.rank, r.major_size, r.failed_courses)
                if current is None:
                    new.append(AcademicRecord(
                        university=self.university, student_id=student_id, period=r.period, label=r.label,
                        rank=r.rank, major_size=r.major_size, failed_courses=r.failed_courses, imported_at=now,
                    ))
                elif current[1:] == values:
                    self.result.unchanged += 1
                else:
                    changed.append((current[0], *values, now_db))
            AcademicRecord.objects.bulk_create(new, batch_size=1000)
            update_rows(AcademicRecord, ["rank", "major_size", "failed_courses", "imported_at"], changed)
        self.imported_student_ids = student_ids
        self.result.created, self.result.updated = len(new), len(changed)
        return self.result

    def after_commit(self, job: ImportJob) -> None:
        from .signals import academic_records_imported

        academic_records_imported.send(sender=AcademicImport, university=self.university,
                                       student_ids=self.imported_student_ids, job=job)


def start_academic_import(user, university, uploaded_file) -> ImportJob:
    from .imports import start_import

    return start_import(user, university, uploaded_file, ImportJob.Kind.ACADEMIC)


IMPORTER = AcademicImport
