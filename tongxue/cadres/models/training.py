"""Training sessions (培训) and attendance by check-in code (issue 3, item 5).

Attendance is recorded when a cadre types the session's 6-digit code during its check-in
window — no face recognition or geofence (conventions.md, Privacy).
"""
import datetime
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxue.core.models import Student, TenantModel, User
from tongxue.core.querysets import ScopedQuerySet
from tongxue.domain.training import AUTUMN, SPRING, academic_year_of, season_of
from tongxue.unions.models import Union

__all__ = ["TrainingSession", "TrainingAttendance", "new_check_in_code"]


def new_check_in_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


class TrainingSessionQuerySet(ScopedQuerySet):
    def organised_by(self, user):
        """Sessions the account organises: those of the unions it manages, and (for school-wide
        League teachers and administrators) sessions without an organising union."""
        from tongxue.core.scope import scope_of

        scope = scope_of(user)
        if scope.all_universities:
            return self
        return self.filter(
            models.Q(union__in=Union.objects.manageable_by(user))
            | models.Q(union__isnull=True, university_id__in=scope.roster_university_ids)
        )


class TrainingSession(TenantModel):
    class Level(models.TextChoices):
        SCHOOL = "school", _("school level")
        CAMPUS = "campus", _("campus level")
        COLLEGE = "college", _("college level")

    class Season(models.TextChoices):
        SPRING_TERM = SPRING, _("spring")
        AUTUMN_TERM = AUTUMN, _("autumn")

    level = models.CharField(_("level"), max_length=10, choices=Level)
    union = models.ForeignKey(
        Union, null=True, blank=True, on_delete=models.PROTECT, related_name="training_sessions",
        verbose_name=_("organising union"),
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    season = models.CharField(_("season"), max_length=10, choices=Season, editable=False)
    academic_year = models.PositiveSmallIntegerField(_("academic year"), editable=False)
    check_in_code = models.CharField(_("check-in code"), max_length=6, default=new_check_in_code, editable=False)
    check_in_opens = models.DateTimeField(_("check-in opens"))
    check_in_closes = models.DateTimeField(_("check-in closes"))
    required_for_appointment = models.BooleanField(
        _("required before appointment"), default=False,
        help_text=_("Candidates must have attended a required session before they can be appointed."),
    )
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["university", "-starts_at"]
        indexes = [
            models.Index(fields=["university", "check_in_code"]),
            models.Index(fields=["university", "academic_year", "season"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        day = timezone.localtime(self.starts_at).date() if timezone.is_aware(self.starts_at) else self.starts_at.date()
        self.season = season_of(day)
        self.academic_year = academic_year_of(day)
        super().save(*args, **kwargs)

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(hours=float(self.hours))

    def is_check_in_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.check_in_opens <= now <= self.check_in_closes


class TrainingAttendance(TenantModel):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances",
                                verbose_name=_("training session"))
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="training_attendances",
                                verbose_name=_("student"))
    checked_in_at = models.DateTimeField(_("checked in at"), default=timezone.now)

    class Meta:
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        ordering = ["university", "session", "checked_in_at"]
        constraints = [
            models.UniqueConstraint(fields=["university", "session", "student"], name="one_attendance_per_session"),
        ]
        indexes = [models.Index(fields=["university", "student"])]

    def __str__(self) -> str:
        return f"{self.student} · {self.session}"
