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

from tongxue.core.querysets import ScopedQuerySet
from tongxue.core.models import StudentClass, TenantModel
from tongxue.unions.models import Union

from .querysets import CongressSessionQuerySet, DelegateQuerySet, SessionChildQuerySet


def parse_fraction(text: str) -> Fraction:
    """"2/3", "0.6" or "60%" as an exact fraction."""
    text = (text or "").strip()
    if text.endswith("%"):
        return Fraction(text[:-1].strip()) / 100
    return Fraction(text)


def validate_share(text: str) -> None:
    try:
        value = parse_fraction(text)
    except (ValueError, ZeroDivisionError):
        raise ValidationError(_("Write a share as 2/3, 0.6 or 60%.")) from None
    if not 0 < value <= 1:
        raise ValidationError(_("A share must be more than 0 and at most 1."))


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
        CLOSED = "closed", _("closed")

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
        return parse_fraction(getattr(self, field))

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
