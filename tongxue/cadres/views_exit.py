"""Exit pages: the League teacher's exit cases (scoped to the unions they guide) with the
decision (dismiss, or keep with a written reason); a cadre's own resignation; a dismissal by
the union's League teacher or president. Everyone else gets 403 (logged by the middleware)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from tongxue.core.eligibility import reason_text
from tongxue.core.scope import scope_of
from tongxue.unions.models import Membership, Union
from tongxue.unions.services import can_dismiss_in, is_league_teacher_of

from . import exits
from .forms import DecisionForm, DismissForm, ResignForm
from .models import ExitCase


def _cases(request):
    if not scope_of(request.user).is_league:
        raise PermissionDenied
    return ExitCase.objects.visible_to(request.user).select_related(
        "membership__student__college", "membership__term__union", "membership__department", "decided_by")


def _with_reasons(case: ExitCase) -> ExitCase:
    case.reason_texts = [reason_text(r) for r in (case.details or {}).get("reasons", [])]
    return case


@login_required
def exit_case_list(request):
    cases = _cases(request)
    status = request.GET.get("status", ExitCase.Status.OPEN)
    if status in ExitCase.Status.values:
        cases = cases.filter(status=status)
    cases = [_with_reasons(case) for case in cases[:200]]
    return render(request, "cadres/exit_case_list.html", {
        "cases": cases, "status": status, "statuses": ExitCase.Status.choices, "form": DecisionForm(),
        "nav_active": "exit_cases",
    })


@login_required
def exit_case_decide(request, pk):
    case = get_object_or_404(_cases(request), pk=pk)
    form = DecisionForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            case = exits.decide_exit_case(request.user, case, remove=form.cleaned_data["action"] == DecisionForm.DISMISS,
                                          text=form.cleaned_data["text"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if not request.htmx:
                messages.success(request, _("Decision recorded."))
                return redirect("cadres:exit_cases")
            case = get_object_or_404(_cases(request), pk=pk)
    context = {"case": _with_reasons(case), "form": form, "error": error}
    if request.htmx:
        return render(request, "cadres/_exit_case.html", context)
    return render(request, "cadres/exit_case_decide.html", {**context, "nav_active": "exit_cases"})


@login_required
def resign(request, pk):
    scope = scope_of(request.user)
    membership = get_object_or_404(
        Membership.objects.select_related("term__union", "department"), pk=pk, end_date__isnull=True,
    )
    if membership.student_id != scope.own_student_id:
        raise PermissionDenied
    form = ResignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        exits.resign(request.user, membership, form.cleaned_data["text"])
        messages.success(request, _("You have left the position. It stays in your history."))
        return redirect("me")
    return render(request, "cadres/resign.html", {"membership": membership, "form": form})


@login_required
def dismiss(request, pk):
    membership = get_object_or_404(
        Membership.objects.select_related("term__union", "department", "student"), pk=pk, end_date__isnull=True,
    )
    union = membership.term.union
    if not can_dismiss_in(request.user, union) or membership.student_id == scope_of(request.user).own_student_id:
        raise PermissionDenied
    form = DismissForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        exits.dismiss(request.user, membership, form.cleaned_data["reason"], form.cleaned_data["text"])
        messages.success(request, _("The cadre has been dismissed."))
        return redirect("unions:detail", pk=union.pk)
    return render(request, "cadres/dismiss.html", {"membership": membership, "form": form})


@login_required
def term_change(request, union_pk):
    """换届 confirmation and action, for the union's League teacher."""
    union = get_object_or_404(Union.objects.visible_to(request.user), pk=union_pk)
    if not is_league_teacher_of(request.user, union):
        raise PermissionDenied
    term = union.current_term()
    if request.method == "POST" and term is not None:
        following = exits.change_term(request.user, union)
        messages.success(request, _("Term %(old)s has ended; term %(new)s has started.")
                         % {"old": term.number, "new": following.number})
        return redirect("unions:detail", pk=union.pk)
    serving = Membership.objects.filter(term=term, end_date__isnull=True).count() if term else 0
    return render(request, "cadres/term_change.html", {"union": union, "term": term, "serving": serving})


exit_urls = [
    path("unions/<int:union_pk>/change-term/", term_change, name="term_change"),
    path("exits/", exit_case_list, name="exit_cases"),
    path("exits/<int:pk>/decide/", exit_case_decide, name="exit_case_decide"),
    path("memberships/<int:pk>/resign/", resign, name="resign"),
    path("memberships/<int:pk>/dismiss/", dismiss, name="dismiss"),
]
