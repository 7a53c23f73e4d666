"""The student's side of the rights desk (issue 4, items 1 and 4): file a case from a phone (with
the similar open cases shown while typing, to join one instead — 我也遇到), the cases I filed or
joined, a case's progress with its deadlines and the rating of the answer, and the private follow
link of an anonymous case, which works without login.

Privacy (conventions.md, Privacy): these pages never print a submitter; the timeline names only
those who handle the case (union cadres, offices), never another student. An anonymous case is
shown through its follow link only, on a page that carries no account details.
"""
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tongxue.core.models import Student
from tongxue.core.scope import scope_of
from tongxue.domain import sla
from tongxue.domain.workdays import SHANGHAI

from . import defaults, services
from .clock import clock_of
from .forms_student import CaseForm, RatingForm
from .models import Case, CaseEvent, CasePhoto, CaseSupporter, Category, Level
from .privacy import is_submitter

SESSION_FOLLOW = "rights_follow_link"
FOLLOW_LINK_SHOWN_FOR = datetime.timedelta(minutes=10)   # as long as the double-submit key lives


# --- helpers -------------------------------------------------------------------------------------

def _own_student(request) -> Student | None:
    student_id = scope_of(request.user).own_student_id
    if not student_id:
        return None
    return Student.objects.select_related("university").filter(pk=student_id).first()


def _enrolled_student(request) -> Student:
    """Only enrolled students file cases and join them."""
    student = _own_student(request)
    if student is None or not student.is_enrolled:
        raise PermissionDenied
    return student


def _categories(university):
    if not Category.objects.filter(university=university).exists():
        defaults.ensure_defaults(university)


def month_day(moment) -> str:
    """"11月9日" in Chinese, "November 9" elsewhere."""
    if (get_language() or "").startswith("zh"):
        return f"{moment.month}月{moment.day}日"
    return date_format(moment, "MONTH_DAY_FORMAT")


def _last_day(due: datetime.datetime) -> datetime.date:
    """A deadline is the first instant after its last day (24:00 Beijing): the day to show."""
    return (due - datetime.timedelta(seconds=1)).astimezone(SHANGHAI).date()


STEPS = [
    (Case.Status.SUBMITTED, _("Submitted")),
    (Case.Status.ACCEPTED, _("Accepted")),
    (Case.Status.IN_PROGRESS, _("In progress")),
    (Case.Status.ANSWERED, _("Answered")),
    (Case.Status.CLOSED, _("Closed")),
]
STEP_OF = {
    Case.Status.SUBMITTED: 0, Case.Status.ACCEPTED: 1, Case.Status.IN_PROGRESS: 2, Case.Status.TRANSFERRED: 2,
    Case.Status.REOPENED: 2, Case.Status.ANSWERED: 3, Case.Status.CLOSED: 4, Case.Status.MERGED: 4,
}
# The student's words for statuses and steps ("answered" is also a date field's name elsewhere).
STATUS_LABEL = {
    Case.Status.SUBMITTED: pgettext_lazy("case status", "submitted"),
    Case.Status.ACCEPTED: pgettext_lazy("case status", "accepted"),
    Case.Status.IN_PROGRESS: pgettext_lazy("case status", "in progress"),
    Case.Status.TRANSFERRED: pgettext_lazy("case status", "transferred"),
    Case.Status.ANSWERED: pgettext_lazy("case status", "answered"),
    Case.Status.CLOSED: pgettext_lazy("case status", "closed"),
    Case.Status.REOPENED: pgettext_lazy("case status", "reopened"),
    Case.Status.MERGED: pgettext_lazy("case status", "merged"),
}
KIND_LABEL = {
    CaseEvent.Kind.SUBMITTED: pgettext_lazy("case step", "Submitted"),
    CaseEvent.Kind.LOGGED: pgettext_lazy("case step", "Recorded offline by the union"),
    CaseEvent.Kind.ACCEPTED: pgettext_lazy("case step", "Accepted"),
    CaseEvent.Kind.STARTED: pgettext_lazy("case step", "Work started"),
    CaseEvent.Kind.MOVED: pgettext_lazy("case step", "Passed to another level"),
    CaseEvent.Kind.TRANSFERRED: pgettext_lazy("case step", "Transferred to an office"),
    CaseEvent.Kind.RETURNED: pgettext_lazy("case step", "Returned by the office to the union"),
    CaseEvent.Kind.ANSWERED: pgettext_lazy("case step", "Answered"),
    CaseEvent.Kind.RATED: pgettext_lazy("case step", "Rated"),
    CaseEvent.Kind.REOPENED: pgettext_lazy("case step", "Reopened"),
    CaseEvent.Kind.CLOSED: pgettext_lazy("case step", "Closed"),
    CaseEvent.Kind.MERGED: pgettext_lazy("case step", "Merged with a case on the same problem"),
    CaseEvent.Kind.JOINED: pgettext_lazy("case step", "Another student met it too"),
    CaseEvent.Kind.ESCALATED: pgettext_lazy("case step", "Deadline passed: escalated"),
    CaseEvent.Kind.VISIBILITY: pgettext_lazy("case step", "Publication changed"),
    CaseEvent.Kind.NOTE: pgettext_lazy("case step", "Note"),
}


