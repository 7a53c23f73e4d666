"""The student congress (学代会, rules.md §4): a union's yearly session, its preparatory
committee, its delegates, their attendance (the quorum) and the agenda.

Thresholds that are local practice (rules.md §8) are fields of the session, stored as exact
fractions written "2/3" and read with `share()`, so that a check like "at least two thirds
present" is never off by a rounding.
"""
import secrets
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongxue.core.models import StudentClass, TenantModel
from tongxue.core.querysets import ScopedQuerySet
from tongxue.domain.tally import parse_share
from tongxue.unions.models import Union

from .querysets import CongressSessionQuerySet, DelegateQuerySet, SessionChildQuerySet


def validate_share(text: str) -> None:
    try:
        value = parse_share(text)
    except ValueError:
        value = None
    if value is None or value == 0:
        raise ValidationError(_("Write a share as 2/3, 0.6 or 60%: more than 0 and at most 1."))


def new_check_in_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


class CongressSession(TenantModel):
    """One session of a union's congress (第N次学生代表大会), or of a small college's all-student
    assembly (全体学生大会, allowed below 400 students)."""

    class Kind(models.TextChoices):
        CONGRESS = "congress", _("student congress")
        ASSEMBLY = "assembly", _("all-student assembly")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("in preparation")
        ELECTING = "electing", _("electing delegates")
        CONVENED = "convened", _("in session")
        CLOSED = "closed", pgettext_lazy("congress session", "closed")

    TRANSITIONS = {
        Status.PREPARING: {Status.ELECTING, Status.CONVENED},
        Status.ELECTING: {Status.PREPARING, Status.CONVENED},
        Status.CONVENED: {Status.CLOSED},
        Status.CLOSED: set(),
    }

    union = models.ForeignKey(Union, on_delete=models.PROTECT, related_name="congress_sessions",
                              verbose_name=_("union"))
    number = models.PositiveSmallIntegerField(_("session number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.CONGRESS)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PREPARING)
    opens_on = models.DateField(_("opening day"))
    closes_on = models.DateField(_("closing day"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=100, blank=True)
    # Local practice, configurable per session (rules.md §8); the defaults are labelled as such.
    seat_share = models.CharField(_("delegates per student served"), max_length=10, default="1/100",
                                  validators=[validate_share], help_text=_("Default 1/100 (1%)."))
    quorum = models.CharField(_("quorum"), max_length=10, default="2/3", validators=[validate_share],
                              help_text=_("Share of delegates who must be present. Default 2/3."))
    resolution_share = models.CharField(
        _("majority for resolutions"), max_length=10, default="1/2", validators=[validate_share],
        help_text=_("A resolution needs more than this share of the delegates present. Default 1/2."))
    charter_share = models.CharField(
        _("majority for the charter"), max_length=10, default="2/3", validators=[validate_share],
        help_text=_("A charter amendment needs at least this share of the delegates present. Default 2/3."))
    non_cadre_share = models.CharField(
        _("non-cadre delegates"), max_length=10, default="3/5", validators=[validate_share],
        help_text=_("Minimum share of delegates who are not school- or college-level cadres. Default 3/5 (60%)."))
    class_meeting_quorum = models.CharField(
        _("class meeting quorum"), max_length=10, default="2/3", validators=[validate_share],
        help_text=_("Share of the class present at a meeting electing delegates. Default 2/3."))
    candidate_surplus = models.CharField(
        _("surplus of delegate candidates"), max_length=10, default="1/5", validators=[validate_share],
        help_text=_("How many more candidates than seats a class lists, as a share of its seats. Default 1/5 (20%)."))
    recall_share = models.CharField(
        _("delegates to move a recall"), max_length=10, default="1/3", validators=[validate_share],
        help_text=_("Default 1/3."))
    min_cosigners = models.PositiveSmallIntegerField(_("co-signers a proposal needs"), default=2)
    proposal_answer_days = models.PositiveSmallIntegerField(_("days for an office to answer a proposal"), default=30)
    check_in_code = models.CharField(_("check-in code"), max_length=6, default=new_check_in_code)
    is_check_in_open = models.BooleanField(_("check-in open"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CongressSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("congress session")
        verbose_name_plural = _("congress sessions")
        ordering = ["university", "union", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["university", "union", "number"], name="congress_session_number_unique"),
        ]
        indexes = [models.Index(fields=["university", "status"])]

    def __str__(self) -> str:
        return f"{self.union.name} {self.title}"

    @property
    def title(self) -> str:
        from django.utils.translation import gettext

        if self.kind == self.Kind.ASSEMBLY:
            return gettext("Session %(number)s of the all-student assembly") % {"number": self.number}
        if self.union.kind == Union.Kind.GRADUATE:
            return gettext("Session %(number)s of the graduate student congress") % {"number": self.number}
        return gettext("Session %(number)s of the student congress") % {"number": self.number}

    def share(self, field: str) -> Fraction:
        """A threshold field ("quorum", "charter_share" …) as an exact fraction."""
        return parse_share(getattr(self, field))

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.Status(self.status)]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.CONVENED


class CommitteeMember(TenantModel):
    """A member of the session's preparatory committee (筹备委员会) and its working groups."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        MEMBER = "member", _("member")
        SECRETARY = "secretary", _("secretary")
        CREDENTIALS = "credentials", _("credentials committee")
        PROPOSALS = "proposals", _("proposal committee")
        PRESIDIUM = "presidium", _("presidium of the session")

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="committee",
                                verbose_name=_("session"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="congress_committees",
                             verbose_name=_("account"))
    role = models.CharField(_("role"), max_length=12, choices=Role, default=Role.MEMBER)

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("preparatory committee member")
        verbose_name_plural = _("preparatory committee")
        ordering = ["session", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["university", "session", "user", "role"], name="committee_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user.full_name} ({self.get_role_display()})"


class Delegate(TenantModel):
    """A delegate to a session: elected by a class meeting (or chosen by a main association),
    checked by the credentials committee, and then seated. A seated delegate counts towards
    the quorum; a replaced one points to their substitute."""

    class Source(models.TextChoices):
        CLASS = "class", _("elected by a class")
        ASSOCIATION = "association", _("chosen by an association")

    class Status(models.TextChoices):
        ELECTED = "elected", _("elected, awaiting review")
        SEATED = "seated", _("seated")
        REJECTED = "rejected", _("not qualified")
        REPLACED = "replaced", _("replaced")
        WITHDRAWN = "withdrawn", _("withdrawn")

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="delegates",
                                verbose_name=_("session"))
    student = models.ForeignKey("core.Student", on_delete=models.PROTECT, related_name="delegacies",
                                verbose_name=_("student"))
    source = models.CharField(_("chosen by"), max_length=12, choices=Source, default=Source.CLASS)
    student_class = models.ForeignKey(StudentClass, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("class"))
    association = models.ForeignKey("unions.Association", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("association"))
    seat_key = models.CharField(_("seat unit"), max_length=40, blank=True,
                                help_text=_("The apportionment unit whose seat the delegate holds."))
    number = models.PositiveIntegerField(_("delegate number"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ELECTED)
    is_cadre = models.BooleanField(_("union cadre"), default=False,
                                   help_text=_("A school- or college-level union cadre when the delegate was reviewed."))
    review_note = models.CharField(_("review note"), max_length=200, blank=True)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="replaced_by", verbose_name=_("replaces"))
    elected_on = models.DateField(_("elected on"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = DelegateQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["session", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["university", "session", "student"], name="delegate_student_unique"),
            models.UniqueConstraint(fields=["university", "session", "number"], name="delegate_number_unique"),
        ]
        indexes = [models.Index(fields=["university", "session", "status"])]

    def __str__(self) -> str:
        return self.student.name

    @property
    def is_seated(self) -> bool:
        return self.status == self.Status.SEATED


class Attendance(TenantModel):
    """A seated delegate's check-in for one sitting day of a session; leaving the hall sets
    `checked_out`. The quorum counts delegates checked in and not checked out."""

    class Method(models.TextChoices):
        CODE = "code", _("check-in code")
        QR = "qr", _("QR code")
        DESK = "desk", _("at the desk")

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="attendances",
                                verbose_name=_("session"))
    delegate = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="attendances",
                                 verbose_name=_("delegate"))
    sitting = models.DateField(_("sitting day"))
    method = models.CharField(_("method"), max_length=6, choices=Method, default=Method.CODE)
    checked_in = models.DateTimeField(_("checked in"))
    checked_out = models.DateTimeField(_("left"), null=True, blank=True)

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "sitting", "checked_in"]
        constraints = [
            models.UniqueConstraint(fields=["university", "session", "delegate", "sitting"],
                                    name="attendance_once_per_day"),
        ]
        indexes = [models.Index(fields=["university", "session", "sitting", "checked_out"])]

    def __str__(self) -> str:
        return f"{self.delegate} {self.sitting}"


class AgendaItem(TenantModel):
    """An item of the session's agenda, taken in order; one at a time is current (shown on the
    projector)."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("opening")
        REPORT = "report", _("report for review")
        RESOLUTION = "resolution", _("resolution")
        ELECTION = "election", _("election")
        CHARTER = "charter", _("charter amendment")
        PROPOSALS = "proposals", _("proposals")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PENDING = "pending", _("to come")
        CURRENT = "current", _("now")
        DONE = "done", _("done")

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="agenda",
                                verbose_name=_("session"))
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.OTHER)
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.PENDING)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")
        ordering = ["session", "order"]
        constraints = [
            models.UniqueConstraint(fields=["university", "session", "order"], name="agenda_order_unique"),
            models.UniqueConstraint(fields=["university", "session"], condition=models.Q(status="current"),
                                    name="agenda_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


# ---------------------------------------------------------------- preparation (issue 5 items 1–3)

class Milestone(TenantModel):
    """A step of the session's preparation timeline (筹备工作时间表), with its due and done dates.
    The six usual steps are created with the session (services_prep.DEFAULT_MILESTONES)."""

    class Kind(models.TextChoices):
        START = "start", _("preparation starts")
        SEATS = "seats", _("seat apportionment")
        ELECTION = "election", _("delegate elections")
        REVIEW = "review", _("qualification review")
        NOTICE = "notice", _("public notice of the delegates")
        CONVENE = "convene", _("the congress convenes")
        OTHER = "other", _("other")

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="milestones",
                                verbose_name=_("session"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.OTHER)
    name = models.CharField(_("name"), max_length=100, blank=True,
                            help_text=_("Leave empty to use the usual name of the step."))
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done"), null=True, blank=True)

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("timeline")
        ordering = ["session", "order", "pk"]
        indexes = [models.Index(fields=["university", "session", "order"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name or self.get_kind_display()


class Apportionment(TenantModel):
    """One computation of the seats (代表名额分配, rules.md §4) from the live roster: the colleges'
    grades share `seats` in proportion to their students, each with at least `minimum`; every
    main association gets `association_seats`. The committee may compute several and adopts one."""

    class Method(models.TextChoices):
        LARGEST_REMAINDER = "largest_remainder", _("largest remainder")
        SAINTE_LAGUE = "sainte_lague", _("Sainte-Laguë")

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="apportionments",
                                verbose_name=_("session"))
    method = models.CharField(_("method"), max_length=20, choices=Method, default=Method.LARGEST_REMAINDER)
    served = models.PositiveIntegerField(_("students served"))
    seats = models.PositiveIntegerField(_("seats of colleges and grades"))
    minimum = models.PositiveSmallIntegerField(_("minimum seats per unit"), default=1)
    association_seats = models.PositiveSmallIntegerField(_("seats per main association"), default=1)
    total = models.PositiveIntegerField(_("total seats"))
    computed_at = models.DateTimeField(_("computed"))
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("computed by"))
    is_adopted = models.BooleanField(_("adopted"), default=False)
    adopted_at = models.DateTimeField(_("adopted"), null=True, blank=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("adopted by"))

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("seat apportionment")
        verbose_name_plural = _("seat apportionments")
        ordering = ["session", "-computed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["university", "session"], condition=models.Q(is_adopted=True),
                                    name="apportionment_one_adopted"),
        ]
        indexes = [models.Index(fields=["university", "session", "is_adopted"])]

    def __str__(self) -> str:
        return f"{self.session} · {self.total}"


class SeatUnit(TenantModel):
    """A unit of an apportionment: a college's grade (key "c<college>-g<grade>") or a main
    association ("a<association>"), its students and its seats. `quota` is the exact quota
    students × seats / students served, as a fraction written "123/45"."""

    apportionment = models.ForeignKey(Apportionment, on_delete=models.CASCADE, related_name="units",
                                      verbose_name=_("apportionment"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.CharField(_("key"), max_length=40)
    label = models.CharField(_("unit"), max_length=150)
    college = models.ForeignKey("core.College", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("college"))
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    association = models.ForeignKey("unions.Association", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("association"))
    size = models.PositiveIntegerField(_("students"))
    quota = models.CharField(_("exact quota"), max_length=40, blank=True)
    seats = models.PositiveIntegerField(_("seats"))

    class Meta:
        verbose_name = _("seat unit")
        verbose_name_plural = _("seat units")
        ordering = ["apportionment", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["university", "apportionment", "key"], name="seat_unit_key_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def quota_fraction(self) -> Fraction | None:
        return Fraction(self.quota) if self.quota else None

    @property
    def is_association(self) -> bool:
        return self.association_id is not None


class ClassMeeting(TenantModel):
    """A class meeting electing the class's delegates (rules.md §4): at least `class_meeting_quorum`
    of the class present; the candidates with the most votes, each with more than half of those
    present, fill the class's seats."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        RECORDED = "recorded", _("recorded")

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="class_meetings",
                                verbose_name=_("session"))
    student_class = models.ForeignKey(StudentClass, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("class"))
    seat_key = models.CharField(_("seat unit"), max_length=40)
    seats = models.PositiveSmallIntegerField(_("seats"))
    class_size = models.PositiveIntegerField(_("students of the class"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("class meeting")
        verbose_name_plural = _("class meetings")
        ordering = ["session", "student_class__name"]
        constraints = [
            models.UniqueConstraint(fields=["university", "session", "student_class"],
                                    name="class_meeting_once_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.student_class} · {self.session}"

    @property
    def is_recorded(self) -> bool:
        return self.status == self.Status.RECORDED


class ClassCandidate(TenantModel):
    """A student of the class nominated as delegate candidate, with the votes counted for them."""

    meeting = models.ForeignKey(ClassMeeting, on_delete=models.CASCADE, related_name="candidates",
                                verbose_name=_("class meeting"))
    student = models.ForeignKey("core.Student", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("student"))
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("nominated by"))
    nominated_at = models.DateTimeField(_("nominated"), auto_now_add=True)
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)
    is_elected = models.BooleanField(_("elected"), default=False)

    class Meta:
        verbose_name = _("delegate candidate")
        verbose_name_plural = _("delegate candidates")
        ordering = ["meeting", "student__name"]
        constraints = [
            models.UniqueConstraint(fields=["university", "meeting", "student"], name="class_candidate_once"),
        ]

    def __str__(self) -> str:
        return self.student.name


class DelegateNotice(TenantModel):
    """The public notice (公示) of the session's delegate list: public without login while it runs
    (default 5 working days, counted on the university's working-day calendar)."""

    session = models.OneToOneField(CongressSession, on_delete=models.CASCADE, related_name="delegate_notice",
                                   verbose_name=_("session"))
    working_days = models.PositiveSmallIntegerField(_("working days"), default=5)
    starts = models.DateTimeField(_("notice starts"))
    ends = models.DateTimeField(_("notice ends"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("published by"))

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("public notice of the delegates")
        verbose_name_plural = _("public notices of the delegates")

    def __str__(self) -> str:
        return str(self.session)

    def is_running(self, now) -> bool:
        return self.starts <= now < self.ends

    @property
    def last_day(self):
        import datetime

        from django.utils import timezone

        return timezone.localdate(self.ends - datetime.timedelta(microseconds=1))


class DelegateObjection(TenantModel):
    """An objection (异议) to the delegate list, raised on the public notice — anonymously or with
    a name — and answered by the committee on the delegates' management page."""

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="delegate_objections",
                                verbose_name=_("session"))
    delegate = models.ForeignKey(Delegate, null=True, blank=True, on_delete=models.SET_NULL, related_name="objections",
                                 verbose_name=_("delegate"))
    text = models.TextField(_("objection"), max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("raised by"))
    contact = models.CharField(_("name or contact"), max_length=100, blank=True)
    created = models.DateTimeField(_("raised"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("objection to a delegate")
        verbose_name_plural = _("objections to delegates")
        ordering = ["session", "created"]
        indexes = [models.Index(fields=["university", "session", "answered_at"])]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


# The sitting (issue 5, item 4 and 7): documents and formal questions, resolutions and their
# votes, and the union's charter. Services in services_sitting.py, pages in views_sitting.py.

class SessionDocument(TenantModel):
    """A document of the session: the work report and the financial report that the congress
    reviews (rules.md §4), or another paper. Unpublished documents are seen by the committee only;
    once published they reach their audience."""

    class Kind(models.TextChoices):
        WORK_REPORT = "work_report", _("work report")
        FINANCIAL_REPORT = "financial_report", _("financial report")
        OTHER = "other", _("other document")

    class Audience(models.TextChoices):
        COMMITTEE = "committee", _("committee only")
        DELEGATES = "delegates", _("delegates")
        PUBLIC = "public", _("everyone at the university")

    REPORT_KINDS = (Kind.WORK_REPORT, Kind.FINANCIAL_REPORT)

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="documents",
                                verbose_name=_("session"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.WORK_REPORT)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to="congress/documents/%Y/", blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience, default=Audience.DELEGATES)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created = models.DateTimeField(auto_now_add=True)

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("session document")
        verbose_name_plural = _("session documents")
        ordering = ["session", "kind", "created"]
        indexes = [models.Index(fields=["university", "session", "audience"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_report(self) -> bool:
        return self.kind in self.REPORT_KINDS


class FormalQuestion(TenantModel):
    """A delegate's formal question (质询) on a report; the presidium answers in writing."""

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="questions",
                                verbose_name=_("session"))
    document = models.ForeignKey(SessionDocument, on_delete=models.CASCADE, related_name="questions",
                                 verbose_name=_("report"))
    delegate = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="questions",
                                 verbose_name=_("delegate"))
    text = models.TextField(_("question"), max_length=4000)
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True, max_length=8000)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("formal question")
        verbose_name_plural = _("formal questions")
        ordering = ["document", "asked_at", "pk"]
        indexes = [models.Index(fields=["university", "session", "document"])]

    def __str__(self) -> str:
        return self.text[:50]


class Resolution(TenantModel):
    """A resolution put to the congress (rules.md §4): it passes with more than `resolution_share`
    of the delegates present, or, amending the charter, with at least `charter_share` of them.
    Delegates present vote on their phones, or the chair enters the counts of a show of hands."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("ordinary resolution")
        CHARTER = "charter", _("charter amendment")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        VOTING = "voting", _("voting")
        CLOSED = "closed", pgettext_lazy("vote", "closed")

    class Mode(models.TextChoices):
        PHONES = "phones", _("delegates vote on their phones")
        HANDS = "hands", _("show of hands, counted by the chair")

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="resolutions",
                                verbose_name=_("session"))
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="resolutions", verbose_name=_("agenda item"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.ORDINARY)
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.DRAFT)
    mode = models.CharField(_("voting"), max_length=8, choices=Mode, default=Mode.PHONES)
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstain"), default=0)
    present = models.PositiveIntegerField(_("delegates present"), null=True, blank=True,
                                          help_text=_("Counted when the vote closed."))
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    opened_at = models.DateTimeField(_("vote opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("vote closed"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created = models.DateTimeField(auto_now_add=True)

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["session", "created", "pk"]
        indexes = [models.Index(fields=["university", "session", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def share_field(self) -> str:
        return "charter_share" if self.kind == self.Kind.CHARTER else "resolution_share"


class ResolutionVote(TenantModel):
    """A present delegate's vote on a resolution; changed freely until the vote closes. Votes on
    resolutions are open (not secret): elections use their own secret ballots."""

    class Choice(models.TextChoices):
        FOR = "for", _("for")
        AGAINST = "against", _("against")
        ABSTAIN = "abstain", _("abstain")

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="votes",
                                   verbose_name=_("resolution"))
    delegate = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="resolution_votes",
                                 verbose_name=_("delegate"))
    choice = models.CharField(_("vote"), max_length=8, choices=Choice)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote on a resolution")
        verbose_name_plural = _("votes on resolutions")
        constraints = [
            models.UniqueConstraint(fields=["university", "resolution", "delegate"], name="resolution_vote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.delegate} {self.choice}"


class CharterVersionQuerySet(models.QuerySet):
    def adopted(self):
        return self.filter(status="adopted")

    def history(self):
        return self.filter(status__in=["adopted", "superseded"]).order_by("-number")


class CharterVersion(TenantModel):
    """A version of a union's charter (章程). A draft is amended by a charter resolution; when the
    resolution passes the draft becomes the adopted (current) version and the previous one is
    superseded. The current charter and its history are public."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ADOPTED = "adopted", _("in force")
        SUPERSEDED = "superseded", _("superseded")

    union = models.ForeignKey(Union, on_delete=models.PROTECT, related_name="charter_versions",
                              verbose_name=_("union"))
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("based on"))
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    resolution = models.ForeignKey(Resolution, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="charter_versions", verbose_name=_("resolution"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created = models.DateTimeField(auto_now_add=True)

    objects = CharterVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        ordering = ["union", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["university", "union", "number"], name="charter_version_number_unique"),
            models.UniqueConstraint(fields=["university", "union"], condition=models.Q(status="adopted"),
                                    name="charter_one_in_force"),
        ]

    def __str__(self) -> str:
        return f"{self.union.name} v{self.number}"


# --- Between sessions: the standing delegates' council and recall (issue 5 item 8) ------------------

class CouncilMember(TenantModel):
    """A member of the standing delegates' council (常任代表会议), chosen from the seated delegates
    of a closed session; the council acts for that congress until the next session (rules.md §4)."""

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="council_members",
                                verbose_name=_("session"))
    delegate = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="council_seats",
                                 verbose_name=_("delegate"))
    created = models.DateTimeField(auto_now_add=True)

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("standing delegates' council")
        ordering = ["session", "delegate__number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["university", "session", "delegate"], name="council_member_unique"),
        ]

    def __str__(self) -> str:
        return str(self.delegate)


class CouncilMeeting(TenantModel):
    """A meeting of the council: it may decide only with more than half of its members present."""

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="council_meetings",
                                verbose_name=_("session"))
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    present = models.ManyToManyField(CouncilMember, blank=True, related_name="meetings",
                                     verbose_name=_("members present"))
    members_total = models.PositiveSmallIntegerField(_("members"), default=0,
                                                     help_text=_("Council members when the meeting was held."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("recorded by"))
    created = models.DateTimeField(auto_now_add=True)

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        ordering = ["session", "-held_on", "-pk"]
        indexes = [models.Index(fields=["university", "session", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class CouncilMatter(TenantModel):
    """A matter put to a council meeting and its vote. The kinds the council may not decide
    (rules.md §3, §4) exist so that a refusal can name them; the service rejects them."""

    class Kind(models.TextChoices):
        REPORT = "report", _("hearing a report of the presidium")
        PROPOSALS = "proposals", _("following up delegates' proposals")
        OPINIONS = "opinions", _("gathering students' opinions")
        RESOLUTION = "resolution", _("other decision within the congress's mandate")
        # Forbidden to the council:
        ELECT_PRESIDIUM = "elect_presidium", _("electing the presidium")
        AMEND_CHARTER = "amend_charter", _("amending the charter")
        DAILY_WORK = "daily_work", _("the union's daily work (e.g. rights cases)")

        @classmethod
        def forbidden(cls) -> tuple[str, ...]:
            return (cls.ELECT_PRESIDIUM, cls.AMEND_CHARTER, cls.DAILY_WORK)

    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.CASCADE, related_name="matters",
                                verbose_name=_("meeting"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    votes_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstain"), null=True, blank=True)
    is_passed = models.BooleanField(_("passed"), null=True, blank=True)
    voted_at = models.DateTimeField(_("voted at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("council matter")
        verbose_name_plural = _("council matters")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.title


class Recall(TenantModel):
    """A motion to recall (罢免) a presidium member of the session's union (rules.md §4): moved by a
    seated delegate with a reason, supported by at least `recall_share` of the seated delegates,
    then decided by the congress with more than `resolution_share` of the delegates present."""

    class Status(models.TextChoices):
        COLLECTING = "collecting", _("collecting support")
        PUT_TO_VOTE = "put_to_vote", _("put to the congress")
        PASSED = "passed", _("recalled")
        REJECTED = "rejected", _("not recalled")
        WITHDRAWN = "withdrawn", _("withdrawn")

    TRANSITIONS = {
        Status.COLLECTING: {Status.PUT_TO_VOTE, Status.WITHDRAWN},
        Status.PUT_TO_VOTE: {Status.PASSED, Status.REJECTED},
        Status.PASSED: set(),
        Status.REJECTED: set(),
        Status.WITHDRAWN: set(),
    }

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="recalls",
                                verbose_name=_("session"))
    membership = models.ForeignKey("unions.Membership", on_delete=models.PROTECT, related_name="recalls",
                                   verbose_name=_("member to recall"))
    moved_by = models.ForeignKey(Delegate, on_delete=models.PROTECT, related_name="recalls_moved",
                                 verbose_name=_("moved by"))
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.COLLECTING)
    supporters_needed = models.PositiveSmallIntegerField(_("supporters needed"), default=0)
    votes_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstain"), null=True, blank=True)
    present = models.PositiveSmallIntegerField(_("delegates present at the vote"), null=True, blank=True)
    put_to_vote_at = models.DateTimeField(_("put to the congress"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("recall")
        verbose_name_plural = _("recalls")
        ordering = ["session", "-created"]
        indexes = [models.Index(fields=["university", "session", "status"])]

    def __str__(self) -> str:
        return str(self.membership)

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.Status(self.status)]


class RecallSupporter(TenantModel):
    """A seated delegate supporting a recall motion (the mover counts as the first)."""

    recall = models.ForeignKey(Recall, on_delete=models.CASCADE, related_name="supporters", verbose_name=_("recall"))
    delegate = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="+", verbose_name=_("delegate"))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recall supporter")
        verbose_name_plural = _("recall supporters")
        constraints = [
            models.UniqueConstraint(fields=["university", "recall", "delegate"], name="recall_supporter_unique"),
        ]
