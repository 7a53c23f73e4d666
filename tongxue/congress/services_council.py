"""Between sessions (issue 5 item 8): the standing delegates' council and the recall of an
elected member, by rules.md §3 and §4.

* The council (常任代表会议) is chosen from the seated delegates of a closed session. A meeting
  decides only with more than half of its members present, and a matter passes with "for" votes
  from more than half of the members present. It must not elect the presidium (§3: the congress
  itself elects it), amend the charter (§4: the congress amends it) or take over the union's daily
  work such as rights cases (§4) — `add_matter` refuses those kinds with the rule.
* A recall (罢免) of a presidium member of the union's current term is moved by a seated delegate
  with a reason; once at least `recall_share` of the seated delegates support it, it goes to the
  congress, which decides with quorum and more than `resolution_share` of the delegates present.
  A passed recall ends the membership with the end reason "recall" (audited with the membership).

Each function checks permission, writes in one transaction and leaves an audit entry.
"""
import math
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxue.domain.tally import resolution_passes
from tongxue.unions.models import Membership, Position

from .models import (
    CommitteeMember, CongressSession, CouncilMatter, CouncilMeeting, CouncilMember, Delegate, Recall, RecallSupporter,
)
from .permissions import delegate_of, require_manage
from .services import quorum


class CouncilError(ValidationError):
    """A refused step with a translated reason."""


# --- the standing delegates' council --------------------------------------------------------------

FORBIDDEN_REASONS = {
    CouncilMatter.Kind.ELECT_PRESIDIUM: _(
        "The standing delegates' council may not elect the presidium: presidium members are elected by the "
        "student congress itself, not by a committee, standing committee or the council (rules §3)."),
    CouncilMatter.Kind.AMEND_CHARTER: _(
        "The standing delegates' council may not amend the charter: an amendment is a resolution of the student "
        "congress needing two thirds of the delegates present (rules §4)."),
    CouncilMatter.Kind.DAILY_WORK: _(
        "The standing delegates' council may not take over the union's daily work such as rights cases; it acts "
        "for the congress between sessions only (rules §4)."),
}


def add_council_member(actor, session: CongressSession, delegate: Delegate) -> CouncilMember:
    require_manage(actor, session)
    if session.status != CongressSession.Status.CLOSED:
        raise CouncilError(_("The council is chosen from the delegates of a closed session."))
    if delegate.session_id != session.pk or not delegate.is_seated:
        raise CouncilError(_("Council members are seated delegates of this session."))
    member, _created = CouncilMember.objects.get_or_create(
        university_id=session.university_id, session=session, delegate=delegate)
    return member


def remove_council_member(actor, member: CouncilMember) -> None:
    require_manage(actor, member.session)
    member.delete()


def council_quorum(meeting: CouncilMeeting) -> bool:
    """More than half of the council's members present."""
    return resolution_passes(meeting.present.count(), meeting.members_total, Fraction(1, 2))


def record_meeting(actor, session: CongressSession, *, held_on, topic: str, present) -> CouncilMeeting:
    require_manage(actor, session)
    members = CouncilMember.objects.filter(session=session)
    total = members.count()
    if total == 0:
        raise CouncilError(_("Choose the council's members first."))
    present = list(present)
    if any(member.session_id != session.pk for member in present):
        raise CouncilError(_("Only council members can be present."))
    with transaction.atomic():
        meeting = CouncilMeeting.objects.create(university_id=session.university_id, session=session,
                                                held_on=held_on, topic=topic.strip(), members_total=total,
                                                created_by=actor)
        meeting.present.set(present)
    return meeting


def add_matter(actor, meeting: CouncilMeeting, kind: str, title: str) -> CouncilMatter:
    """Put a matter to the meeting; the kinds reserved to the congress or to the union are refused."""
    require_manage(actor, meeting.session)
    if kind in CouncilMatter.Kind.forbidden():
        raise CouncilError(FORBIDDEN_REASONS[CouncilMatter.Kind(kind)], code="forbidden")
    if kind not in CouncilMatter.Kind.values:
        raise CouncilError(_("Choose the kind of matter."))
    return CouncilMatter.objects.create(university_id=meeting.university_id, meeting=meeting, kind=kind,
                                        title=title.strip())


def record_council_vote(actor, matter: CouncilMatter, *, votes_for: int, votes_against: int,
                        votes_abstain: int) -> CouncilMatter:
    meeting = matter.meeting
    require_manage(actor, meeting.session)
    present = meeting.present.count()
    if not council_quorum(meeting):
        raise CouncilError(_("The council decides only with more than half of its members present "
                             "(%(present)s of %(total)s present).") % {"present": present,
                                                                        "total": meeting.members_total})
    if min(votes_for, votes_against, votes_abstain) < 0 or votes_for + votes_against + votes_abstain > present:
        raise CouncilError(_("The votes add up to more than the %(present)s members present.") % {"present": present})
    with transaction.atomic():
        matter = CouncilMatter.objects.select_for_update().get(pk=matter.pk)
        if matter.voted_at:
            raise CouncilError(_("This matter has already been voted on."))
        matter.votes_for, matter.votes_against, matter.votes_abstain = votes_for, votes_against, votes_abstain
        matter.is_passed = resolution_passes(votes_for, present, Fraction(1, 2))
        matter.voted_at = timezone.now()
        matter.save()
    return matter


