"""Election pages: setting an election up, the online ballot (phone first), paper entry by two
tellers with the mismatch list, printable ballots, scrutineers' sign-off and the public result
with all anonymous ballots. Every change goes through `services`."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tongxue.congress.models import CongressSession
from tongxue.congress.permissions import can_manage, delegate_of
from tongxue.core.models import Student, User
from tongxue.domain import tally

from . import services
from .models import Ballot, Election, Official, PaperEntry


class ElectionForm(forms.ModelForm):
    class Meta:
        model = Election
        fields = ["title", "kind", "seats", "mode", "majority_base", "min_surplus", "agenda_item"]

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = session.agenda.all() if session else self.fields["agenda_item"].queryset
        self.fields["seats"].widget.attrs["min"] = 1


def get_election(request, pk: int) -> Election:
    return get_object_or_404(Election.objects.visible_to(request.user).select_related("session__union"), pk=pk)


def _errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
def election_new(request, session_pk: int):
    session = get_object_or_404(CongressSession.objects.visible_to(request.user), pk=session_pk)
    if not can_manage(request.user, session):
        raise PermissionDenied
    form = ElectionForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            election = services.create_election(request.user, session, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("elections:detail", election.pk)
    return render(request, "elections/form.html", {"form": form, "session": session})


@login_required
def election_detail(request, pk: int):
    election = get_election(request, pk)
    manage = can_manage(request.user, election.session)
    context = {
        "election": election, "session": election.session, "can_manage": manage,
        "candidates": election.listed.select_related("student__college"),
        "officials": election.officials.select_related("user"),
        "turnout": services.turnout(election),
        "rows": services.result_rows(election) if election.result else [],
        "refusal": services.voting_refusal(request.user, election) if election.is_online else None,
        "my_delegate": delegate_of(request.user, election.session),
        "teller_copy": services.teller_copy(request.user, election),
        "my_scrutiny": election.officials.filter(user=request.user, role=Official.Role.SCRUTINEER).first(),
        "follow_ups": election.follow_ups.all(),
        "roles": Official.Role.choices,
    }
    if manage:
        context["problems"] = services.candidate_problems(election) if election.status == Election.Status.DRAFT else []
        context["publication_problems"] = (services.publication_problems(election)
                                           if election.status == Election.Status.COUNTED else [])
        if election.status == Election.Status.DRAFT:
            approved = services.approved_presidium_students(election.session) \
                if election.kind == Election.Kind.PRESIDIUM else Student.objects.none()
            chosen = set(election.candidates.values_list("student_id", flat=True))
            context["approved"] = [(s, s.pk in chosen) for s in approved.select_related("college")]
            approved_ids = {s.pk for s, _x in context["approved"]}
            context["other_candidates"] = [c for c in context["candidates"] if c.student_id not in approved_ids]
        if election.status == Election.Status.COUNTING:
            context["mismatches"] = services.mismatches(election)
    return render(request, "elections/detail.html", context)


def _post_action(request, pk, action, success):
    election = get_election(request, pk)
    try:
        action(election)
    except ValidationError as error:
        _errors(request, error)
    else:
        if success:
            messages.success(request, success)
    return redirect("elections:detail", election.pk)


@login_required
@require_POST
def set_candidates(request, pk: int):
    election = get_election(request, pk)
    if not can_manage(request.user, election.session):
        raise PermissionDenied
    ids = [int(x) for x in request.POST.getlist("student") if x.isdigit()]
    if request.POST.get("remove", "").isdigit():      # one candidate struck off the list
        removed = int(request.POST["remove"])
        ids = [pk for pk in election.listed.values_list("student_id", flat=True) if pk and pk != removed]
    students = list(Student.objects.filter(university_id=election.university_id, pk__in=ids))
    missing = []
    for number in request.POST.get("student_nos", "").replace(",", "\n").replace("，", "\n").split():
        student = Student.objects.filter(university_id=election.university_id, student_no=number.strip()).first()
        if student is None:
            missing.append(number)
        else:
            students.append(student)
    if missing:
        messages.error(request, _("No student with the number %(numbers)s.") % {"numbers": "、".join(missing)})
        return redirect("elections:detail", election.pk)
    try:
        services.set_candidates(request.user, election, students)
    except ValidationError as error:
        _errors(request, error)
    return redirect("elections:detail", election.pk)


@login_required
@require_POST
def official_add(request, pk: int):
    election = get_election(request, pk)
    if not can_manage(request.user, election.session):
        raise PermissionDenied
    login_id = request.POST.get("login_id", "").strip()
    user = User.objects.filter(university_id=election.university_id, login_id=login_id).first()
    if user is None:
        messages.error(request, _("No account with the number %(login_id)s at this university.") % {"login_id": login_id})
    else:
        try:
            services.add_official(request.user, election, user, request.POST.get("role", ""))
        except ValidationError as error:
            _errors(request, error)
    return redirect("elections:detail", election.pk)


@login_required
@require_POST
def official_remove(request, pk: int, official_pk: int):
    election = get_election(request, pk)
    official = get_object_or_404(Official, election=election, pk=official_pk)
    return _post_action(request, pk, lambda e: services.remove_official(request.user, official), "")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def open_vote(request, pk: int):
    return _post_action(request, pk, lambda e: services.open_election(
        request.user, e, issued=_int(request.POST.get("issued"))), _("The vote is open."))


@login_required
@require_POST
def close_vote(request, pk: int):
    return _post_action(request, pk, lambda e: services.close_election(request.user, e), _("The vote is closed."))


@login_required
@require_POST
def accept(request, pk: int):
    return _post_action(request, pk, lambda e: services.accept_count(
        request.user, e, issued=_int(request.POST.get("issued"))), _("The count is accepted."))


@login_required
@require_POST
def sign(request, pk: int):
    return _post_action(request, pk, lambda e: services.sign_off(request.user, e), _("You signed off the count."))


@login_required
@require_POST
def publish(request, pk: int):
    return _post_action(request, pk, lambda e: services.publish(request.user, e), _("The result is published."))


@login_required
@require_POST
def runoff(request, pk: int):
    return _follow_up(request, pk, services.create_runoff)


@login_required
@require_POST
def repeat(request, pk: int):
    return _follow_up(request, pk, services.repeat_election)


def _follow_up(request, pk: int, create):
    """Create a follow-up election (run-off, repeated vote) and open its page; on refusal stay."""
    election = get_election(request, pk)
    try:
        new = create(request.user, election)
    except ValidationError as error:
        _errors(request, error)
        return redirect("elections:detail", election.pk)
    return redirect("elections:detail", new.pk)


@login_required
@require_POST
def unfilled(request, pk: int):
    election = get_election(request, pk)
    try:
        new = services.decide_unfilled(request.user, election, request.POST.get("decision", ""),
                                       note=request.POST.get("note", ""),
                                       candidate_keys=request.POST.getlist("candidate"))
    except ValidationError as error:
        _errors(request, error)
        return redirect("elections:detail", election.pk)
    return redirect("elections:detail", (new or election).pk)


# --- the online ballot ------------------------------------------------------------------------------

def _ballot_context(election, marks=None, write_ins=()):
    candidates = list(election.listed)
    marks = marks or {}
    return {
        "election": election,
        "candidates": [(c, str(marks.get(c.key, tally.Mark.ABSTAIN))) for c in candidates],
        "write_ins": list(write_ins) + [""] * max(0, election.seats - len(write_ins)),
        "marks_choices": [("for", _("for")), ("against", _("against")), ("abstain", _("abstain"))],
    }


@never_cache
@login_required
def vote(request, pk: int):
    election = get_election(request, pk)
    refusal = services.voting_refusal(request.user, election)
    if refusal is not None:
        code, reason = refusal
        status = 403 if code == "not_delegate" else 200
        return render(request, "elections/vote_refused.html",
                      {"election": election, "reason": reason, "code": code}, status=status)
    return render(request, "elections/vote.html", _ballot_context(election))


@never_cache
@login_required
@require_POST
def vote_confirm(request, pk: int):
    """The confirmation step: what the voter marked, with a warning when the ballot would be void.
    Nothing is stored."""
    election = get_election(request, pk)
    refusal = services.voting_refusal(request.user, election)
    if refusal is not None:
        code, reason = refusal
        return render(request, "elections/vote_refused.html", {"election": election, "reason": reason, "code": code},
                      status=403 if code == "not_delegate" else 200)
    marks, write_ins = services.parse_marks(election, request.POST)
    warnings, votes = services.ballot_problems(election, marks, write_ins)
    context = _ballot_context(election, marks, write_ins)
    context.update({"warnings": warnings, "votes": votes, "marks": marks, "filled_write_ins": write_ins})
    if request.POST.get("edit"):
        return render(request, "elections/vote.html", context)
    return render(request, "elections/vote_confirm.html", context)


@never_cache
@login_required
@require_POST
def vote_cast(request, pk: int):
    """Cast the ballot. The receipt is shown in this response only (it is not stored against the
    voter); a repeated submit says "already voted" and changes nothing."""
    election = get_election(request, pk)
    marks, write_ins = services.parse_marks(election, request.POST)
    try:
        receipt = services.cast_ballot(request.user, election, marks, write_ins)
    except services.AlreadyVoted as error:
        return render(request, "elections/vote_refused.html",
                      {"election": election, "reason": " ".join(error.messages), "code": "voted"}, status=409)
    except ValidationError as error:
        return render(request, "elections/vote_refused.html",
                      {"election": election, "reason": " ".join(error.messages), "code": "refused"})
    return render(request, "elections/vote_receipt.html", {"election": election, "receipt": receipt})


# --- paper ballots ------------------------------------------------------------------------------------

@login_required
def paper(request, pk: int):
    """A teller's entry page: one sheet at a time, by number."""
    election = get_election(request, pk)
    copy = services.teller_copy(request.user, election)
    if copy is None:
        raise PermissionDenied
    context = _ballot_context(election)
    sheet = _int(request.POST.get("sheet") or request.GET.get("sheet"))
    if request.method == "POST":
        marks, write_ins = services.parse_marks(election, request.POST)
        try:
            services.enter_sheet(request.user, election, sheet or 0, marks, write_ins)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Sheet %(sheet)s entered (%(copy)s).") % {"sheet": sheet, "copy": copy})
            return redirect(f"{request.path}?sheet={sheet + 1}")
    elif sheet:
        entry = PaperEntry.objects.filter(election=election, sheet=sheet, copy=copy).first()
        if entry:
            order = tuple(election.candidate_order)
            context = _ballot_context(election, dict(tally.CompactMarks(order, entry.marks)), entry.write_ins)
    mine = PaperEntry.objects.filter(election=election, copy=copy).order_by("sheet")
    context.update({"copy": copy, "sheet": sheet or (mine.count() + 1), "mine": mine,
                    "mismatches": services.mismatches(election) if election.status == Election.Status.COUNTING else []})
    return render(request, "elections/paper.html", context)


