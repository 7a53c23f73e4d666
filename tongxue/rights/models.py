"""The rights desk (权益服务, issue 4): cases raised by students, where they are routed, the
offices that answer transferred cases, and each case's history.

Privacy by design (conventions.md, Privacy):
* A fully anonymous case stores no link to the student: `submitter` is empty, the history
  records no actor for the student's own actions, and the duplicate-submission key is a keyed
  hash that the clock sweep erases after ten minutes.
* A case with hidden identity keeps the submitter for follow-up, but only the submitter and those
  who handle the case for the union see it (see `privacy.py`); offices and the public never do.
* Case history lives in `CaseEvent`, not in django-auditlog, whose entries would carry the
  submitting account as actor.
"""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tongxue.core.models import Campus, College, Student, StudentClass, TenantModel
from tongxue.unions.models import Union

from .querysets import CaseQuerySet


class Level(models.TextChoices):
    """The union body that handles a case, from the class up to the school (four levels)."""

    CLASS = "class", _("class")
    COLLEGE = "college", _("college")
    CAMPUS = "campus", _("campus")
    SCHOOL = "school", _("school")

    @classmethod
    def order(cls) -> tuple[str, ...]:
        return (cls.CLASS, cls.COLLEGE, cls.CAMPUS, cls.SCHOOL)


class Category(TenantModel):
    """A kind of problem (dorm, canteen, teaching …), configurable per university."""

    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=30)
    name_en = models.CharField(_("name in English"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    is_sensitive = models.BooleanField(
        _("sensitive"), default=False,
        help_text=_("Cases of a sensitive category (health, safety) are not shown on the public board."),
    )

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["university", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["university", "code"], name="rights_category_code_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Office(TenantModel):
    """A university office (职能部门: 后勤, 教务处, 保卫处 …) that answers transferred cases. Its
    staff log in with their 工号 and see only the cases transferred to their office."""

    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=50)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="rights_offices",
                                   verbose_name=_("staff"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["university", "name"]
        constraints = [models.UniqueConstraint(fields=["university", "code"], name="rights_office_code_unique")]

    def __str__(self) -> str:
        return self.name


class RoutingRule(TenantModel):
    """Where new cases go: by category and the student's college or campus (empty = any), to a
    level, optionally naming the handler. The most specific matching rule wins, then `priority`."""

    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE,
                                 verbose_name=_("category"), help_text=_("Empty: every category."))
    college = models.ForeignKey(College, null=True, blank=True, on_delete=models.CASCADE,
                                verbose_name=_("college"), help_text=_("Empty: every college."))
    campus = models.ForeignKey(Campus, null=True, blank=True, on_delete=models.CASCADE,
                               verbose_name=_("campus"), help_text=_("Empty: every campus."))
    level = models.CharField(_("level"), max_length=10, choices=Level)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("handler"))
    priority = models.PositiveSmallIntegerField(_("priority"), default=100, help_text=_("Lower numbers win."))

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["university", "priority", "pk"]

    def __str__(self) -> str:
        return f"{self.category or '*'} · {self.college or self.campus or '*'} → {self.get_level_display()}"

    @property
    def specificity(self) -> int:
        return (2 if self.category_id else 0) + (1 if self.college_id or self.campus_id else 0)


class DeskConfig(TenantModel):
    """A university's deadlines in working days (issue 4, item 3)."""

    accept_days = models.PositiveSmallIntegerField(_("accept within (working days)"), default=1)
    answer_days = models.PositiveSmallIntegerField(_("first answer within (working days)"), default=5)
    close_days = models.PositiveSmallIntegerField(_("close within (working days)"), default=15)

    class Meta:
        verbose_name = _("rights desk settings")
        verbose_name_plural = _("rights desk settings")
        constraints = [models.UniqueConstraint(fields=["university"], name="rights_desk_config_unique")]


class Case(TenantModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        IN_PROGRESS = "in_progress", _("in progress")
        TRANSFERRED = "transferred", _("transferred")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")
        REOPENED = "reopened", _("reopened")
        MERGED = "merged", _("merged")

    class Identity(models.TextChoices):
        NAMED = "named", _("show my name")
        HIDDEN = "hidden", _("hide my identity from the public")
        ANONYMOUS = "anonymous", _("fully anonymous")

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        OFFLINE = "offline", _("offline")

    class Source(models.TextChoices):
        STALL = "stall", _("rights stall")
        FORUM = "forum", _("forum or meeting")
        CONTACT = "contact", _("direct contact")
        OTHER = "other", _("other")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied")
        BASIC = "basic", _("basically satisfied")
        UNSATISFIED = "unsatisfied", _("unsatisfied")

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("category"))
    title = models.CharField(_("title"), max_length=60)
    description = models.TextField(_("description"), max_length=2000)
    place = models.CharField(_("place"), max_length=100, blank=True)
    identity = models.CharField(_("identity"), max_length=10, choices=Identity, default=Identity.HIDDEN)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, default=Channel.ONLINE)
    source = models.CharField(_("heard at"), max_length=10, choices=Source, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("logged by"))
    submitter = models.ForeignKey(Student, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases",
                                  verbose_name=_("submitted by"), help_text=_("Empty for anonymous cases."))
    # Where the problem belongs: routing and reports (kept for anonymous cases too).
    campus = models.ForeignKey(Campus, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("campus"))
    college = models.ForeignKey(College, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("college"))
    student_class = models.ForeignKey(StudentClass, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("class"))
    # Who handles it now.
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.SUBMITTED)
    level = models.CharField(_("level"), max_length=10, choices=Level)
    union = models.ForeignKey(Union, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases",
                              verbose_name=_("union"))
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="handled_cases", verbose_name=_("handler"))
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases",
                               verbose_name=_("office"))
    # Clock.
    submitted_at = models.DateTimeField(_("submitted"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    escalated_stages = models.JSONField(default=list, blank=True)
    # Answer and rating.
    answer = models.TextField(_("answer"), blank=True)
    answered_by_office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+", verbose_name=_("answered by office"))
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    is_flagged = models.BooleanField(_("flagged to the League teacher"), default=False)
    # Publication.
    is_public = models.BooleanField(_("on the public board"), default=True)
    private_reason = models.CharField(_("why not public"), max_length=200, blank=True)
    photos_public = models.BooleanField(_("photos may be shown publicly"), default=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="merged_cases", verbose_name=_("merged into"))
    supporter_count = models.PositiveIntegerField(_("students who also met it"), default=0)
    # Keyed hash of (student, text) against double submits; erased after ten minutes.
    dedup_key = models.CharField(max_length=64, blank=True, db_index=True)
    # Anonymous cases are followed with a secret link; only its hash is kept.
    follow_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    OPEN = (Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.TRANSFERRED, Status.REOPENED)
    FINISHED = (Status.CLOSED, Status.MERGED)
    TRANSITIONS = {
        Status.SUBMITTED: {Status.ACCEPTED, Status.TRANSFERRED, Status.ANSWERED, Status.MERGED},
        Status.ACCEPTED: {Status.IN_PROGRESS, Status.TRANSFERRED, Status.ANSWERED, Status.MERGED},
        Status.IN_PROGRESS: {Status.TRANSFERRED, Status.ANSWERED, Status.MERGED},
        Status.TRANSFERRED: {Status.IN_PROGRESS, Status.ANSWERED, Status.MERGED},
        Status.ANSWERED: {Status.CLOSED, Status.REOPENED},
        Status.REOPENED: {Status.IN_PROGRESS, Status.TRANSFERRED, Status.ANSWERED},
        Status.CLOSED: set(),
        Status.MERGED: set(),
    }

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["university", "status", "-submitted_at"]),
            models.Index(fields=["university", "is_public", "-answered_at"]),
            models.Index(fields=["university", "union", "status"]),
            models.Index(fields=["university", "office", "status"]),
            models.Index(fields=["university", "college", "-submitted_at"]),
            models.Index(fields=["university", "submitter"]),
            models.Index(fields=["university", "-submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        """The number quoted to students and offices: 权 + year + id."""
        return f"QY{self.submitted_at:%Y}-{self.pk:06d}" if self.pk and self.submitted_at else ""

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.Status(self.status)]


class CaseSupporter(TenantModel):
    """A student who met the same problem (我也遇到). Never shown by name; the count is public."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supporters")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["university", "case", "student"],
                                               name="rights_supporter_unique")]


