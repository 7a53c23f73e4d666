"""What every spreadsheet import shares: reading .xlsx/.csv, finding the header row, checking
row by row with a report, all-or-nothing writing, and the `ImportJob` that runs it in the
background (conventions.md: Rosters, Privacy).

An importer (`roster.RosterImport`, `academic.AcademicImport`) subclasses `TableImport`: it
declares its allowlisted columns and reason messages, checks one row at a time (`check_row`)
and writes everything in one transaction (`save`). `start_import` records an upload as a job
of one `ImportJob.Kind` and queues it; `run_import` (the background task) picks the importer by
kind. Only allowlisted columns are read; the upload is deleted once processed.
"""
import csv
import datetime
import importlib
import io
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from .models import ImportJob, University

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
PROGRESS_EVERY = 1000
HEADER_SEARCH_ROWS = 10
REASON_HEADER = "原因"

# Reasons shared by every importer: English msgids, shown in the reader's language (zh-Hans by
# default). Parameters: column (a header such as 学院), value (the cell), other (a row number).
COMMON_MESSAGES: dict[str, str] = {
    "unreadable": gettext_noop("The file could not be read as an .xlsx workbook or a .csv table."),
    "missing_column": gettext_noop("The required column “%(column)s” is missing."),
    "empty_file": gettext_noop("The file contains no students."),
    "required": gettext_noop("“%(column)s” is empty."),
    "internal": gettext_noop("The import stopped on an unexpected error; nothing was saved."),
}

# kind → module defining the importer class `IMPORTER` (imported lazily: core stays light)
IMPORTER_MODULES = {ImportJob.Kind.ROSTER: "tongxue.core.roster", ImportJob.Kind.ACADEMIC: "tongxue.core.academic"}


def importer_for(kind: str) -> type["TableImport"]:
    return importlib.import_module(IMPORTER_MODULES[kind]).IMPORTER


def error_message(error: dict, kind: str = ImportJob.Kind.ROSTER) -> str:
    """The reason of one report entry, in the active language."""
    code = error.get("code", "")
    template = importer_for(kind).MESSAGES.get(code) or COMMON_MESSAGES.get(code)
    if template is None:
        return error.get("message", "")
    return gettext(template) % (error.get("params") or {})


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, no header, a required column missing)."""

    def __init__(self, code: str, row: int | None = None, column: str = "", **params):
        super().__init__(code)
        if column:
            params["column"] = column
        self.error = {"row": row, "column": column, "code": code, "params": params}


# Reading ------------------------------------------------------------------------------------------

def cell_text(value, cell=None) -> str:
    """A cell as text. Whole numbers lose no digit (and get back the zeros a "000000" format shows);
    numbers too large to be exact stay in scientific form so the 学号 check rejects them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            text = str(int(value))
        else:
            return repr(value)
    elif isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    else:
        text = str(value).replace("\u200b", "").replace("\ufeff", "").strip()
        if text.startswith('="') and text.endswith('"'):  # Excel's CSV trick for keeping zeros
            text = text[2:-1]
        return text
    number_format = getattr(cell, "number_format", None) or ""
    if set(number_format) == {"0"} and len(number_format) > len(text):
        text = text.zfill(len(number_format))
    return text


def _xlsx_rows(fileobj) -> tuple[Iterator[tuple[int, list]], int]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
        sheet = workbook.active
    except Exception as exc:  # a broken zip, not a workbook, an encrypted file…
        raise ImportFileError("unreadable") from exc

    def rows():
        try:
            for row_no, row in enumerate(sheet.iter_rows(), start=1):
                yield row_no, [(cell.value, cell) for cell in row]
        finally:
            workbook.close()

    return rows(), (sheet.max_row or 0)


def _csv_rows(fileobj) -> tuple[Iterator[tuple[int, list]], int]:
    data = fileobj.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError("unreadable")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows():
        try:
            for row_no, row in enumerate(reader, start=1):
                yield row_no, [(value, None) for value in row]
        except csv.Error as exc:
            raise ImportFileError("unreadable") from exc

    return rows(), text.count("\n") + 1


def read_table(fileobj, filename: str) -> tuple[Iterator[tuple[int, list]], int]:
    """Rows as (row number, [(value, cell or None)]) and an estimate of the row count."""
    if filename.lower().endswith(".csv"):
        return _csv_rows(fileobj)
    return _xlsx_rows(fileobj)


# Checking -----------------------------------------------------------------------------------------

@dataclass
class ImportResult:
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)
    rejected_rows: list = field(default_factory=list)


