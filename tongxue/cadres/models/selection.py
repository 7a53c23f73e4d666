"""Selection of cadres (选拔, rules.md §3; issue 3 item 4): a recruitment's open call, the
applications, the recommendation and approval chain, interview scores, the public notice (公示)
with its objections, and — through `appointments.appoint` — the appointment.

The chain is stored on each recruitment as {position type: [stage, …]} with the national order as
default. A stage names who must approve; the joint review needs two approvals (student affairs
and the school League committee). Role mapping (no separate student-affairs role exists):

* college League organisation  → `Role.LEAGUE_TEACHER` with the applicant's college
* college Party organisation   → `Role.PARTY_APPROVER` with the applicant's college
* student affairs office       → `Role.PARTY_APPROVER` school-wide (no college)
* school League committee      → `Role.LEAGUE_TEACHER` school-wide
* school Party committee       → `Role.PARTY_APPROVER` school-wide
"""
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongxue.core.models import Student, TenantModel
from tongxue.core.querysets import ScopedQuerySet
from tongxue.unions.models import Department, Term, Union

__all__ = ["PositionType", "Stage", "Capacity", "STAGE_CAPACITIES", "DEFAULT_CHAIN", "Recruitment", "Opening",
           "Application", "ApprovalStep", "InterviewScore", "PublicNotice", "Objection",
           "ATTACHMENT_MAX_BYTES", "ATTACHMENT_SUFFIXES", "validate_attachment"]

ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENT_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".docx")


class PositionType(models.TextChoices):
    PRESIDIUM = "presidium", _("presidium candidate")
    DEPARTMENT = "department", _("department member")


class Stage(models.TextChoices):
    COLLEGE_LEAGUE = "college_league", _("college League organisation recommends")
    COLLEGE_PARTY = "college_party", _("college Party organisation agrees")
    JOINT_REVIEW = "joint_review", _("joint review by student affairs and the League committee")
    PARTY_COMMITTEE = "party_committee", _("Party committee decides")


class Capacity(models.TextChoices):
    """In which capacity an approver signs a stage (see the role mapping above)."""

    COLLEGE_LEAGUE = "college_league", _("college League organisation")
    COLLEGE_PARTY = "college_party", _("college Party organisation")
    STUDENT_AFFAIRS = "student_affairs", _("student affairs office")
    SCHOOL_LEAGUE = "school_league", _("school League committee")
    PARTY_COMMITTEE = "party_committee", _("school Party committee")


STAGE_CAPACITIES: dict[str, tuple[str, ...]] = {
    Stage.COLLEGE_LEAGUE: (Capacity.COLLEGE_LEAGUE,),
    Stage.COLLEGE_PARTY: (Capacity.COLLEGE_PARTY,),
    Stage.JOINT_REVIEW: (Capacity.STUDENT_AFFAIRS, Capacity.SCHOOL_LEAGUE),
    Stage.PARTY_COMMITTEE: (Capacity.PARTY_COMMITTEE,),
}

# rules.md §3: the national order for each position type.
DEFAULT_CHAIN: dict[str, list[str]] = {
    PositionType.PRESIDIUM: [Stage.COLLEGE_LEAGUE, Stage.COLLEGE_PARTY, Stage.JOINT_REVIEW, Stage.PARTY_COMMITTEE],
    PositionType.DEPARTMENT: [Stage.COLLEGE_LEAGUE, Stage.JOINT_REVIEW],
}


def default_chain() -> dict[str, list[str]]:
    return {kind: [str(stage) for stage in stages] for kind, stages in DEFAULT_CHAIN.items()}


class RecruitmentQuerySet(ScopedQuerySet):
    """A recruitment's call is public within its university (visible_to from ScopedQuerySet)."""


