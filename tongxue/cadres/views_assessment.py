"""Assessment pages: managers open and close rounds; League teachers in scope and administrators
read the union's results; cadres, League teachers and the students served rate; a cadre sees
their own result once the round is closed (issue 3, item 6)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxue.core.scope import scope_of
from tongxue.unions.models import Membership

from . import assessment
from .forms_assessment import BallotForm, RateForm, RoundForm
from .models import AssessmentRound, AssessmentSource


def _round(request, pk) -> AssessmentRound:
    return get_object_or_404(AssessmentRound.objects.visible_to(request.user).select_related("union", "term"), pk=pk)


@login_required
def index(request):
    scope = scope_of(request.user)
    user = request.user
    managed = (assessment.rounds_managed_by(user).select_related("union")[:100]
               if assessment.can_manage_any(user) else [])
    rate_rounds = []
    if scope.own_student_id or scope.is_league:
        term_ids = Membership.objects.current().filter(student_id=scope.own_student_id).values("term_id")
        candidates = AssessmentRound.objects.visible_to(user).filter(is_open=True).select_related("union")
        for round_ in candidates.filter(term_id__in=term_ids) if not scope.is_league else candidates:
            if assessment.rating_tasks(user, round_):
                rate_rounds.append(round_)
    ballots = [r for r in assessment.ballot_rounds(user) if not assessment.has_cast_ballot(user, r)]
    my_results = []
    if scope.own_student_id:
        mine = Membership.objects.filter(student_id=scope.own_student_id)
        for round_ in AssessmentRound.objects.filter(is_open=False, term__memberships__in=mine).distinct():
            for result in assessment.results(round_, mine.filter(term_id=round_.term_id)):
                my_results.append((round_, result))
    return render(request, "cadres/assessment/index.html", {
        "managed": managed, "can_manage": assessment.can_manage_any(user), "rate_rounds": rate_rounds,
        "ballots": ballots, "my_results": my_results, "nav_active": "assessment",
    })


@login_required
def round_create(request):
    if not assessment.can_manage_any(request.user):
        raise PermissionDenied
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        union = form.cleaned_data["union"]
        if union.current_term() is None:
            form.add_error("union", _("This union has no current term."))
        else:
            round_ = assessment.create_round(request.user, union, label=form.cleaned_data["label"],
                                             weights=form.cleaned_data["weights"],
                                             thresholds=form.cleaned_data["thresholds"])
            messages.success(request, _("Assessment round opened."))
            return redirect("cadres:assessment_round", pk=round_.pk)
    return render(request, "cadres/assessment/round_form.html", {"form": form, "nav_active": "assessment"})


@login_required
def round_results(request, pk):
    round_ = _round(request, pk)
    can_read = assessment.can_read_results(request.user, round_)
    if not can_read and not assessment.can_manage(request.user, round_.union):
        raise PermissionDenied
    weights = [(AssessmentSource(s).label, w) for s, w in round_.weights.items()]
    # The union's own leaders manage the round (and may close it) but never read their
    # colleagues' results.
    return render(request, "cadres/assessment/results.html", {
        "round": round_, "results": assessment.results(round_) if can_read else None, "weights": weights,
        "ballots": round_.receipts.count(), "nav_active": "assessment",
    })


@login_required
@require_POST
def round_close(request, pk):
    round_ = _round(request, pk)
    assessment.close_round(request.user, round_)
    messages.success(request, _("Assessment round closed. Cadres can now see their results."))
    return redirect("cadres:assessment_round", pk=round_.pk)


@login_required
def rate_list(request, pk):
    round_ = _round(request, pk)
    tasks = assessment.rating_tasks(request.user, round_)
    if not tasks:
        raise PermissionDenied
    rows = [(t.membership, [(s, AssessmentSource(s).label, s in t.done) for s in t.sources]) for t in tasks]
    return render(request, "cadres/assessment/rate_list.html", {"round": round_, "rows": rows,
                                                                "nav_active": "assessment"})


@login_required
def rate(request, pk, membership_pk, source):
    round_ = _round(request, pk)
    membership = get_object_or_404(assessment.cadres_of(round_), pk=membership_pk)
    if source not in assessment.sources_for(request.user, round_, membership):
        raise PermissionDenied
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment.rate(request.user, round_, membership, source, **form.cleaned_data)
        except assessment.AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Score saved."))
            return redirect("cadres:assessment_rate_list", pk=round_.pk)
    return render(request, "cadres/assessment/rate_form.html", {
        "round": round_, "membership": membership, "source": AssessmentSource(source).label, "form": form,
        "nav_active": "assessment",
    })


@login_required
def ballot(request, pk):
    round_ = _round(request, pk)
    if not assessment.may_cast_ballot(request.user, round_):
        raise PermissionDenied
    if assessment.has_cast_ballot(request.user, round_):
        messages.info(request, _("You have already cast your ballot in this round."))
        return redirect("cadres:assessment")
    form = BallotForm(request.POST or None, memberships=assessment.ballot_cadres(request.user, round_))
    if request.method == "POST" and form.is_valid():
        try:
            assessment.cast_ballot(request.user, round_, form.cleaned_data["scores"])
        except assessment.AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Thank you. Your ballot is recorded without your name."))
            return redirect("cadres:assessment")
    return render(request, "cadres/assessment/ballot.html", {"round": round_, "form": form,
                                                             "nav_active": "assessment"})


assessment_urls = [
    path("assessment/", index, name="assessment"),
    path("assessment/new/", round_create, name="assessment_round_create"),
    path("assessment/<int:pk>/", round_results, name="assessment_round"),
    path("assessment/<int:pk>/close/", round_close, name="assessment_round_close"),
    path("assessment/<int:pk>/rate/", rate_list, name="assessment_rate_list"),
    path("assessment/<int:pk>/rate/<int:membership_pk>/<str:source>/", rate, name="assessment_rate"),
    path("assessment/<int:pk>/ballot/", ballot, name="assessment_ballot"),
]