class TableImport:
    """Check a table against one university, then write it (all or nothing).

    Subclasses set `COLUMNS` (header → key; its order is the order of the rejected-rows report),
    `ALIASES` (other spellings), `REQUIRED` and `HEADER_KEYS` (keys that identify the header row),
    `MESSAGES` (their own reason codes) and implement `check_row` and `save`.
    """

    COLUMNS: dict[str, str] = {}
    ALIASES: dict[str, str] = {}
    REQUIRED: list[str] = []
    HEADER_KEYS: tuple[str, ...] = ("student_no",)
    MESSAGES: dict[str, str] = {}

    def __init__(self, university: University, actor=None):
        self.university = university
        self.actor = actor  # recorded on audit entries of records the import creates
        self.result = ImportResult()
        self.labels = {key: header for header, key in self.COLUMNS.items()}

    def header_key(self, cell: str) -> str | None:
        header = re.sub(r"\s+", "", cell).strip("*＊")
        return self.COLUMNS.get(header) or self.ALIASES.get(header)

    def find_header(self, rows: Iterator[tuple[int, list]]) -> tuple[int, dict[str, int]]:
        for row_no, values in rows:
            keys = {}
            for index, value in enumerate(values):
                key = self.header_key(cell_text(*value))
                if key and key not in keys:
                    keys[key] = index
            if all(key in keys for key in self.HEADER_KEYS):
                return row_no, keys
            if row_no >= HEADER_SEARCH_ROWS:
                break
        raise ImportFileError("no_header")

    def check_columns(self, header_row: int, columns: dict[str, int]) -> None:
        for key in self.REQUIRED:
            if key not in columns:
                raise ImportFileError("missing_column", row=header_row, column=self.labels[key])

    def check_file(self, fileobj, filename: str, progress: Callable[[int, int], None] | None = None) -> ImportResult:
        rows, estimate = read_table(fileobj, filename)
        header_row, columns = self.find_header(rows)
        self.check_columns(header_row, columns)
        estimate = max(estimate - header_row, 0)
        count = 0
        for row_no, values in rows:
            cells = {key: cell_text(*values[index]) if index < len(values) else "" for key, index in columns.items()}
            if not any(cells.values()):
                continue
            count += 1
            self.check_row(row_no, cells)
            if progress and count % PROGRESS_EVERY == 0:
                progress(count, max(estimate, count))
        if count == 0:
            raise ImportFileError("empty_file")
        self.result.total_rows = count
        self.after_check()
        if progress:
            progress(count, count)
        return self.result

    def check_row(self, row: int, cells: dict[str, str]):
        raise NotImplementedError

    def after_check(self) -> None:
        """Checks that need every row (e.g. looking students up in bulk); may add errors."""

    def reject(self, row: int, cells: dict[str, str], errors: list[tuple[str, str, dict]]) -> None:
        for column, code, params in errors:
            self.result.errors.append({"row": row, "column": column, "code": code, "params": params})
        self.result.rejected_rows.append([row, [cells.get(key, "") for key in self.COLUMNS.values()]])

    def save(self) -> ImportResult:
        raise NotImplementedError

    def after_commit(self, job: ImportJob) -> None:
        """Called once the rows are saved and committed (e.g. to tell other apps)."""


def update_rows(model, field_names: list[str], rows: list[tuple]) -> None:
    """Update many rows, each `(pk, *values)` with values ready for the database, by one prepared
    UPDATE run with executemany. (`bulk_update` builds CASE expressions that grow with the batch:
    30,000 changed students took 90 s and 600 MB on SQLite.)"""
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in field_names)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        for chunk in chunks(rows, BATCH_SIZE):
            cursor.executemany(sql, [(*row[1:], row[0]) for row in chunk])


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# The job ------------------------------------------------------------------------------------------

def can_import(user, university: University) -> bool:
    """Imports (roster and academic results) are made by those who keep the university's roster."""
    from .scope import scope_of

    scope = scope_of(user)
    return scope.can_import_roster and (scope.all_universities or university.pk in scope.roster_university_ids)


def start_import(user, university: University, uploaded_file, kind: str = ImportJob.Kind.ROSTER) -> ImportJob:
    """Record an upload as a job and queue it; the caller's scope must keep that university's roster."""
    from .tasks import process_import

    if not can_import(user, university):
        raise PermissionDenied
    job = ImportJob.objects.create(
        university=university, actor=user, kind=kind, file=uploaded_file, filename=uploaded_file.name[:255],
    )
    process_import.enqueue(job.pk)
    job.refresh_from_db()
    return job


def _save_progress(job: ImportJob, processed: int, total: int) -> None:
    job.processed_rows, job.total_rows = processed, total
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=processed, total_rows=total)


def run_import(job_id: int) -> ImportJob:
    """Process one uploaded file: check, then write or report. Called by the background task."""
    # Claim the job atomically: a retried or duplicated task must not import twice.
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING, started=timezone.now()
    )
    job = ImportJob.objects.select_related("university", "actor").get(pk=job_id)
    if not claimed:
        return job
    importer = None
    saved = False
    try:
        importer = importer_for(job.kind)(job.university, actor=job.actor)
        with job.file.open("rb") as fileobj:
            result = importer.check_file(fileobj, job.filename,
                                         progress=lambda done, total: _save_progress(job, done, total))
        if not result.errors:
            importer.save()
            saved = True
    except ImportFileError as exc:
        result = importer.result
        result.errors = [exc.error]
        result.rejected_rows = []
    except Exception:
        logger.exception("%s import %s failed", job.kind, job.pk)
        result = ImportResult(total_rows=importer.result.total_rows if importer else 0)
        result.errors = [{"row": None, "column": "", "code": "internal", "params": {}}]
    _finish(job, result)
    if saved:
        try:
            importer.after_commit(job)
        except Exception:  # the import itself stands; what follows it is logged
            logger.exception("after %s import %s", job.kind, job.pk)
    return job


def _finish(job: ImportJob, result: ImportResult) -> None:
    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        for error in result.errors:
            error["message"] = error_message(error, job.kind)
    job.total_rows = job.processed_rows = result.total_rows
    job.errors = result.errors
    job.rejected_rows = result.rejected_rows
    job.created_count, job.updated_count, job.unchanged_count = result.created, result.updated, result.unchanged
    job.move_to(ImportJob.Status.FAILED if result.errors else ImportJob.Status.SUCCEEDED)
    job.finished = timezone.now()
    if job.file:
        job.file.delete(save=False)  # the upload may hold columns we never keep (身份证号…)
    job.save()
