"""Permission checks for congress work, shared by the congress, proposals and elections apps."""
from django.core.exceptions import PermissionDenied

from .models import CommitteeMember, CongressSession, Delegate


def can_manage(user, session: CongressSession) -> bool:
    """Those who manage the union and the preparatory committee run the session."""
    return CongressSession.objects.manageable_by(user).filter(pk=session.pk).exists()


def require_manage(user, session: CongressSession) -> None:
    if not can_manage(user, session):
        raise PermissionDenied


def has_committee_role(user, session: CongressSession, *roles: str) -> bool:
    """Whether the account holds one of `roles` on the session's preparatory committee."""
    if not user or not user.is_authenticated:
        return False
    return CommitteeMember.objects.filter(session=session, user=user, role__in=roles).exists()


def delegate_of(user, session: CongressSession) -> Delegate | None:
    """The account's seated delegacy at the session, if any."""
    student = getattr(user, "student", None) if user and user.is_authenticated else None
    if student is None:
        return None
    return Delegate.objects.filter(session=session, student=student, status=Delegate.Status.SEATED).first()


def can_view(user, session: CongressSession) -> bool:
    return CongressSession.objects.visible_to(user).filter(pk=session.pk).exists()
