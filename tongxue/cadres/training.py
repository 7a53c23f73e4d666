"""Training (培训): sessions, check-in by code, each cadre's record, and the figures the rule
engine and the appointment check ask for (issue 3, item 5; rules.md §7 "spring and autumn
training for all staff")."""
import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxue.core.scope import scope_of
from tongxue.core.throttle import CodeThrottle
from tongxue.domain.training import AUTUMN, SPRING
from tongxue.unions.models import Membership, Union

from .models import TrainingAttendance, TrainingSession, new_check_in_code

# The code is accepted from this long before the start until this long after the planned end.
CHECK_IN_BEFORE = datetime.timedelta(minutes=30)
CHECK_IN_AFTER = datetime.timedelta(minutes=30)

# Wrong codes allowed per account and per IP address within the window before check-in is
# refused for the lockout period (a 6-digit code must not be guessable by trying).
THROTTLE = CodeThrottle("cadres:check-in")


class CheckInError(Exception):
    """A refused check-in; the message is for the student."""


class CheckInLocked(CheckInError):
    """Too many wrong codes: check-in is refused for a while."""


def may_attend(student, session) -> bool:
    """Who may check in to a session: cadres (students holding a position now) of the organising
    union, for a college- or campus-level session; cadres of any union of the university, for a
    school-level session or one organised without a union. A session marked required before
    appointment is also open to the students it is required of — those the organising union
    serves (`Union.served_students`), or every enrolled student of the university for a
    school-level session or one without a union — since candidates attend it before they are
    appointed."""
    if student.university_id != session.university_id:
        return False
    union = session.union
    school_wide = union is None or union.level == Union.Level.SCHOOL
    cadres = Membership.objects.current().filter(student=student)
    if school_wide:
        cadres = cadres.filter(term__union__university_id=session.university_id)
    else:
        cadres = cadres.filter(term__union_id=union.pk)
    if cadres.exists():
        return True
    if session.required_for_appointment and student.is_enrolled:
        return school_wide or union.served_students().filter(pk=student.pk).exists()
    return False


def _record_failure(student, keys, remote_addr, path) -> bool:
    from django.urls import reverse

    return THROTTLE.record_failure(keys, university_id=student.university_id, actor=student.user,
                                   path=path or reverse("cadres:training_check_in"), remote_addr=remote_addr)


LOCKED_MESSAGE = _("Too many wrong codes. Check-in is locked for 10 minutes; ask the organiser for the code.")


def can_organise(user) -> bool:
    """Managers of a union (its leaders, League teachers in scope, administrators) organise training."""
    scope = scope_of(user)
    return scope.all_universities or bool(
        scope.admin_university_ids or scope.managed_union_ids or scope.roster_university_ids
    )


def can_organise_without_union(user, university_id: int) -> bool:
    scope = scope_of(user)
    return scope.all_universities or university_id in scope.roster_university_ids


def _unique_code(university_id: int, opens, closes) -> str:
    """A code no other session of the university accepts during an overlapping window."""
    while True:
        code = new_check_in_code()
        clash = TrainingSession.objects.filter(
            university_id=university_id, check_in_code=code, check_in_opens__lte=closes, check_in_closes__gte=opens,
        )
        if not clash.exists():
            return code


@transaction.atomic
def create_session(user, *, university, union: Union | None, level: str, title: str, starts_at, place: str,
                   hours: Decimal, required_for_appointment: bool = False) -> TrainingSession:
    if union is not None:
        if not Union.objects.manageable_by(user).filter(pk=union.pk).exists():
            raise PermissionDenied
        university = union.university
        level = union.level
    elif not can_organise_without_union(user, university.pk):
        raise PermissionDenied
    session = TrainingSession(
        university=university, union=union, level=level, title=title, starts_at=starts_at, place=place,
        hours=hours, required_for_appointment=required_for_appointment, created_by=user,
        check_in_opens=starts_at - CHECK_IN_BEFORE,
        check_in_closes=starts_at + datetime.timedelta(hours=float(hours)) + CHECK_IN_AFTER,
    )
    session.check_in_code = _unique_code(university.pk, session.check_in_opens, session.check_in_closes)
    session.save()
    return session