class Recruitment(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open for applications")
        REVIEWING = "reviewing", _("under review")
        NOTICE = "notice", _("public notice")
        CLOSED = "closed", _("closed")

    TRANSITIONS = {
        Status.DRAFT: {Status.OPEN},
        Status.OPEN: {Status.REVIEWING, Status.NOTICE},
        Status.REVIEWING: {Status.NOTICE},
        Status.NOTICE: {Status.CLOSED},
        Status.CLOSED: set(),
    }

    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="recruitments", verbose_name=_("union"))
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="recruitments", verbose_name=_("term"))
    title = models.CharField(_("title"), max_length=100)
    call_text = models.TextField(_("call for applications"), blank=True)
    opens_at = models.DateTimeField(_("applications open"))
    closes_at = models.DateTimeField(_("applications close"))
    notice_working_days = models.PositiveSmallIntegerField(
        _("public notice (working days)"), default=5, help_text=_("Default 5 working days."))
    chain = models.JSONField(_("approval chain"), default=default_chain,
                             help_text=_("For each position type, the stages in order."))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RecruitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("recruitment")
        verbose_name_plural = _("recruitments")
        ordering = ["university", "-opens_at"]
        indexes = [models.Index(fields=["university", "status", "-opens_at"])]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Applications must close after they open.")})
        for kind, stages in (self.chain or {}).items():
            if kind not in PositionType.values or not stages or any(s not in Stage.values for s in stages):
                raise ValidationError({"chain": _("Each position type needs a list of known stages.")})

    def move_to(self, status: str) -> None:
        if status not in self.TRANSITIONS[self.Status(self.status)]:
            raise ValidationError(_("This recruitment cannot move from “%(old)s” to “%(new)s”.") % {
                "old": self.get_status_display(), "new": self.Status(status).label})
        self.status = status

    def stages_for(self, position_type: str) -> list[str]:
        return list((self.chain or {}).get(position_type) or DEFAULT_CHAIN[position_type])

    def is_accepting(self, now) -> bool:
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at


class Opening(TenantModel):
    """Places offered by a recruitment: presidium candidates, or members of a department."""

    recruitment = models.ForeignKey(Recruitment, on_delete=models.CASCADE, related_name="openings",
                                    verbose_name=_("recruitment"))
    position_type = models.CharField(_("position type"), max_length=16, choices=PositionType)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    places = models.PositiveSmallIntegerField(_("places"), default=1)

    class Meta:
        verbose_name = _("opening")
        verbose_name_plural = _("openings")
        ordering = ["university", "recruitment", "position_type", "department"]

    def __str__(self) -> str:
        label = self.get_position_type_display()
        return f"{label} · {self.department}" if self.department_id else str(label)


def attachment_path(application, filename: str) -> str:
    """A random name: the stored file name says nothing about who applied."""
    suffix = next((s for s in ATTACHMENT_SUFFIXES if filename.lower().endswith(s)), "")
    return f"selection/{uuid.uuid4().hex}{suffix}"


def validate_attachment(file) -> None:
    if file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(_("The attachment may be at most 5 MB."))
    if not file.name.lower().endswith(ATTACHMENT_SUFFIXES):
        raise ValidationError(_("Attach a PDF, JPEG, PNG or Word (.docx) file."))


class ApplicationQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """The applicant; the approvers of the application (school-wide League teachers, Party
        approvers and administrators of the university; college League teachers and Party approvers
        for their college's applicants); the managers of the recruiting union (for interviews)."""
        from tongxue.core.scope import scope_of

        scope = scope_of(user)
        if scope.all_universities:
            return self
        q = models.Q(pk__in=[])
        if scope.own_student_id:
            q |= models.Q(student_id=scope.own_student_id)
        q |= models.Q(university_id__in=scope.oversight_university_ids)
        q |= models.Q(student__college_id__in=scope.oversight_college_ids)
        q |= models.Q(recruitment__union_id__in=scope.managed_union_ids)
        return self.filter(q)


