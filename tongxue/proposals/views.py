"""Proposal pages: a session's list, drafting, the proposal page with its actions (invite, co-sign,
withdraw, submit, decide, answer, rate), the office inbox and the public list without login.

Scope: proposals come from `Proposal.objects.visible_to(user)` (404 outside it); an action the
account may not take raises PermissionDenied in the service (403, logged as an AccessEvent).
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxue.congress.models import CongressSession, Delegate
from tongxue.congress.permissions import delegate_of
from tongxue.rights.models import Office

from . import services
from .forms import AnswerForm, DecisionForm, ProposalForm, RateForm
from .models import Proposal

def _session(request, pk: int) -> CongressSession:
    return get_object_or_404(CongressSession.objects.visible_to(request.user).select_related("union"), pk=pk)


def _proposal(request, pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related(
            "session__union", "proposer__student__college", "office", "merged_into", "decided_by"), pk=pk)


def _errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
def session_proposals(request, session_pk: int):
    session = _session(request, session_pk)
    proposals = (Proposal.objects.visible_to(request.user).filter(session=session)
                 .select_related("proposer__student__college", "office")
                 .annotate(signed=Count("cosigners", distinct=True)).order_by("number", "pk"))
    status = request.GET.get("status", "")
    if status in Proposal.Status.values:
        proposals = proposals.filter(status=status)
    return render(request, "proposals/session_list.html", {
        "session": session, "proposals": proposals, "status": status, "statuses": Proposal.Status.choices,
        "my_delegate": delegate_of(request.user, session), "can_decide": services.can_decide(request.user, session),
    })


@login_required
def proposal_new(request, session_pk: int):
    session = _session(request, session_pk)
    if delegate_of(request.user, session) is None:
        raise PermissionDenied
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.draft_proposal(request.user, session, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Draft saved. Invite co-signers, then submit."))
            return redirect("proposals:detail", proposal.pk)
    return render(request, "proposals/form.html", {"form": form, "session": session})


@login_required
def proposal_edit(request, pk: int):
    proposal = _proposal(request, pk)
    if not services.is_proposer(request.user, proposal):
        raise PermissionDenied
    form = ProposalForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_proposal(request.user, proposal, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("proposals:detail", proposal.pk)
    return render(request, "proposals/form.html", {"form": form, "session": proposal.session, "proposal": proposal})


@login_required
def proposal_detail(request, pk: int):
    proposal = _proposal(request, pk)
    user, session = request.user, proposal.session
    me = delegate_of(user, session)
    cosigners = list(proposal.cosigners.select_related("delegate__student__college"))
    mine = next((c for c in cosigners if me and c.delegate_id == me.pk), None)
    is_draft = proposal.status == Proposal.Status.DRAFT
    is_proposer = services.is_proposer(user, proposal)
    can_decide = services.can_decide(user, session) and proposal.status == Proposal.Status.SUBMITTED
    if services.can_decide(user, session) and proposal.status == Proposal.Status.ACCEPTED:
        can_decide = True  # an accepted proposal may still be merged
    context = {
        "proposal": proposal, "session": session, "cosigners": cosigners, "my_cosign": mine,
        "signed_count": sum(1 for c in cosigners if c.is_signed),
        "is_proposer": is_proposer,
        "can_invite": is_proposer and is_draft, "can_submit": is_proposer and is_draft,
        "can_cosign": mine is not None and is_draft and not mine.is_signed,
        "can_withdraw": mine is not None and is_draft and mine.is_signed,
        "can_decide": can_decide,
        "can_answer": services.is_office_staff(user, proposal) and proposal.status == Proposal.Status.ACCEPTED,
        "can_rate": is_proposer and proposal.status == Proposal.Status.ANSWERED and not proposal.rated_at,
        "followed": proposal.followed if proposal.merged_into_id else None,
        "merged": proposal.merged_proposals.all(),
    }
    if context["can_decide"]:
        context["decision_form"] = DecisionForm(proposal=proposal)
    if context["can_answer"]:
        context["answer_form"] = AnswerForm()
    if context["can_rate"]:
        context["rate_form"] = RateForm()
    if context["can_invite"]:
        invited = {c.delegate_id for c in cosigners}
        context["candidates"] = (Delegate.objects.seated().filter(session=session)
                                 .exclude(pk__in=invited | {proposal.proposer_id}).select_related("student"))
    return render(request, "proposals/detail.html", context)


def _step(request, pk: int, run, success: str):
    proposal = _proposal(request, pk)
    try:
        run(proposal)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, success)
    return redirect("proposals:detail", proposal.pk)


@login_required
@require_POST
def proposal_invite(request, pk: int):
    def run(proposal):
        delegate = Delegate.objects.filter(session=proposal.session, pk=request.POST.get("delegate") or 0).first()
        if delegate is None:
            raise services.ProposalError(_("Choose a delegate of this session."))
        services.invite_cosigner(request.user, proposal, delegate)
    return _step(request, pk, run, _("Invitation sent."))


@login_required
@require_POST
def proposal_cosign(request, pk: int):
    return _step(request, pk, lambda p: services.cosign(request.user, p), _("You co-signed the proposal."))


@login_required
@require_POST
def proposal_withdraw(request, pk: int):
    return _step(request, pk, lambda p: services.withdraw_signature(request.user, p),
                 _("Your signature was withdrawn."))


@login_required
@require_POST
def proposal_submit(request, pk: int):
    return _step(request, pk, lambda p: services.submit_proposal(request.user, p),
                 _("The proposal was submitted to the proposal committee."))


@login_required
@require_POST
def proposal_decide(request, pk: int):
    proposal = _proposal(request, pk)
    if not services.can_decide(request.user, proposal.session):
        raise PermissionDenied
    form = DecisionForm(request.POST, proposal=proposal)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("proposals:detail", proposal.pk)
    data = form.cleaned_data
    try:
        match data["decision"]:
            case "accept":
                services.accept_proposal(request.user, proposal, data["office"], data["note"])
            case "merge":
                services.merge_proposal(request.user, proposal, data["into"], data["note"])
            case "opinion":
                services.make_opinion(request.user, proposal, data["note"], data["office"])
            case _:
                services.reject_proposal(request.user, proposal, data["note"])
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The decision was recorded."))
    return redirect("proposals:detail", proposal.pk)


@login_required
@require_POST
def proposal_answer(request, pk: int):
    proposal = _proposal(request, pk)
    if not services.is_office_staff(request.user, proposal):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the answer."))
        return redirect("proposals:detail", proposal.pk)
    return _step(request, pk, lambda p: services.answer_proposal(request.user, p, form.cleaned_data["answer"]),
                 _("The answer was sent to the proposer."))


@login_required
@require_POST
def proposal_rate(request, pk: int):
    proposal = _proposal(request, pk)
    if not services.is_proposer(request.user, proposal):
        raise PermissionDenied
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how satisfied you are."))
        return redirect("proposals:detail", proposal.pk)
    return _step(request, pk, lambda p: services.rate_answer(request.user, p, form.cleaned_data["satisfaction"],
                                                             form.cleaned_data["comment"]),
                 _("Thank you for rating the answer."))


@login_required
def office_inbox(request):
    """The proposals sent to the account's offices; overdue ones flagged."""
    office_ids = services.office_ids_of(request.user)
    if not office_ids:
        raise PermissionDenied
    proposals = (Proposal.objects.visible_to(request.user).for_offices(office_ids)
                 .select_related("session__union", "office")
                 .order_by("answered_at", "answer_due", "pk"))
    waiting = request.GET.get("status", "waiting") != "done"
    proposals = proposals.filter(status=Proposal.Status.ACCEPTED) if waiting else proposals.exclude(
        status=Proposal.Status.ACCEPTED)
    return render(request, "proposals/office_inbox.html", {
        "offices": Office.objects.filter(pk__in=office_ids), "proposals": proposals, "waiting": waiting,
    })