def check_in(student, code: str, *, now=None, remote_addr: str | None = None,
             path: str = "") -> tuple[TrainingAttendance, bool]:
    """Record `student`'s attendance at the session of their university whose code is open now.
    Returns (attendance, created); checking in twice is harmless and records one attendance.

    Only students who may attend the session (`may_attend`) check in. Wrong codes are counted
    per account and per IP address (`remote_addr`): see `core.throttle.CodeThrottle`."""
    now = now or timezone.now()
    keys = THROTTLE.keys("student", student.pk, remote_addr)
    if THROTTLE.is_locked(keys):
        raise CheckInLocked(LOCKED_MESSAGE)
    code = (code or "").strip()
    if not (len(code) == 6 and code.isdigit()):
        raise CheckInError(_("Enter the 6-digit code shown by the organiser."))
    sessions = TrainingSession.objects.filter(university_id=student.university_id, check_in_code=code)
    session = sessions.filter(check_in_opens__lte=now, check_in_closes__gte=now).select_related("union").first()
    if session is None:
        if _record_failure(student, keys, remote_addr, path):
            raise CheckInLocked(LOCKED_MESSAGE)
        if sessions.exists():
            raise CheckInError(_("Check-in for this session is not open now."))
        raise CheckInError(_("No session has this code. Check the code and try again."))
    if not may_attend(student, session):
        raise CheckInError(_("“%(title)s” is for the student union cadres it was organised for; you cannot check "
                             "in to it.") % {"title": session.title})
    existing = TrainingAttendance.objects.filter(session=session, student=student).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return TrainingAttendance.objects.create(
                university_id=session.university_id, session=session, student=student, checked_in_at=now
            ), True
    except IntegrityError:  # a double submit racing with itself
        return TrainingAttendance.objects.get(session=session, student=student), False


def record(student):
    """A student's attended sessions (newest first) and total hours."""
    attendances = list(
        TrainingAttendance.objects.filter(university_id=student.university_id, student=student)
        .select_related("session__union").order_by("-session__starts_at")
    )
    return attendances, sum((a.session.hours for a in attendances), Decimal("0"))


def can_view_record(user, student) -> bool:
    """The student, managers of a union they hold or held a position in, and League teachers
    and administrators whose student scope covers them."""
    scope = scope_of(user)
    if scope.all_universities or student.pk == scope.own_student_id:
        return True
    if Membership.objects.filter(student=student, term__union__in=Union.objects.manageable_by(user)).exists():
        return True
    if scope.is_league or scope.is_admin:
        from tongxue.core.models import Student

        return Student.objects.visible_to(user).filter(pk=student.pk).exists()
    return False


def training_status(student_ids, academic_year: int) -> dict[int, dict]:
    """For the rule engine (second-level indicator "spring and autumn training for all staff"):
    per student id, whether they attended a session in the spring and in the autumn term of
    `academic_year` (2025 = 2025-2026) and their hours in that year.
    `{id: {"spring": bool, "autumn": bool, "hours": Decimal}}`; every id asked for is present."""
    student_ids = list(student_ids)
    status = {sid: {SPRING: False, AUTUMN: False, "hours": Decimal("0")} for sid in student_ids}
    rows = (
        TrainingAttendance.objects.filter(student_id__in=student_ids, session__academic_year=academic_year)
        .values("student_id", "session__season").annotate(hours=Sum("session__hours"))
    )
    for row in rows:
        entry = status[row["student_id"]]
        entry[row["session__season"]] = True
        entry["hours"] += row["hours"] or Decimal("0")
    return status


def required_sessions(student, *, on: datetime.date | None = None):
    """Sessions marked required for appointment that apply to the student (school-level ones,
    their campus's and their college's), held within the validity period before `on`."""
    on = on or timezone.localdate()
    valid_days = settings.TONGXUE_REQUIRED_TRAINING_VALID_DAYS
    since = on - datetime.timedelta(days=valid_days)
    return TrainingSession.objects.filter(
        Q(union__isnull=True) | Q(union__level=Union.Level.SCHOOL) | Q(union__college_id=student.college_id)
        | Q(union__campus_id=student.college.campus_id),
        university_id=student.university_id, required_for_appointment=True,
        starts_at__date__gt=since, starts_at__date__lte=on,
    )


def has_required_training(student, *, on: datetime.date | None = None) -> bool:
    """For the appointment check: True when the student attended at least one session marked
    "required before appointment" that applies to them within the last
    `TONGXUE_REQUIRED_TRAINING_VALID_DAYS` (365) days — or when no such session was held,
    i.e. the university has not configured required training."""
    sessions = required_sessions(student, on=on)
    if not sessions.exists():
        return True
    return TrainingAttendance.objects.filter(student=student, session__in=sessions).exists()