class Application(TenantModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        REVIEWING = "reviewing", _("in review")
        PASSED = "passed", _("approved by the whole chain")
        REJECTED = "rejected", _("not approved")
        WITHDRAWN = "withdrawn", _("withdrawn")
        APPOINTED = "appointed", _("appointed")

    IN_CHAIN = (Status.SUBMITTED, Status.REVIEWING)

    recruitment = models.ForeignKey(Recruitment, on_delete=models.CASCADE, related_name="applications",
                                    verbose_name=_("recruitment"))
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="applications",
                                verbose_name=_("student"))
    position_type = models.CharField(_("position type"), max_length=16, choices=PositionType)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department wished"))
    statement = models.TextField(_("statement"), max_length=3000)
    attachment = models.FileField(_("attachment"), upload_to=attachment_path, blank=True,
                                  validators=[validate_attachment])
    is_eligible_at_submission = models.BooleanField(_("eligible when submitted"))
    eligibility_reasons = models.JSONField(_("eligibility reasons"), default=list, blank=True,
                                           help_text=_("The reasons found, as {code, params}."))
    needs_review = models.BooleanField(
        _("flagged for human review"), default=False,
        help_text=_("Submitted although the automatic eligibility check found reasons against it."))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.SUBMITTED)
    membership = models.OneToOneField("unions.Membership", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="application", verbose_name=_("resulting position"))
    submitted_at = models.DateTimeField(_("submitted"))
    updated = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    appointed_at = models.DateTimeField(_("appointed"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["university", "recruitment", "submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["university", "recruitment", "student"], name="one_application_per_call"),
        ]
        indexes = [models.Index(fields=["university", "recruitment", "status"])]

    def __str__(self) -> str:
        return f"{self.student.name} · {self.recruitment}"


class ApprovalStep(TenantModel):
    """One decision in the chain: who, in which capacity, when, with what comment."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("approve")
        REJECT = "reject", _("reject")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps",
                                    verbose_name=_("application"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage)
    capacity = models.CharField(_("capacity"), max_length=20, choices=Capacity)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("decided by"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["university", "application", "decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["university", "application", "capacity"], name="one_step_per_capacity"),
        ]


class InterviewScore(TenantModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores",
                                    verbose_name=_("application"))
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("scorer"))
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    scored_at = models.DateTimeField(_("scored"))

    class Meta:
        verbose_name = _("interview score")
        verbose_name_plural = _("interview scores")
        constraints = [
            models.UniqueConstraint(fields=["university", "application", "scorer"], name="one_score_per_scorer"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="interview_score_at_most_100"),
        ]


class PublicNotice(TenantModel):
    """The public notice (公示) of a recruitment's approved candidates. Public without login until
    `ends`; after that the page says only that the notice has ended (conventions.md)."""

    recruitment = models.OneToOneField(Recruitment, on_delete=models.CASCADE, related_name="notice",
                                       verbose_name=_("recruitment"))
    starts = models.DateTimeField(_("notice starts"))
    ends = models.DateTimeField(_("notice ends"), help_text=_("End of the last working day of the period."))
    applications = models.ManyToManyField(Application, related_name="notices", verbose_name=_("candidates"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("published by"))

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        indexes = [models.Index(fields=["university", "ends"])]

    def __str__(self) -> str:
        return str(self.recruitment)

    def is_running(self, now) -> bool:
        return self.starts <= now < self.ends

    @property
    def last_day(self):
        """The last day on which objections are accepted (until its end)."""
        import datetime

        from django.utils import timezone

        return timezone.localdate(self.ends - datetime.timedelta(microseconds=1))


class Objection(TenantModel):
    """An objection (异议) to a candidate during the notice. The author is shown to approvers only."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="objections",
                               verbose_name=_("public notice"))
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="objections",
                                    verbose_name=_("candidate"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    text = models.TextField(_("objection"), max_length=3000)
    created = models.DateTimeField(_("filed"))
    answer = models.TextField(_("answer"), blank=True, max_length=3000)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["university", "notice", "created"]
        indexes = [models.Index(fields=["university", "application", "answered_at"])]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
