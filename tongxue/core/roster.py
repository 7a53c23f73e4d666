"""Bulk import of the student roster from .xlsx or .csv (conventions.md: Rosters, Privacy).

The file is the academic-affairs export: one header row with the usual Chinese headers, one
student a row. Only allowlisted columns are read (身份证号, 出生日期, 家庭住址 and anything
else are ignored and never stored). Every row is checked and every problem reported with its
row number; if any row is wrong nothing is written. Otherwise students are inserted or updated
by (university, 学号) in one transaction with bulk operations, and an account is created for
each new student (login = 学号, unusable password: they set one through password reset).

Reading, the row report and the background job are shared with the academic-results import
(`imports.py`); `RosterImport` does the roster's own checking and writing and is usable on its
own (bench/roster_import.py).
"""
import re
import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from .codes import ethnicity_code, political_status_code
from .audit import log_bulk_creation
from .imports import (
    BATCH_SIZE, REASON_HEADER, ImportFileError, ImportResult, TableImport, cell_text, chunks,
    read_table, update_rows,
)
from .imports import error_message as _error_message
from .imports import run_import  # noqa: F401  (the job runner, shared by every import)
from .imports import start_import as _start_import
from .models import (
    College, DegreeLevel, Gender, ImportJob, Major, Student, StudentClass, University, User, name_search_key,
    normalise_name,
)

RosterFileError = ImportFileError
_text = cell_text
_update_rows = update_rows
_chunks = chunks
__all__ = ["COLUMNS", "REASON_HEADER", "RosterImport", "ImportResult", "read_table", "run_import", "start_import"]

# The allowlist: header → key. Order is the order of the rejected-rows report.
COLUMNS: dict[str, str] = {
    "学号": "student_no", "姓名": "name", "性别": "gender", "民族": "ethnicity", "政治面貌": "political_status",
    "学院": "college", "专业": "major", "年级": "grade", "班级": "class", "手机号": "phone",
    "培养层次": "degree_level", "邮箱": "email",
}
LABELS: dict[str, str] = {key: header for header, key in COLUMNS.items()}
REQUIRED = ["student_no", "name", "gender", "ethnicity", "political_status", "college", "major", "grade", "class"]
# Other spellings seen in academic-affairs exports.
ALIASES: dict[str, str] = {
    "学生姓名": "name", "院系": "college", "所在学院": "college", "学院名称": "college", "专业名称": "major",
    "入学年份": "grade", "入学年级": "grade", "班级名称": "class", "行政班": "class", "手机": "phone",
    "联系电话": "phone", "手机号码": "phone", "电子邮箱": "email", "电子邮件": "email", "学历层次": "degree_level",
    "学生类别": "degree_level",
}

GENDERS = {"男": Gender.MALE, "男性": Gender.MALE, "m": Gender.MALE, "male": Gender.MALE, "1": Gender.MALE,
           "女": Gender.FEMALE, "女性": Gender.FEMALE, "f": Gender.FEMALE, "female": Gender.FEMALE,
           "2": Gender.FEMALE}
DEGREE_LEVELS = {
    "本科": DegreeLevel.UNDERGRADUATE, "本科生": DegreeLevel.UNDERGRADUATE,
    "专科": DegreeLevel.JUNIOR_COLLEGE, "专科生": DegreeLevel.JUNIOR_COLLEGE, "大专": DegreeLevel.JUNIOR_COLLEGE,
    "高职": DegreeLevel.JUNIOR_COLLEGE,
    "硕士": DegreeLevel.MASTER, "硕士研究生": DegreeLevel.MASTER, "硕士生": DegreeLevel.MASTER,
    "博士": DegreeLevel.DOCTORAL, "博士研究生": DegreeLevel.DOCTORAL, "博士生": DegreeLevel.DOCTORAL,
}
STUDENT_NO_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{0,31}$")
PHONE_RE = re.compile(r"^1\d{10}$")
NAME_MAX = Student._meta.get_field("name").max_length
ORG_NAME_MAX = StudentClass._meta.get_field("name").max_length

