"""Pages between sessions (issue 5 item 8): the standing delegates' council (members, meetings,
matters and votes) and recall motions. Everyone who sees the session sees these pages; those
who run the session record the council's work and the congress's vote on a recall; seated
delegates move and support recalls. State changes go through services_council."""
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services, services_council
from .models import CouncilMatter, CouncilMeeting, CouncilMember, Delegate, Recall
from .permissions import can_manage, delegate_of
from .views import get_session


def _int(value, default=0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
def council(request, pk: int):
    session = get_session(request, pk)
    members = CouncilMember.objects.filter(session=session).select_related("delegate__student__college")
    meetings = CouncilMeeting.objects.filter(session=session).prefetch_related("present", "matters")
    manage = can_manage(request.user, session)
    candidates = (Delegate.objects.seated().filter(session=session).exclude(
        pk__in=members.values("delegate_id")).select_related("student")) if manage else []
    return render(request, "congress/council.html", {
        "session": session, "members": members, "meetings": meetings, "can_manage": manage,
        "candidates": candidates, "today": datetime.date.today().isoformat(),
    })


@login_required
@require_POST
def council_add(request, pk: int):
    session = get_session(request, pk)
    delegate = get_object_or_404(Delegate, session=session, pk=_int(request.POST.get("delegate")))
    try:
        services_council.add_council_member(request.user, session, delegate)
    except ValidationError as error:
        _error(request, error)
    return redirect("congress:council", session.pk)


@login_required
@require_POST
def council_remove(request, pk: int, member_pk: int):
    session = get_session(request, pk)
    member = get_object_or_404(CouncilMember, session=session, pk=member_pk)
    services_council.remove_council_member(request.user, member)
    return redirect("congress:council", session.pk)


@login_required
@require_POST
def meeting_new(request, pk: int):
    session = get_session(request, pk)
    if not can_manage(request.user, session):
        raise PermissionDenied
    try:
        held_on = datetime.date.fromisoformat(request.POST.get("held_on", ""))
    except ValueError:
        messages.error(request, _("Give the date of the meeting."))
        return redirect("congress:council", session.pk)
    present = CouncilMember.objects.filter(session=session, pk__in=[
        _int(v) for v in request.POST.getlist("present")])
    try:
        meeting = services_council.record_meeting(request.user, session, held_on=held_on,
                                                  topic=request.POST.get("topic", "")[:200], present=present)
    except ValidationError as error:
        _error(request, error)
        return redirect("congress:council", session.pk)
    return redirect("congress:council_meeting", session.pk, meeting.pk)


@login_required
def meeting_detail(request, pk: int, meeting_pk: int):
    session = get_session(request, pk)
    meeting = get_object_or_404(CouncilMeeting.objects.prefetch_related("present__delegate__student"),
                                session=session, pk=meeting_pk)
    return render(request, "congress/council_meeting.html", {
        "session": session, "meeting": meeting, "matters": meeting.matters.all(),
        "has_quorum": services_council.council_quorum(meeting), "present_count": meeting.present.count(),
        "can_manage": can_manage(request.user, session), "kinds": CouncilMatter.Kind.choices,
    })


@login_required
@require_POST
def matter_new(request, pk: int, meeting_pk: int):
    session = get_session(request, pk)
    meeting = get_object_or_404(CouncilMeeting, session=session, pk=meeting_pk)
    try:
        services_council.add_matter(request.user, meeting, request.POST.get("kind", ""),
                                    request.POST.get("title", "")[:200])
    except ValidationError as error:
        _error(request, error)
    return redirect("congress:council_meeting", session.pk, meeting.pk)


@login_required
@require_POST
def matter_vote(request, pk: int, meeting_pk: int, matter_pk: int):
    session = get_session(request, pk)
    matter = get_object_or_404(CouncilMatter, meeting__session=session, meeting_id=meeting_pk, pk=matter_pk)
    try:
        services_council.record_council_vote(
            request.user, matter, votes_for=_int(request.POST.get("votes_for"), -1),
            votes_against=_int(request.POST.get("votes_against"), -1),
            votes_abstain=_int(request.POST.get("votes_abstain"), -1))
    except ValidationError as error:
        _error(request, error)
    return redirect("congress:council_meeting", session.pk, meeting_pk)


# --- recall ------------------------------------------------------------------------------------------

@login_required
def recalls(request, pk: int):
    session = get_session(request, pk)
    me = delegate_of(request.user, session)
    return render(request, "congress/recalls.html", {
        "session": session, "recalls": Recall.objects.filter(session=session).select_related(
            "membership__student", "moved_by__student"),
        "my_delegate": me, "memberships": services_council.recallable_memberships(session) if me else [],
        "needed": services_council.supporters_needed(session),
    })


@login_required
@require_POST
def recall_new(request, pk: int):
    session = get_session(request, pk)
    if delegate_of(request.user, session) is None:
        raise PermissionDenied
    membership = services_council.recallable_memberships(session).filter(
        pk=_int(request.POST.get("membership"))).first()
    if membership is None:
        messages.error(request, _("Only a current presidium member of this union can be recalled."))
        return redirect("congress:recalls", session.pk)
    try:
        recall = services_council.move_recall(request.user, session, membership, request.POST.get("reason", ""))
    except ValidationError as error:
        _error(request, error)
        return redirect("congress:recalls", session.pk)
    return redirect("congress:recall", session.pk, recall.pk)


@login_required
def recall_detail(request, pk: int, recall_pk: int):
    session = get_session(request, pk)
    recall = get_object_or_404(Recall.objects.select_related("membership__student", "moved_by__student"),
                               session=session, pk=recall_pk)
    me = delegate_of(request.user, session)
    return render(request, "congress/recall.html", {
        "session": session, "recall": recall, "supporters": recall.supporters.count(),
        "has_supported": bool(me and recall.supporters.filter(delegate=me).exists()), "my_delegate": me,
        "can_manage": can_manage(request.user, session), "quorum": services.quorum(session),
    })


@login_required
@require_POST
def recall_support(request, pk: int, recall_pk: int):
    session = get_session(request, pk)
    recall = get_object_or_404(Recall, session=session, pk=recall_pk)
    try:
        services_council.support_recall(request.user, recall)
    except ValidationError as error:
        _error(request, error)
    return redirect("congress:recall", session.pk, recall.pk)


@login_required
@require_POST
def recall_vote(request, pk: int, recall_pk: int):
    session = get_session(request, pk)
    recall = get_object_or_404(Recall, session=session, pk=recall_pk)
    try:
        services_council.decide_recall(
            request.user, recall, votes_for=_int(request.POST.get("votes_for"), -1),
            votes_against=_int(request.POST.get("votes_against"), -1),
            votes_abstain=_int(request.POST.get("votes_abstain"), -1))
    except ValidationError as error:
        _error(request, error)
    return redirect("congress:recall", session.pk, recall.pk)


urls = [
    path("<int:pk>/council/", council, name="council"),
    path("<int:pk>/council/members/", council_add, name="council_add"),
    path("<int:pk>/council/members/<int:member_pk>/remove/", council_remove, name="council_remove"),
    path("<int:pk>/council/meetings/", meeting_new, name="council_meeting_new"),
    path("<int:pk>/council/meetings/<int:meeting_pk>/", meeting_detail, name="council_meeting"),
    path("<int:pk>/council/meetings/<int:meeting_pk>/matters/", matter_new, name="council_matter_new"),
    path("<int:pk>/council/meetings/<int:meeting_pk>/matters/<int:matter_pk>/vote/", matter_vote,
         name="council_matter_vote"),
    path("<int:pk>/recalls/", recalls, name="recalls"),
    path("<int:pk>/recalls/new/", recall_new, name="recall_new"),
    path("<int:pk>/recalls/<int:recall_pk>/", recall_detail, name="recall"),
    path("<int:pk>/recalls/<int:recall_pk>/support/", recall_support, name="recall_support"),
    path("<int:pk>/recalls/<int:recall_pk>/vote/", recall_vote, name="recall_vote"),
]