def photo_upload_path(photo, filename: str) -> str:
    """A random name: the stored file name says nothing about the case or the student."""
    return f"rights/{uuid.uuid4().hex}.jpg"


class CasePhoto(TenantModel):
    """A photo of the problem, re-encoded without its EXIF data (which may hold the location)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=photo_upload_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


class CaseEvent(TenantModel):
    """One step in a case's history. `actor` is empty for the student's own steps on an anonymous
    case (and for the clock). `is_internal` notes are seen by handlers only."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        LOGGED = "logged", _("logged offline")
        ACCEPTED = "accepted", _("accepted")
        STARTED = "started", _("work started")
        MOVED = "moved", _("moved to another level")
        TRANSFERRED = "transferred", _("transferred to an office")
        RETURNED = "returned", _("returned by the office")
        ANSWERED = "answered", _("answered")
        RATED = "rated", _("rated")
        REOPENED = "reopened", _("reopened")
        CLOSED = "closed", _("closed")
        MERGED = "merged", _("merged")
        JOINED = "joined", _("a student also met it")
        ESCALATED = "escalated", _("escalated: deadline passed")
        VISIBILITY = "visibility", _("publication changed")
        NOTE = "note", _("note")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    status = models.CharField(max_length=12, choices=Case.Status, blank=True, help_text=_("Status after the step."))
    level = models.CharField(max_length=10, choices=Level, blank=True)
    union = models.ForeignKey(Union, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(blank=True)
    is_internal = models.BooleanField(default=False)
    created = models.DateTimeField()

    class Meta:
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["university", "case", "created"])]