# Reasons of the row-by-row report: English msgids, shown in the reader's language (zh-Hans by
# default). Parameters: column (a header such as 学院), value (the cell), other (a row number).
MESSAGES: dict[str, str] = {
    "no_header": gettext_noop("No header row with the columns 学号 and 姓名 was found in the first 10 rows."),
    "student_no_format": gettext_noop(
        "Student number “%(value)s” may contain only letters, digits and hyphens, up to 32 characters "
        "(if Excel shows it as a number, format the column as text)."),
    "student_no_duplicate": gettext_noop("Student number “%(value)s” already appears in row %(other)s."),
    "name_too_long": gettext_noop("The name is longer than 64 characters."),
    "too_long": gettext_noop("“%(column)s” is longer than 100 characters."),
    "gender": gettext_noop("Gender “%(value)s” is not 男 or 女."),
    "ethnicity": gettext_noop("Ethnicity “%(value)s” is not a GB 3304 name or code."),
    "political_status": gettext_noop("Political status “%(value)s” is not a GB/T 4762 name or code."),
    "degree_level": gettext_noop("Degree level “%(value)s” is not 本科, 专科, 硕士 or 博士."),
    "college_unknown": gettext_noop("College “%(value)s” does not exist."),
    "class_college": gettext_noop("Class “%(value)s” belongs to another college (%(other)s)."),
    "grade": gettext_noop("Grade “%(value)s” is not an enrolment year."),
    "phone": gettext_noop("Mobile number “%(value)s” is not 11 digits starting with 1."),
    "email": gettext_noop("E-mail address “%(value)s” is not valid."),
}


def error_message(error: dict) -> str:
    """The reason of one roster report entry, in the active language."""
    return _error_message(error, ImportJob.Kind.ROSTER)


# Checking -----------------------------------------------------------------------------------------

@dataclass
class Record:
    row: int
    student_no: str
    name: str
    gender: str
    ethnicity: str
    political_status: str
    degree_level: str
    college_id: int
    major_name: str
    class_name: str
    enrolment_year: int
    phone: str
    email: str