def _label(case: Case) -> None:
    """Status label and badge colour for the templates."""
    case.status_label = STATUS_LABEL[Case.Status(case.status)]
    case.badge = STATUS_BADGE[Case.Status(case.status)]


STATUS_BADGE = {
    Case.Status.SUBMITTED: "text-bg-secondary", Case.Status.ACCEPTED: "text-bg-info",
    Case.Status.IN_PROGRESS: "text-bg-primary", Case.Status.TRANSFERRED: "text-bg-primary",
    Case.Status.ANSWERED: "text-bg-warning", Case.Status.CLOSED: "text-bg-success",
    Case.Status.REOPENED: "text-bg-danger", Case.Status.MERGED: "text-bg-light",
}


def steps_of(case: Case) -> list[dict]:
    """The progress bar: submitted → accepted → in progress / transferred → answered → closed."""
    current = STEP_OF[Case.Status(case.status)]
    steps = []
    for i, (status, label) in enumerate(STEPS):
        if i == 2 and case.status in (Case.Status.TRANSFERRED, Case.Status.REOPENED):
            label = STATUS_LABEL[Case.Status(case.status)]
        steps.append({"label": label, "state": "done" if i < current else "current" if i == current else "todo"})
    return steps


def deadline_lines(case: Case, now) -> list[dict]:
    """What the student is told about time: the next deadlines in plain words, or why they
    cannot be counted (a year missing from the working-day calendar)."""
    if case.status not in Case.OPEN:
        return []
    view = clock_of(case, now)
    if view.gap is not None:
        return [{"text": format_lazy(_("The deadline cannot be counted yet (the working-day calendar of {year} is "
                                       "not entered); the union still handles your case as usual."),
                                     year=view.gap.year), "late": False}]
    wanted = {Case.Status.SUBMITTED: [sla.Stage.ACCEPT, sla.Stage.FIRST_ANSWER],
              Case.Status.REOPENED: [sla.Stage.CLOSE]}.get(Case.Status(case.status), [sla.Stage.FIRST_ANSWER])
    due_text = {sla.Stage.ACCEPT: _("Expected to be accepted by {day}"),
                sla.Stage.FIRST_ANSWER: _("Expected answer by {day}"),
                sla.Stage.CLOSE: _("Expected to be settled by {day}")}
    late_text = {sla.Stage.ACCEPT: _("Not accepted by {day}: passed on to the level above and the League teacher"),
                 sla.Stage.FIRST_ANSWER: _("Not answered by {day}: passed on to the level above and the League "
                                           "teacher"),
                 sla.Stage.CLOSE: _("Not settled by {day}: passed on to the level above and the League teacher")}
    lines = []
    for stage in wanted:
        clock = view.stage(stage)
        if clock is None or clock.status in (sla.Status.MET, sla.Status.LATE):
            continue
        late = clock.status is sla.Status.BREACHED
        text = (late_text if late else due_text)[stage]
        lines.append({"text": format_lazy(text, day=month_day(_last_day(clock.due))), "late": late})
    return lines


STUDENT_KINDS = {CaseEvent.Kind.SUBMITTED, CaseEvent.Kind.RATED, CaseEvent.Kind.REOPENED}


def _who(event: CaseEvent, viewer) -> str:
    """Who took a step, as the student may see it: never another student, only the union body
    (with the cadre's name) or the office."""
    if event.kind in STUDENT_KINDS:
        if event.actor_id and viewer is not None and event.actor_id == viewer.pk:
            return _("you")
        return _("the student who raised it")
    if event.kind == CaseEvent.Kind.JOINED:
        return _("another student")
    if event.office_id:
        return event.office.name
    if event.kind == CaseEvent.Kind.ESCALATED:
        return _("the deadline clock")
    if event.actor_id is None:
        return ""
    body = event.union.name if event.union_id else Level(event.level).label if event.level else ""
    return " · ".join(s for s in (str(body), event.actor.full_name) if s)