# --- recall ----------------------------------------------------------------------------------------

def recallable_memberships(session: CongressSession):
    """Presidium members of the session's union in its current term."""
    return (Membership.objects.current().filter(term__union=session.union, position__in=Position.presidium())
            .select_related("student"))


def supporters_needed(session: CongressSession) -> int:
    seated = Delegate.objects.filter(session=session, status=Delegate.Status.SEATED).count()
    return max(1, math.ceil(session.share("recall_share") * seated))


def _notify_recall(recall: Recall, kind: str, title, recipients) -> None:
    from tongxue.notifications.services import notify

    notify([u for u in recipients if u is not None], kind=f"recall_{kind}", title=title,
           body=str(recall.membership), url=reverse("congress:recall", args=[recall.session_id, recall.pk]),
           university_id=recall.university_id)


def _presidium_of_session(session: CongressSession) -> list:
    members = CommitteeMember.objects.filter(session=session, role__in=[CommitteeMember.Role.PRESIDIUM,
                                                                        CommitteeMember.Role.CHAIR])
    return [m.user for m in members.select_related("user")]


def move_recall(actor, session: CongressSession, membership: Membership, reason: str) -> Recall:
    delegate = delegate_of(actor, session)
    if delegate is None:
        raise PermissionDenied
    if not reason.strip():
        raise CouncilError(_("Give the reason for the recall."), code="reason")
    if not recallable_memberships(session).filter(pk=membership.pk).exists():
        raise CouncilError(_("Only a current presidium member of this union can be recalled."))
    with transaction.atomic():
        if Recall.objects.filter(session=session, membership=membership,
                                 status__in=[Recall.Status.COLLECTING, Recall.Status.PUT_TO_VOTE]).exists():
            raise CouncilError(_("A recall of this member is already under way; support it instead."))
        recall = Recall.objects.create(university_id=session.university_id, session=session, membership=membership,
                                       moved_by=delegate, reason=reason.strip(),
                                       supporters_needed=supporters_needed(session))
        RecallSupporter.objects.create(university_id=session.university_id, recall=recall, delegate=delegate)
        _check_support(recall)
    return recall


def _check_support(recall: Recall) -> None:
    if recall.status == Recall.Status.COLLECTING and recall.supporters.count() >= recall.supporters_needed:
        recall.status = Recall.Status.PUT_TO_VOTE
        recall.put_to_vote_at = timezone.now()
        recall.save()
        _notify_recall(recall, "put_to_vote", _("A recall motion has enough support and goes to the congress"),
                       _presidium_of_session(recall.session) + [recall.membership.student.user])


def support_recall(actor, recall: Recall) -> Recall:
    """A seated delegate supports the motion; supporting twice changes nothing."""
    delegate = delegate_of(actor, recall.session)
    if delegate is None:
        raise PermissionDenied
    with transaction.atomic():
        recall = (Recall.objects.select_for_update(of=("self",))
                  .select_related("session", "membership__student__user").get(pk=recall.pk))
        if recall.supporters.filter(delegate=delegate).exists():
            return recall
        if recall.status != Recall.Status.COLLECTING:
            raise CouncilError(_("This recall no longer collects support."))
        RecallSupporter.objects.create(university_id=recall.university_id, recall=recall, delegate=delegate)
        _check_support(recall)
    return recall


def decide_recall(actor, recall: Recall, *, votes_for: int, votes_against: int, votes_abstain: int,
                  sitting=None) -> Recall:
    """The chair enters the congress's vote. Needs the session in session with quorum; passes with
    "for" votes from more than `resolution_share` of the delegates present."""
    session = recall.session
    require_manage(actor, session)
    if not session.is_open:
        raise CouncilError(_("A recall is decided by the congress in session."))
    q = quorum(session, sitting)
    if not q.has_quorum:
        raise CouncilError(_("The congress has no quorum: %(present)s present, %(needed)s needed.")
                           % {"present": q.present, "needed": q.needed})
    if min(votes_for, votes_against, votes_abstain) < 0 or votes_for + votes_against + votes_abstain > q.present:
        raise CouncilError(_("The votes add up to more than the %(present)s delegates present.")
                           % {"present": q.present})
    with transaction.atomic():
        recall = (Recall.objects.select_for_update(of=("self",))
                  .select_related("membership__student__user").get(pk=recall.pk))
        if not recall.can_move_to(Recall.Status.PASSED):
            raise CouncilError(_("Only a recall put to the congress can be voted on."))
        passed = resolution_passes(votes_for, q.present, session.share("resolution_share"))
        recall.votes_for, recall.votes_against, recall.votes_abstain = votes_for, votes_against, votes_abstain
        recall.present = q.present
        recall.status = Recall.Status.PASSED if passed else Recall.Status.REJECTED
        recall.decided_at = timezone.now()
        recall.save()
        if passed:
            membership = Membership.objects.select_for_update().get(pk=recall.membership_id)
            if membership.end_date is None:
                membership.end_date = timezone.localdate()
                membership.end_reason = Membership.EndReason.RECALL
                membership.save(update_fields=["end_date", "end_reason"])
        title = _("The congress recalled you") if passed else _("The congress did not recall you")
        _notify_recall(recall, "decided", title, [recall.membership.student.user])
    return recall