def public_list(request, session_pk: int):
    """The whole list with its status, without login (issue 5 item 5): proposers by name and
    college only (conventions.md, Privacy: no 学号 on public pages)."""
    session = get_object_or_404(CongressSession.objects.select_related("union", "university"), pk=session_pk)
    proposals = (Proposal.objects.filter(session=session).public()
                 .select_related("proposer__student__college", "office", "merged_into__office").order_by("number"))
    return render(request, "proposals/public_list.html", {"session": session, "proposals": proposals})


urls = [
    path("session/<int:session_pk>/", session_proposals, name="session"),
    path("session/<int:session_pk>/new/", proposal_new, name="new"),
    path("office/", office_inbox, name="office"),
    path("<int:pk>/", proposal_detail, name="detail"),
    path("<int:pk>/edit/", proposal_edit, name="edit"),
    path("<int:pk>/invite/", proposal_invite, name="invite"),
    path("<int:pk>/cosign/", proposal_cosign, name="cosign"),
    path("<int:pk>/withdraw/", proposal_withdraw, name="withdraw"),
    path("<int:pk>/submit/", proposal_submit, name="submit"),
    path("<int:pk>/decide/", proposal_decide, name="decide"),
    path("<int:pk>/answer/", proposal_answer, name="answer"),
    path("<int:pk>/rate/", proposal_rate, name="rate"),
]
public_urls = [path("<int:session_pk>/", public_list, name="list")]