def timeline(case: Case, viewer) -> list[dict]:
    events = (CaseEvent.objects.filter(university_id=case.university_id, case=case, is_internal=False)
              .select_related("actor", "union", "office"))
    rows = []
    for event in events:
        text = "" if event.kind == CaseEvent.Kind.ANSWERED else event.text
        when = timezone.localtime(event.created)
        rows.append({"kind": KIND_LABEL.get(event.kind, event.kind), "code": event.kind, "who": _who(event, viewer),
                     "text": text, "when": f"{month_day(when)} {when:%H:%M}"})
    return rows


def _detail_context(request, case: Case, *, token: str = "", rating_form=None) -> dict:
    viewer = request.user if request.user.is_authenticated and not token else None
    rating_allowed = case.status == Case.Status.ANSWERED and services.can_rate(request.user, case, token)
    answered_by = (case.answered_by_office.name if case.answered_by_office_id
                   else case.union.name if case.union_id else "")
    _label(case)
    return {
        "case": case, "token": token, "steps": steps_of(case),
        "deadlines": deadline_lines(case, timezone.now()), "events": timeline(case, viewer),
        "photos": list(case.photos.all()), "answered_by": answered_by,
        "is_own": bool(viewer and is_submitter(viewer, case)),
        "has_joined": bool(viewer and CaseSupporter.objects.filter(
            university_id=case.university_id, case=case, student_id=scope_of(viewer).own_student_id or 0).exists()),
        "rating_form": (rating_form or RatingForm()) if rating_allowed else None,
        "merged_into": case.merged_into if case.merged_into_id else None,
        "nav_active": "rights_mine",
    }


# --- intake --------------------------------------------------------------------------------------

@login_required
def new_case(request):
    """/rights/new/: file a case in under a minute."""
    student = _enrolled_student(request)
    _categories(student.university)
    form = CaseForm(request.POST or None, request.FILES or None, university=student.university)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.submit_case(
                request.user, category=data["category"], title=data["title"], description=data["description"],
                place=data["place"], identity=data["identity"], photos=data["photos"],
                photos_public=data["photos_public"])
        except services.CaseError as error:
            form.add_error(None, error)
        else:
            return _after_submit(request, result)
    return render(request, "rights/student/new.html", {"form": form, "nav_active": "rights_new"})


def _after_submit(request, result: services.Submission):
    case = result.case
    if case.identity != Case.Identity.ANONYMOUS:
        if result.created:
            messages.success(request, format_lazy(_("Your case {ref} was filed. You will be notified of every step."),
                                                  ref=case.reference))
        return redirect("rights:case", pk=case.pk)
    if result.created:
        # Kept in the session only until it is shown (or ten minutes), so that a double tap — whose
        # first response the browser drops — still shows the link.
        request.session[SESSION_FOLLOW] = {"token": result.follow_token, "at": timezone.now().isoformat()}
    return redirect("rights:submitted")


@login_required
@never_cache
def submitted(request):
    """Shown once after filing an anonymous case: its private follow link."""
    stored = request.session.pop(SESSION_FOLLOW, None)
    token = ""
    if stored and timezone.now() - datetime.datetime.fromisoformat(stored["at"]) < FOLLOW_LINK_SHOWN_FOR:
        token = stored["token"]
    link = request.build_absolute_uri(reverse("rights:follow", args=[token])) if token else ""
    # An anonymous case's page shows no account: the navigation is drawn as for a visitor.
    return render(request, "rights/student/submitted.html", {"link": link, "user": AnonymousUser()})


@login_required
@require_GET
def similar(request):
    """/rights/similar/ (htmx): open public cases like the text being typed."""
    student = _own_student(request)
    if student is None:
        raise PermissionDenied
    text = f"{request.GET.get('title', '')} {request.GET.get('description', '')}".strip()
    cases = []
    if len(text) >= 4:
        category = None
        if request.GET.get("category", "").isdigit():
            category = Category.objects.filter(university_id=student.university_id,
                                               pk=request.GET["category"]).first()
        cases = services.similar_open_cases(student.university_id, text[:2000], category=category)
        if cases:
            pks = [c.pk for c in cases]
            joined = set(CaseSupporter.objects.filter(university_id=student.university_id, case_id__in=pks,
                                                      student=student).values_list("case_id", flat=True))
            own = set(Case.objects.filter(pk__in=pks, submitter=student).values_list("pk", flat=True))
            for case in cases:
                case.is_mine = case.pk in own
                case.has_joined = case.pk in joined
                _label(case)
    return render(request, "rights/student/_similar.html", {"cases": cases})