@login_required
def mismatches(request, pk: int):
    election = get_election(request, pk)
    if not (can_manage(request.user, election.session) or services.is_official(
            request.user, election, *Official.Role.values)):
        raise PermissionDenied
    order = election.candidate_order
    names = {c.key: c.name for c in election.listed}
    words = {"F": "○ " + _("for"), "A": "× " + _("against"), "-": _("abstain")}
    rows = []
    for item in services.mismatches(election):
        diffs = []
        if item["a"] and item["b"]:
            for i, key in enumerate(order):
                if item["a"].marks[i] != item["b"].marks[i]:
                    diffs.append({"name": names.get(key, key), "a": words[item["a"].marks[i]],
                                  "b": words[item["b"].marks[i]]})
            if sorted(item["a"].write_ins) != sorted(item["b"].write_ins):
                diffs.append({"name": _("write-ins"), "a": "、".join(item["a"].write_ins),
                              "b": "、".join(item["b"].write_ins)})
        rows.append({**item, "diffs": diffs})
    return render(request, "elections/mismatches.html", {"election": election, "rows": rows})


@login_required
def print_ballots(request, pk: int):
    """Printable A4 ballots: candidates in stroke order, ○ for, × against, blank abstain, a 另选他人
    box; no voter identifier anywhere."""
    election = get_election(request, pk)
    if not can_manage(request.user, election.session):
        raise PermissionDenied
    copies = min(max(_int(request.GET.get("copies")) or 2, 1), 500)
    per_page = 2 if election.listed.count() <= 8 else 1
    return render(request, "elections/print.html", {
        "election": election, "candidates": election.listed, "copies": range(copies), "per_page": per_page,
        "write_in_boxes": range(min(election.seats, 5)),
    })