class RosterImport(TableImport):
    """Check a roster against one university, then write it (all or nothing)."""

    COLUMNS = COLUMNS
    ALIASES = ALIASES
    REQUIRED = REQUIRED
    HEADER_KEYS = ("student_no", "name")
    MESSAGES = MESSAGES

    def __init__(self, university: University, actor=None):
        super().__init__(university, actor)
        self.colleges: dict[str, College] = {}
        for college in College.objects.filter(university=university):
            self.colleges[college.code] = college
            self.colleges[college.name] = college  # names win over a code spelled like a name
        self.college_names = {c.pk: c.name for c in self.colleges.values()}
        self.class_colleges: dict[str, int] = dict(
            StudentClass.objects.filter(university=university).values_list("name", "college_id")
        )
        self.seen: dict[str, int] = {}
        self.records: list[Record] = []
        self.max_year = timezone.localdate().year + 1

    # -- checking
    def check_row(self, row: int, cells: dict[str, str]) -> Record | None:
        errors: list[tuple[str, str, dict]] = []

        def error(key: str, code: str, **params):
            errors.append((LABELS[key], code, params))

        for key in REQUIRED:
            if not cells.get(key):
                error(key, "required", column=LABELS[key])
        student_no = cells.get("student_no", "")
        if student_no:
            if not STUDENT_NO_RE.match(student_no):
                error("student_no", "student_no_format", value=student_no)
            elif student_no in self.seen:
                error("student_no", "student_no_duplicate", value=student_no, other=self.seen[student_no])
            else:
                self.seen[student_no] = row
        name = normalise_name(cells.get("name", ""))
        if len(name) > NAME_MAX:
            error("name", "name_too_long")
        gender = cells.get("gender", "")
        if gender:
            gender = GENDERS.get(gender.lower())
            if gender is None:
                error("gender", "gender", value=cells["gender"])
        ethnicity = cells.get("ethnicity", "")
        if ethnicity:
            ethnicity = ethnicity_code(ethnicity)
            if ethnicity is None:
                error("ethnicity", "ethnicity", value=cells["ethnicity"])
        political = cells.get("political_status", "")
        if political:
            political = political_status_code(political)
            if political is None:
                error("political_status", "political_status", value=cells["political_status"])
        degree = cells.get("degree_level", "")
        degree = DEGREE_LEVELS.get(degree) if degree else DegreeLevel.UNDERGRADUATE
        if degree is None:
            error("degree_level", "degree_level", value=cells["degree_level"])
        college = None
        if cells.get("college"):
            college = self.colleges.get(cells["college"])
            if college is None:
                error("college", "college_unknown", value=cells["college"])
        major = cells.get("major", "")
        if len(major) > ORG_NAME_MAX:
            error("major", "too_long", column=LABELS["major"])
        class_name = cells.get("class", "")
        if len(class_name) > ORG_NAME_MAX:
            error("class", "too_long", column=LABELS["class"])
        elif class_name and college is not None:
            owner = self.class_colleges.setdefault(class_name, college.pk)
            if owner != college.pk:
                error("class", "class_college", value=class_name, other=self.college_names.get(owner, ""))
        grade = cells.get("grade", "")
        year = None
        if grade:
            digits = grade.removesuffix("级")[:10]
            if re.fullmatch(r"\d{4}-\d\d-\d\d(T.*)?", grade):  # a date cell: its year
                digits = grade[:4]
            year = int(digits) if digits.isdigit() else None
            if year is None or not 1950 <= year <= self.max_year:
                error("grade", "grade", value=grade)
        phone = re.sub(r"[\s-]", "", cells.get("phone", ""))
        if phone.startswith("+86"):
            phone = phone[3:]
        if phone and not PHONE_RE.match(phone):
            error("phone", "phone", value=cells["phone"])
        email = cells.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                error("email", "email", value=email)
        if errors:
            self.reject(row, cells, errors)
            return None
        record = Record(
            row=row, student_no=student_no, name=name, gender=str(gender), ethnicity=ethnicity,
            political_status=str(political), degree_level=str(degree), college_id=college.pk, major_name=major,
            class_name=class_name, enrolment_year=year, phone=phone, email=email,
        )
        self.records.append(record)
        return record

    # -- writing
    def save(self) -> ImportResult:
        """Write the checked records in one transaction. Call only when there are no errors."""
        assert not self.result.errors, "a roster with errors is never written"
        university = self.university
        records = self.records
        with transaction.atomic():
            majors = self._ensure_majors({(r.college_id, r.major_name) for r in records})
            classes = self._ensure_classes(records, majors)
            existing = self._existing_students([r.student_no for r in records])
            users = self._ensure_users(records)
            fields = ["name", "name_pinyin", "gender", "ethnicity", "political_status", "degree_level", "college_id", "major_id",
                      "student_class_id", "enrolment_year", "phone", "email", "is_enrolled"]
            now = timezone.now()
            updated = Student._meta.get_field("updated").get_db_prep_save(now, connection)
            new, changed = [], []
            for r in records:
                values = (r.name, name_search_key(r.name), r.gender, r.ethnicity, r.political_status, r.degree_level, r.college_id,
                          majors[(r.college_id, r.major_name)], classes[r.class_name], r.enrolment_year, r.phone,
                          r.email, True)
                current = existing.get(r.student_no)
                if current is None:
                    new.append(Student(university=university, student_no=r.student_no, user_id=users[r.student_no],
                                       created=now, updated=now, **dict(zip(fields, values))))
                    continue
                pk, user_id, *old = current
                if tuple(old) == values and user_id is not None:
                    self.result.unchanged += 1
                    continue
                changed.append((pk, *values, user_id or users[r.student_no], updated))
            Student.objects.bulk_create(new, batch_size=BATCH_SIZE)
            _update_rows(Student, [*fields, "user_id", "updated"], changed)
        self.result.created = len(new)
        self.result.updated = len(changed)
        return self.result

    def _ensure_majors(self, keys: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
        majors = {
            (college_id, name): pk
            for pk, college_id, name in Major.objects.filter(university=self.university)
            .values_list("pk", "college_id", "name")
        }
        codes = set(Major.objects.filter(university=self.university).values_list("code", flat=True))
        college_codes = {c.pk: c.code for c in self.colleges.values()}
        missing = []
        for college_id, name in sorted(keys - majors.keys()):
            number = 1
            while (code := f"{college_codes[college_id]}-{number:02d}"[:20]) in codes:
                number += 1
            codes.add(code)
            missing.append(Major(university=self.university, college_id=college_id, name=name, code=code))
        if missing:
            Major.objects.bulk_create(missing, batch_size=BATCH_SIZE)
            log_bulk_creation(Major.objects.filter(university=self.university, code__in=[m.code for m in missing]),
                              actor=self.actor)
            return self._ensure_majors(set())
        return majors

    def _ensure_classes(self, records: list[Record], majors: dict) -> dict[str, int]:
        classes = dict(StudentClass.objects.filter(university=self.university).values_list("name", "pk"))
        missing: dict[str, StudentClass] = {}
        for r in records:
            if r.class_name not in classes and r.class_name not in missing:
                missing[r.class_name] = StudentClass(
                    university=self.university, college_id=r.college_id, major_id=majors[(r.college_id, r.major_name)],
                    grade=r.enrolment_year, name=r.class_name,
                )
        if missing:
            StudentClass.objects.bulk_create(missing.values(), batch_size=BATCH_SIZE)
            log_bulk_creation(StudentClass.objects.filter(university=self.university, name__in=list(missing)),
                              actor=self.actor)
            classes = dict(StudentClass.objects.filter(university=self.university).values_list("name", "pk"))
        return classes

    def _existing_students(self, student_nos: list[str]) -> dict[str, tuple]:
        existing = {}
        for chunk in _chunks(student_nos, 900):
            for pk, student_no, user_id, *values in Student.objects.filter(
                university=self.university, student_no__in=chunk,
            ).values_list("pk", "student_no", "user_id", "name", "name_pinyin", "gender", "ethnicity", "political_status",
                          "degree_level", "college_id", "major_id", "student_class_id", "enrolment_year", "phone",
                          "email", "is_enrolled"):
                existing[student_no] = (pk, user_id, *values)
        return existing

    def _users(self, login_ids: list[str]) -> dict[str, tuple[int, str]]:
        users = {}
        for chunk in _chunks(login_ids, 900):
            for pk, login_id, full_name in User.objects.filter(
                university=self.university, login_id__in=chunk,
            ).values_list("pk", "login_id", "full_name"):
                users[login_id] = (pk, full_name)
        return users

    def _ensure_users(self, records: list[Record]) -> dict[str, int]:
        """Accounts keyed by 学号: new ones get an unusable password (no hashing per row)."""
        users = self._users([r.student_no for r in records])
        new, renamed = [], []
        for r in records:
            current = users.get(r.student_no)
            if current is None:
                new.append(User(
                    university=self.university, login_id=r.student_no, full_name=r.name, email=r.email,
                    username=User.make_username(self.university.code, r.student_no),
                    password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
                ))
            elif current[1] != r.name:
                renamed.append((current[0], r.name))
        if new:
            User.objects.bulk_create(new, batch_size=BATCH_SIZE)
        _update_rows(User, ["full_name"], renamed)
        if new:
            users.update(self._users([u.login_id for u in new]))
        return {login_id: pk for login_id, (pk, _name) in users.items()}


def start_import(user, university: University, uploaded_file) -> ImportJob:
    """Record a roster upload as a job and queue it (see `imports.start_import`)."""
    return _start_import(user, university, uploaded_file, ImportJob.Kind.ROSTER)


IMPORTER = RosterImport