@login_required
@require_POST
def join(request, pk):
    """我也遇到: count me in on an open case instead of filing a duplicate."""
    student = _enrolled_student(request)
    case = get_object_or_404(
        Case.objects.filter(university_id=student.university_id).filter(
            Q(is_public=True) | Q(pk__in=Case.objects.visible_to(request.user).values("pk"))), pk=pk)
    error = None
    try:
        services.join_case(request.user, case)
    except services.CaseError as exc:
        error = exc.messages[0]
    case.refresh_from_db(fields=["supporter_count"])
    _label(case)
    if request.htmx:
        return render(request, "rights/student/_joined.html", {"case": case, "error": error})
    if error:
        messages.error(request, error)
        return redirect("rights:new")
    messages.success(request, _("Joined: you will be notified of the answer."))
    return redirect("rights:case", pk=case.pk)


# --- my cases and a case -------------------------------------------------------------------------

@login_required
def mine(request):
    """/rights/mine/: the cases I filed and the ones I joined, newest first."""
    student = _own_student(request)
    if student is None:
        raise PermissionDenied
    joined = CaseSupporter.objects.filter(case=OuterRef("pk"), student=student)
    cases = (Case.objects.visible_to(request.user)
             .filter(Q(submitter=student) | Q(Exists(joined)))
             .annotate(has_joined=Exists(joined))
             .select_related("category").order_by("-submitted_at", "-pk"))
    cases = list(cases[:200])
    for case in cases:
        _label(case)
    return render(request, "rights/student/mine.html", {
        "cases": cases, "can_file": student.is_enrolled, "nav_active": "rights_mine"})


def case_detail_student(request, case, *, rating_form=None, status=200):
    """The student's view of a case they filed or joined (dispatched from `views.case_detail`)."""
    return render(request, "rights/student/case.html", _detail_context(request, case, rating_form=rating_form),
                  status=status)


@login_required
@require_POST
def rate(request, pk):
    case = get_object_or_404(Case.objects.visible_to(request.user).select_related(
        "category", "union", "office", "answered_by_office", "merged_into"), pk=pk)
    if not services.can_rate(request.user, case):
        raise PermissionDenied
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            case = services.rate_case(request.user, case, form.cleaned_data["satisfaction"],
                                      form.cleaned_data["comment"])
        except services.CaseError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _rated_message(case))
            return redirect("rights:case", pk=case.pk)
    return case_detail_student(request, case, rating_form=form, status=400)


def _rated_message(case: Case):
    # a reopened case explains itself on the page (see the template)
    return _("Thank you for rating the answer.")


# --- the private follow link of an anonymous case ------------------------------------------------

def _case_by_token(token: str) -> Case:
    if not token or len(token) > 64:
        raise Http404
    return get_object_or_404(Case.objects.select_related(
        "category", "union", "office", "answered_by_office", "merged_into"),
        follow_token_hash=services.follow_token_hash(token))


@never_cache
def follow(request, token):
    """/rights/follow/<token>/: an anonymous case, for whoever holds its link (no login)."""
    case = _case_by_token(token)
    form = None
    status = 200
    if request.method == "POST":
        if not services.can_rate(request.user, case, token):
            raise PermissionDenied
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                case = services.rate_case(request.user, case, form.cleaned_data["satisfaction"],
                                          form.cleaned_data["comment"], token=token)
            except services.CaseError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _rated_message(case))
                return redirect("rights:follow", token=token)
        status = 400
    context = _detail_context(request, case, token=token, rating_form=form)
    context["user"] = AnonymousUser()   # the page carries no account details
    return render(request, "rights/student/case.html", context, status=status)


@never_cache
def follow_photo(request, token, pk):
    case = _case_by_token(token)
    photo = get_object_or_404(CasePhoto, case=case, pk=pk)
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


urls = [
    path("new/", new_case, name="new"),
    path("new/done/", submitted, name="submitted"),
    path("similar/", similar, name="similar"),
    path("mine/", mine, name="mine"),
    path("cases/<int:pk>/join/", join, name="join"),
    path("cases/<int:pk>/rate/", rate, name="rate"),
    path("follow/<str:token>/", follow, name="follow"),
    path("follow/<str:token>/photos/<int:pk>/", follow_photo, name="follow_photo"),
]