# --- public --------------------------------------------------------------------------------------------

def get_public(pk: int) -> Election:
    return get_object_or_404(Election.objects.published().select_related("session__union"), pk=pk)


def public_result(request, pk: int):
    """The published result and every anonymous ballot, searchable by receipt code. No login."""
    election = get_public(pk)
    order = election.candidate_order
    by_key = {c.key: c.name for c in election.candidates.filter(is_write_in=False)}
    names = [by_key.get(key, key) for key in order]
    receipt = request.GET.get("receipt", "").strip().upper()
    if receipt.isdigit() and not election.is_online:
        receipt = receipt.zfill(4)        # paper: the sheet number as printed in the list
    if election.is_online:
        ballots = Ballot.objects.filter(election=election, is_cast=True).order_by("receipt")
        rows_qs = [(b.receipt, b.marks, b.write_ins) for b in (ballots.filter(receipt=receipt) if receipt else ballots)]
    else:
        entries = PaperEntry.objects.filter(election=election, copy=PaperEntry.Copy.A).order_by("sheet")
        rows_qs = [(f"{e.sheet:04d}", e.marks, e.write_ins) for e in entries]
        if receipt:
            rows_qs = [r for r in rows_qs if r[0] == receipt]
    page = Paginator(rows_qs, 50).get_page(request.GET.get("page"))
    symbols = {"F": "○", "A": "×", "-": ""}
    ballots = [{"receipt": r, "marks": [symbols[m] for m in marks], "write_ins": w} for r, marks, w in page]
    return render(request, "elections/public.html", {
        "election": election, "rows": services.result_rows(election), "result": election.result,
        "names": names, "page": page, "ballots": ballots, "receipt": receipt,
        "elected": [r for r in services.result_rows(election) if r["elected"]],
    })


