"""Session pages: the list of sessions, creating one, its page and its settings, and the
preparatory committee. Other pages of a session live in views_prep (seats, delegates),
views_sitting (check-in, agenda, reports, resolutions, charter) and the proposals and
elections apps."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxue.core.models import User
from tongxue.unions.models import Union

from . import sections, services
from .forms import SessionForm
from .models import CommitteeMember, CongressSession
from .permissions import can_manage, delegate_of


def get_session(request, pk: int) -> CongressSession:
    """The session if the account may see it (404 otherwise, as for any record out of scope)."""
    return get_object_or_404(CongressSession.objects.visible_to(request.user).select_related("union"), pk=pk)


def session_context(request, session: CongressSession, **extra) -> dict:
    return {"session": session, "can_manage": can_manage(request.user, session),
            "my_delegate": delegate_of(request.user, session), **extra}


@login_required
def session_list(request):
    sessions = CongressSession.objects.visible_to(request.user).select_related("union").order_by(
        "union__level", "union__name", "-number")
    can_create = Union.objects.manageable_by(request.user).exists()
    return render(request, "congress/session_list.html", {"sessions": sessions, "can_create": can_create})


@login_required
def session_new(request):
    unions = Union.objects.manageable_by(request.user)
    if not unions.exists():
        raise PermissionDenied
    form = SessionForm(request.POST or None, unions=unions, initial={"union": request.GET.get("union")})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("union", "kind", "opens_on")}
        try:
            session = services.create_session(
                request.user, form.cleaned_data["union"], opens_on=form.cleaned_data["opens_on"],
                kind=form.cleaned_data["kind"], **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The session was created; you chair its preparatory committee."))
            return redirect("congress:session", session.pk)
    return render(request, "congress/session_form.html", {"form": form})


@login_required
def session_detail(request, pk: int):
    session = get_session(request, pk)
    context = session_context(
        request, session,
        quorum=services.quorum(session),
        agenda=session.agenda.all(),
        committee=session.committee.select_related("user"),
        sections=sections.templates(sections.SESSION_SECTIONS),
        statuses=[s for s in CongressSession.Status if session.can_move_to(s)],
        roles=CommitteeMember.Role.choices,
    )
    return render(request, "congress/session_detail.html", context)


@login_required
def session_edit(request, pk: int):
    session = get_session(request, pk)
    if not can_manage(request.user, session):
        raise PermissionDenied
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("congress:session", session.pk)
    return render(request, "congress/session_form.html", {"form": form, "session": session})


@login_required
@require_POST
def session_move(request, pk: int):
    session = get_session(request, pk)
    try:
        services.move_session(request.user, session, request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("congress:session", session.pk)


@login_required
@require_POST
def committee_add(request, pk: int):
    session = get_session(request, pk)
    if not can_manage(request.user, session):
        raise PermissionDenied
    login_id = request.POST.get("login_id", "").strip()
    user = User.objects.filter(university_id=session.university_id, login_id=login_id).first()
    if user is None:
        messages.error(request, _("No account with the number %(login_id)s at this university.") % {"login_id": login_id})
    else:
        try:
            services.add_committee_member(request.user, session, user, request.POST.get("role", "member"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("congress:session", session.pk)


@login_required
@require_POST
def committee_remove(request, pk: int, member_pk: int):
    session = get_session(request, pk)
    member = get_object_or_404(CommitteeMember, session=session, pk=member_pk)
    try:
        services.remove_committee_member(request.user, member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("congress:session", session.pk)


urls = [
    path("", session_list, name="sessions"),
    path("new/", session_new, name="session_new"),
    path("<int:pk>/", session_detail, name="session"),
    path("<int:pk>/edit/", session_edit, name="session_edit"),
    path("<int:pk>/status/", session_move, name="session_move"),
    path("<int:pk>/committee/", committee_add, name="committee_add"),
    path("<int:pk>/committee/<int:member_pk>/remove/", committee_remove, name="committee_remove"),
]
