"""Congress state changes (rules.md §4): each checks permission, writes in one transaction and
leaves an audit entry (django-auditlog, see audit.py)."""
import math
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxue.unions.models import Union

from .models import Attendance, CommitteeMember, CongressSession, Delegate

# rules.md §4: a college with fewer than 400 students may hold an all-student assembly instead.
ASSEMBLY_MAX_STUDENTS = 400


def create_session(actor, union: Union, *, opens_on, kind=CongressSession.Kind.CONGRESS, number=None,
                   **settings) -> CongressSession:
    if not Union.objects.manageable_by(actor).filter(pk=union.pk).exists():
        raise PermissionDenied
    if kind == CongressSession.Kind.ASSEMBLY:
        if union.level != Union.Level.COLLEGE:
            raise ValidationError(_("Only a college union may hold an all-student assembly."))
        served = union.served_students().count()
        if served >= ASSEMBLY_MAX_STUDENTS:
            raise ValidationError(
                _("An all-student assembly is for a college with fewer than %(limit)s students; this union serves "
                  "%(served)s.") % {"limit": ASSEMBLY_MAX_STUDENTS, "served": served})
    with transaction.atomic():
        if number is None:
            last = CongressSession.objects.filter(union=union).aggregate(n=Max("number"))["n"]
            number = (last or 0) + 1
        elif CongressSession.objects.filter(union=union, number=number).exists():
            raise ValidationError(_("This union already has a session with that number."))
        session = CongressSession.objects.create(
            university_id=union.university_id, union=union, number=number, kind=kind, opens_on=opens_on,
            created_by=actor, **settings)
        CommitteeMember.objects.create(university_id=union.university_id, session=session, user=actor,
                                       role=CommitteeMember.Role.CHAIR)
    return session


def move_session(actor, session: CongressSession, status: str) -> CongressSession:
    """Move the session along preparing → electing delegates → in session → closed."""
    from .permissions import require_manage

    require_manage(actor, session)
    with transaction.atomic():
        session = CongressSession.objects.select_for_update().get(pk=session.pk)
        if session.status == status:
            return session
        if not session.can_move_to(status):
            raise ValidationError(_("A session cannot go from “%(old)s” to “%(new)s”.") % {
                "old": session.get_status_display(), "new": CongressSession.Status(status).label})
        if status == CongressSession.Status.CLOSED:
            session.is_check_in_open = False
            if session.closes_on is None:
                session.closes_on = timezone.localdate()
        session.status = status
        session.save()
    return session


def add_committee_member(actor, session: CongressSession, user, role: str) -> CommitteeMember:
    from .permissions import require_manage

    require_manage(actor, session)
    if user.university_id != session.university_id:
        raise ValidationError(_("Committee members come from the same university."))
    member, _created = CommitteeMember.objects.get_or_create(
        university_id=session.university_id, session=session, user=user, role=role)
    return member


def remove_committee_member(actor, member: CommitteeMember) -> None:
    from .permissions import require_manage

    require_manage(actor, member.session)
    if member.role == CommitteeMember.Role.CHAIR and not member.session.committee.filter(
            role=CommitteeMember.Role.CHAIR).exclude(pk=member.pk).exists():
        raise ValidationError(_("The committee keeps at least one chair."))
    member.delete()


@dataclass(frozen=True)
class Quorum:
    seated: int
    present: int
    needed: int
    sitting: object = None   # the day counted: today while in session, else the last day that sat

    @property
    def has_quorum(self) -> bool:
        return self.seated > 0 and self.present >= self.needed


def present_delegates(session: CongressSession, sitting=None):
    """Seated delegates checked in on the sitting day and not checked out."""
    sitting = sitting or timezone.localdate()
    return Delegate.objects.filter(
        session=session, status=Delegate.Status.SEATED,
        attendances__sitting=sitting, attendances__checked_out__isnull=True,
    )


def quorum(session: CongressSession, sitting=None) -> Quorum:
    """rules.md §4: the congress sits only with at least `quorum` (default ⅔) of its delegates present.

    Without a `sitting` day: today while the session is in session; otherwise the last day it sat
    (a closed session shows the attendance it had, not today's empty hall)."""
    if sitting is None:
        sitting = timezone.localdate()
        if session.status != CongressSession.Status.CONVENED:
            last = session.attendances.aggregate(last=Max("sitting"))["last"]
            sitting = last or session.opens_on
    seated = Delegate.objects.filter(session=session, status=Delegate.Status.SEATED).count()
    present = Attendance.objects.filter(
        session=session, sitting=sitting, checked_out__isnull=True,
        delegate__status=Delegate.Status.SEATED,
    ).count()
    needed = math.ceil(session.share("quorum") * seated)
    return Quorum(seated=seated, present=present, needed=needed, sitting=sitting)