def public_file(request, pk: int):
    election = get_public(pk)
    response = HttpResponse(services.published_file(election), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="election-{election.pk}-ballots.json"'
    return response


urls = [
    path("new/<int:session_pk>/", election_new, name="new"),
    path("<int:pk>/", election_detail, name="detail"),
    path("<int:pk>/candidates/", set_candidates, name="candidates"),
    path("<int:pk>/officials/", official_add, name="official_add"),
    path("<int:pk>/officials/<int:official_pk>/remove/", official_remove, name="official_remove"),
    path("<int:pk>/open/", open_vote, name="open"),
    path("<int:pk>/close/", close_vote, name="close"),
    path("<int:pk>/accept/", accept, name="accept"),
    path("<int:pk>/sign/", sign, name="sign"),
    path("<int:pk>/publish/", publish, name="publish"),
    path("<int:pk>/runoff/", runoff, name="runoff"),
    path("<int:pk>/repeat/", repeat, name="repeat"),
    path("<int:pk>/unfilled/", unfilled, name="unfilled"),
    path("<int:pk>/vote/", vote, name="vote"),
    path("<int:pk>/vote/confirm/", vote_confirm, name="vote_confirm"),
    path("<int:pk>/vote/cast/", vote_cast, name="vote_cast"),
    path("<int:pk>/paper/", paper, name="paper"),
    path("<int:pk>/paper/mismatches/", mismatches, name="mismatches"),
    path("<int:pk>/print/", print_ballots, name="print"),
]

public_urls = [
    path("<int:pk>/", public_result, name="result"),
    path("<int:pk>/ballots.json", public_file, name="file"),
]
