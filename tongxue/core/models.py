"""The four-level organisation (school → campus → college → class), people and roles.

The university is the tenant: every table that belongs to one university carries its own
`university` foreign key, first in composite indexes and unique constraints.
"""
import unicodedata

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .querysets import ScopedQuerySet, StudentQuerySet, UniversityQuerySet

MIDDLE_DOT = "\u00b7"
_DOT_VARIANTS = str.maketrans({"•": MIDDLE_DOT, "・": MIDDLE_DOT, "．": MIDDLE_DOT, "‧": MIDDLE_DOT, "∙": MIDDLE_DOT})


def name_search_key(name: str) -> str:
    """Full pinyin and initials of a name ("张三" → "zhangsan zs"), so that lists can be
    searched by pinyin (conventions.md). Characters without a reading are skipped."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(name, errors="ignore")
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    return f"{''.join(syllables)} {''.join(initials)}".lower()[:200]


def normalise_name(name: str) -> str:
    """One 姓名: NFC, trimmed, with the dot variants of minority names made U+00B7."""
    return unicodedata.normalize("NFC", name).strip().translate(_DOT_VARIANTS)


class University(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=20, unique=True, help_text=_("Short code used in account names."))
    is_large = models.BooleanField(
        _("large or multi-campus"),
        default=False,
        help_text=_("Large or multi-campus universities may have up to 60 school-level union staff."),
    )
    website = models.URLField(_("website"), blank=True)

    objects = UniversityQuerySet.as_manager()

    class Meta:
        verbose_name = _("university")
        verbose_name_plural = _("universities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TenantModel(models.Model):
    """A record that belongs to exactly one university."""

    university = models.ForeignKey(University, on_delete=models.CASCADE, verbose_name=_("university"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class Campus(TenantModel):
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=20)

    class Meta:
        verbose_name = _("campus")
        verbose_name_plural = _("campuses")
        ordering = ["university", "code"]
        constraints = [models.UniqueConstraint(fields=["university", "code"], name="campus_code_unique")]

    def __str__(self) -> str:
        return self.name


class College(TenantModel):
    class Kind(models.TextChoices):
        COLLEGE = "college", _("college (学院)")
        DEPARTMENT = "department", _("department (系)")
        ACADEMY = "academy", _("residential college (书院)")

    campus = models.ForeignKey(Campus, on_delete=models.PROTECT, related_name="colleges", verbose_name=_("campus"))
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.COLLEGE)

    class Meta:
        verbose_name = _("college")
        verbose_name_plural = _("colleges")
        ordering = ["university", "code"]
        constraints = [
            models.UniqueConstraint(fields=["university", "code"], name="college_code_unique"),
            models.UniqueConstraint(fields=["university", "name"], name="college_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Major(TenantModel):
    college = models.ForeignKey(College, on_delete=models.PROTECT, related_name="majors", verbose_name=_("college"))
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=20)

    class Meta:
        verbose_name = _("major")
        verbose_name_plural = _("majors")
        ordering = ["university", "code"]
        constraints = [models.UniqueConstraint(fields=["university", "code"], name="major_code_unique")]

    def __str__(self) -> str:
        return self.name


class StudentClass(TenantModel):
    """A class (班级): the fourth level, where delegates are elected."""

    college = models.ForeignKey(College, on_delete=models.PROTECT, related_name="classes", verbose_name=_("college"))
    major = models.ForeignKey(Major, on_delete=models.PROTECT, related_name="classes", verbose_name=_("major"))
    grade = models.PositiveSmallIntegerField(_("grade (enrolment year)"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["university", "college", "-grade", "name"]
        constraints = [models.UniqueConstraint(fields=["university", "name"], name="class_name_unique")]
        indexes = [models.Index(fields=["university", "college", "grade"])]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """An account. The campus identity (学号 or 工号) is the key, unique within a university.

    `username` is derived as `<university code>/<login id>` so that one deployment can host
    several universities; people type only their 学号/工号 (and pick the university when the
    deployment hosts more than one).
    """

    university = models.ForeignKey(
        University, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("university"),
        help_text=_("Empty only for federation administrators."),
    )
    # Derived from the university code and the login id ("demo/2023010001"): no character rules.
    username = models.CharField(_("username"), max_length=150, unique=True)
    login_id = models.CharField(_("student or staff number"), max_length=32)
    full_name = models.CharField(_("full name"), max_length=64)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)

    objects = UserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(fields=["university", "login_id"], name="user_login_id_unique"),
        ]

    @staticmethod
    def make_username(university_code: str | None, login_id: str) -> str:
        return f"{university_code or 'federation'}/{login_id}"

    def save(self, *args, **kwargs):
        self.full_name = normalise_name(self.full_name)
        if not self.username:
            self.username = self.make_username(self.university.code if self.university_id else None, self.login_id)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.full_name} ({self.login_id})" if self.full_name else self.login_id

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name


class PoliticalStatus(models.TextChoices):
    """政治面貌, with the GB/T 4762 codes as values."""

    PARTY_MEMBER = "01", _("Communist Party member")
    PROBATIONARY_PARTY_MEMBER = "02", _("probationary Party member")
    LEAGUE_MEMBER = "03", _("Communist Youth League member")
    DEMOCRATIC_PARTY = "04", _("member of a democratic party")
    NON_PARTISAN = "12", _("non-partisan")
    MASSES = "13", _("ordinary citizen")


class DegreeLevel(models.TextChoices):
    JUNIOR_COLLEGE = "junior", _("junior college")
    UNDERGRADUATE = "undergraduate", _("undergraduate")
    MASTER = "master", _("master's student")
    DOCTORAL = "doctoral", _("doctoral student")

    @classmethod
    def graduate_levels(cls) -> tuple[str, ...]:
        return (cls.MASTER, cls.DOCTORAL)


class Gender(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Student(TenantModel):
    """An enrolled student. 学号 is text (leading zeros), unique within the university."""

    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="student", verbose_name=_("account")
    )
    student_no = models.CharField(_("student number"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    name_pinyin = models.CharField(_("name in pinyin"), max_length=200, blank=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, help_text=_("GB 3304 code, e.g. 01 for Han."))
    political_status = models.CharField(_("political status"), max_length=2, choices=PoliticalStatus)
    degree_level = models.CharField(_("degree level"), max_length=16, choices=DegreeLevel)
    college = models.ForeignKey(College, on_delete=models.PROTECT, related_name="students", verbose_name=_("college"))
    major = models.ForeignKey(Major, on_delete=models.PROTECT, related_name="students", verbose_name=_("major"))
    student_class = models.ForeignKey(
        StudentClass, on_delete=models.PROTECT, related_name="students", verbose_name=_("class")
    )
    enrolment_year = models.PositiveSmallIntegerField(_("enrolment year"))
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_enrolled = models.BooleanField(_("enrolled"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = StudentQuerySet.as_manager()

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["university", "student_no"]
        constraints = [models.UniqueConstraint(fields=["university", "student_no"], name="student_no_unique")]
        indexes = [
            models.Index(fields=["university", "college", "enrolment_year"]),
            models.Index(fields=["university", "student_class"]),
            models.Index(fields=["university", "name"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.student_no})"

    def save(self, *args, **kwargs):
        self.name = normalise_name(self.name)
        self.name_pinyin = name_search_key(self.name)
        super().save(*args, **kwargs)

    @property
    def is_graduate(self) -> bool:
        return self.degree_level in DegreeLevel.graduate_levels()

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


def mask_phone(phone: str) -> str:
    """Phone numbers show the first 3 and last 4 digits (conventions.md, privacy)."""
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


class Role(models.TextChoices):
    CLASS_REPRESENTATIVE = "class_rep", _("class representative")
    LEAGUE_TEACHER = "league", _("League committee teacher")
    PARTY_APPROVER = "party", _("Party committee / student affairs approver")
    OFFICE_STAFF = "office", _("university office staff")
    UNIVERSITY_ADMIN = "univ_admin", _("university administrator")
    FEDERATION_ADMIN = "fed_admin", _("federation administrator")


class RoleAssignment(models.Model):
    """A role held by an account, optionally narrowed to one college or one class.

    Students and union cadres need no assignment: being a student, and holding a position
    in a union's current term, are roles of their own (see `scope.py`).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("account"))
    role = models.CharField(_("role"), max_length=20, choices=Role)
    university = models.ForeignKey(
        University, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("university"),
        help_text=_("Empty only for federation administrators."),
    )
    college = models.ForeignKey(
        College, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("college"),
        help_text=_("Leave empty for the whole university."),
    )
    student_class = models.ForeignKey(
        StudentClass, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("class")
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["university", "user", "role", "college", "student_class"], name="role_assignment_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(role="fed_admin") | models.Q(university__isnull=False),
                name="role_needs_university",
            ),
        ]

    def is_consistent(self) -> bool:
        """The college and class, when given, belong to the assignment's university."""
        return all(
            unit is None or unit.university_id == self.university_id for unit in (self.college, self.student_class)
        )

    def clean(self):
        if not self.is_consistent():
            raise ValidationError(_("The college or class belongs to another university."))
        if self.role == Role.CLASS_REPRESENTATIVE and not self.student_class_id:
            raise ValidationError({"student_class": _("A class representative needs a class.")})

    def __str__(self) -> str:
        where = self.student_class or self.college or self.university or _("all universities")
        return f"{self.user} · {self.get_role_display()} · {where}"


class AccessEvent(models.Model):
    """A security-relevant event that changes no record: a refused action (403)."""

    class Kind(models.TextChoices):
        FORBIDDEN = "forbidden", _("forbidden")

    university = models.ForeignKey(University, null=True, blank=True, on_delete=models.CASCADE)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("actor"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.FORBIDDEN)
    method = models.CharField(max_length=10)
    path = models.CharField(_("path"), max_length=500)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    created = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        ordering = ["-created"]
        indexes = [models.Index(fields=["university", "-created"])]


def roster_upload_path(job, filename: str) -> str:
    """A random name: the stored file name says nothing about whose roster it is."""
    import uuid

    suffix = ".csv" if filename.lower().endswith(".csv") else ".xlsx"
    return f"roster/{uuid.uuid4().hex}{suffix}"


class ImportJobQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Import jobs are seen by those who keep the roster of their university."""
        from .scope import scope_of

        scope = scope_of(user)
        if scope.all_universities:
            return self
        return self.filter(university_id__in=scope.roster_university_ids)


class ImportJob(TenantModel):
    """One upload (a roster or academic results) and its processing: the trace of who imported
    what, when, with what result. `kind` says which importer reads the file (see `imports.py`).

    The uploaded file is deleted once processed (it may carry columns we never keep, such as
    身份证号); rejected rows keep only the allowlisted columns, for the error report.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        FAILED = "failed", _("failed")
        SUCCEEDED = "succeeded", _("succeeded")

    class Kind(models.TextChoices):
        ROSTER = "roster", _("roster")
        ACADEMIC = "academic", _("academic results")

    TRANSITIONS = {
        Status.PENDING: {Status.RUNNING, Status.FAILED},
        Status.RUNNING: {Status.FAILED, Status.SUCCEEDED},
        Status.FAILED: set(),
        Status.SUCCEEDED: set(),
    }

    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.ROSTER)
    file = models.FileField(_("file"), upload_to=roster_upload_path, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("students added"), default=0)
    updated_count = models.PositiveIntegerField(_("students updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("students unchanged"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True,
                              help_text=_("A list of {row, column, code, params, message}."))
    rejected_rows = models.JSONField(default=list, blank=True,
                                     help_text=_("Rejected rows: [row number, [allowlisted values]]."))
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created"]
        indexes = [models.Index(fields=["university", "-created"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    def move_to(self, status: str) -> None:
        if status not in self.TRANSITIONS[self.Status(self.status)]:
            raise ValueError(f"import job cannot go from {self.status} to {status}")
        self.status = status

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.FAILED, self.Status.SUCCEEDED)

    @property
    def is_saving(self) -> bool:
        """Every row is checked and the students are being written (one transaction)."""
        return self.status == self.Status.RUNNING and self.total_rows > 0 and self.processed_rows >= self.total_rows

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.processed_rows * 100 // self.total_rows)


class AcademicRecord(TenantModel):
    """A student's standing in their major for one term, one academic year, or since enrolment,
    as reported by the academic-affairs office (imported by `academic.py`). Feeds the cadre
    eligibility rule (rules.md §2, `tongxue.domain.eligibility`)."""

    class Period(models.TextChoices):
        TERM = "term", pgettext_lazy("academic period", "term")
        YEAR = "year", pgettext_lazy("academic period", "academic year")
        CUMULATIVE = "cumulative", pgettext_lazy("academic period", "since enrolment")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="academic_records",
                                verbose_name=_("student"))
    period = models.CharField(_("period"), max_length=16, choices=Period)
    label = models.CharField(_("term or year"), max_length=20,
                             help_text=_("2025-2026-1 for a term, 2025-2026 for an academic year."))
    rank = models.PositiveIntegerField(_("rank in the major"))
    major_size = models.PositiveIntegerField(_("students in the major"))
    failed_courses = models.PositiveSmallIntegerField(_("failed courses"), default=0)
    imported_at = models.DateTimeField(_("imported"))

    class Meta:
        verbose_name = _("academic record")
        verbose_name_plural = _("academic records")
        ordering = ["university", "student", "period", "-label"]
        constraints = [
            models.UniqueConstraint(fields=["university", "student", "period", "label"],
                                    name="academic_record_unique"),
            models.CheckConstraint(condition=models.Q(rank__gte=1, rank__lte=models.F("major_size")),
                                   name="academic_record_rank_within_major"),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} · {self.label} · {self.rank}/{self.major_size}"


class OfficialCalendarYear(models.Model):
    """One year of the State Council's holiday schedule as entered in the database (national, no
    university). A year counts for deadlines only once it is marked complete: then its days in
    `OfficialCalendarDay` replace whatever the chinesecalendar package says about that year
    (conventions.md, Calendar; see `workcalendar.py`)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    is_complete = models.BooleanField(
        _("complete"), default=False,
        help_text=_("Only a complete year is used to count deadlines; until then the year has no calendar."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True,
                            help_text=_("For example the number and date of the State Council notice."))
    updated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("updated by"))
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("official calendar year")
        verbose_name_plural = _("official calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class OfficialCalendarDay(models.Model):
    """A public holiday or a make-up working day (调休上班日) of the State Council's schedule."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("public holiday")
        MAKEUP_WORKDAY = "workday", _("make-up working day (调休上班日)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    name = models.CharField(_("name"), max_length=50, blank=True, help_text=_("The holiday, e.g. 春节."))

    class Meta:
        verbose_name = _("official calendar day")
        verbose_name_plural = _("official calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()


class CalendarOverride(TenantModel):
    """A university's own change to the official calendar: a closure (term break, campus closure)
    or an extra working day. A closure wins over an official make-up day, an extra working day
    over an official holiday."""

    class Kind(models.TextChoices):
        CLOSURE = "closure", _("closure (no working day)")
        EXTRA_WORKDAY = "workday", _("extra working day")

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    note = models.CharField(_("note"), max_length=200, blank=True,
                            help_text=_("For example winter break or campus closure."))

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["university", "date"]
        constraints = [models.UniqueConstraint(fields=["university", "date"], name="calendar_override_unique")]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"
