"""The handling side of the rights desk (issue 4, items 1–3): the inbox of the cases a union
cadre, class representative, League teacher, administrator or office staff member can act on, the
handling page of one case with its clock and the actions that apply, and the offline case a cadre
logs at a stall or forum.

Scope: every list starts from `Case.objects.visible_to(user)` and keeps the cases the user can act
on (`privacy.can_handle` or `privacy.is_office_staff`, mirrored as a filter in `Case.objects.actionable_by`).
Identities are read through `privacy.submitter_for` only. Every action is a POST that calls one
function of `services`; `PermissionDenied` becomes a 403 (logged by the middleware) and a
`CaseError` is shown next to the form with nothing changed.
"""
import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongxue.core.scope import scope_of
from tongxue.domain import sla
from tongxue.domain.workdays import SHANGHAI, CalendarGap

from . import privacy, routing, services
from .clock import calendar_for, clock_of, deadlines_for
from .forms_handling import (AnswerForm, InboxFilterForm, InternalNoteForm, MergeForm, MoveForm, NoteForm,
                             OfflineCaseForm, PublicForm, TransferForm)
from .models import Case, CaseEvent, Office

PAGE_SIZE = 25
Status = Case.Status

# Inbox tabs: key → (label, statuses; None for all)
TABS = {
    "pending": (pgettext_lazy("rights inbox", "To accept"), (Status.SUBMITTED,)),
    "working": (pgettext_lazy("rights inbox", "In progress"), (Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED)),
    "transferred": (pgettext_lazy("rights inbox", "Transferred"), (Status.TRANSFERRED,)),
    "answered": (pgettext_lazy("rights inbox", "Answered"), (Status.ANSWERED,)),
    "closed": (pgettext_lazy("rights inbox", "Closed"), (Status.CLOSED, Status.MERGED)),
    "all": (pgettext_lazy("rights inbox", "All"), None),
}
STAGE_DUE = {sla.Stage.ACCEPT: gettext_lazy("Accept by"), sla.Stage.FIRST_ANSWER: gettext_lazy("Answer by"),
             sla.Stage.CLOSE: gettext_lazy("Close by")}
STAGE_NAME = {sla.Stage.ACCEPT: pgettext_lazy("case stage", "Accept"),
              sla.Stage.FIRST_ANSWER: pgettext_lazy("case stage", "First answer"),
              sla.Stage.CLOSE: pgettext_lazy("case stage", "Close")}
STAGE_STATUS = {
    sla.Status.MET: (gettext_lazy("on time"), "success"),
    sla.Status.LATE: (gettext_lazy("late"), "warning"),
    sla.Status.BREACHED: (gettext_lazy("overdue"), "danger"),
    sla.Status.RUNNING: (gettext_lazy("running"), "secondary"),
    sla.Status.PAUSED: (gettext_lazy("paused"), "info"),
}
STATUS_BADGE = {
    Status.SUBMITTED: "primary", Status.ACCEPTED: "info", Status.IN_PROGRESS: "info", Status.TRANSFERRED: "warning",
    Status.ANSWERED: "success", Status.CLOSED: "secondary", Status.REOPENED: "danger", Status.MERGED: "secondary",
}


# --- who may use the handling pages -------------------------------------------------------------

def office_ids_of(user) -> list[int]:
    return list(user.rights_offices.filter(is_active=True).values_list("pk", flat=True))


def handles_cases(user, office_ids=None) -> bool:
    """Users with an inbox: cadres, class representatives, League teachers, administrators and
    office staff (the navigation shows "Rights cases" to them)."""
    if not user.is_authenticated:
        return False
    return services.can_log_offline(user) or bool(office_ids_of(user) if office_ids is None else office_ids)


# --- the clock, as shown ------------------------------------------------------------------------

def due_label(due: datetime.datetime) -> str:
    """A deadline as people say it: the end of a day is "24:00" of that day, not 0:00 of the next."""
    local = due.astimezone(SHANGHAI)
    if (local.hour, local.minute) == (0, 0):
        day, time = (local - datetime.timedelta(minutes=1)).date(), "24:00"
    else:
        day, time = local.date(), f"{local:%H:%M}"
    if (get_language() or "").startswith("zh"):
        return f"{day.month}月{day.day}日 {time}"
    return f"{day.isoformat()} {time}"


@dataclass(frozen=True)
class StageRow:
    stage: sla.Stage
    name: str
    due: str
    status: str
    status_label: str
    css: str
    done_at: datetime.datetime | None
    escalated: bool


@dataclass(frozen=True)
class ClockSummary:
    """What a row of the inbox shows: the next stage due (red when breached), or the gap."""
    stages: tuple[StageRow, ...] = ()
    next_label: str = ""
    next_due: str = ""
    is_breached: bool = False
    gap: str = ""

    @property
    def is_done(self) -> bool:
        return not self.gap and not self.next_label


def gap_message(gap: CalendarGap) -> str:
    return format_lazy(_("Deadlines cannot be counted: the working-day calendar has no data for {year}."),
                       year=gap.year)


def summarise(view) -> ClockSummary:
    if view.gap is not None:
        return ClockSummary(gap=gap_message(view.gap))
    rows = tuple(StageRow(s.stage, STAGE_NAME[s.stage], due_label(s.due), s.status, *STAGE_STATUS[s.status],
                          s.done_at, s.escalated) for s in view.stages)
    pending = [s for s in view.stages if s.status in (sla.Status.BREACHED, sla.Status.RUNNING, sla.Status.PAUSED)]
    if not pending:
        return ClockSummary(rows)
    first = pending[0]
    return ClockSummary(rows, str(STAGE_DUE[first.stage]), due_label(first.due), first.status == sla.Status.BREACHED)


class Calendars:
    """One calendar and one set of deadlines per university for a whole page."""

    def __init__(self):
        self._calendars, self._deadlines = {}, {}

    def get(self, university_id):
        if university_id not in self._calendars:
            self._calendars[university_id] = calendar_for(university_id)
            self._deadlines[university_id] = deadlines_for(university_id)
        return self._calendars[university_id], self._deadlines[university_id]

    def clock(self, case: Case, now) -> ClockSummary:
        if case.is_finished:
            return ClockSummary()
        calendar, deadlines = self.get(case.university_id)
        return summarise(clock_of(case, now, calendar=calendar, deadlines=deadlines))


def _breach_cutoff(calendar, days: int, now) -> datetime.datetime:
    """The first submission time whose deadline `days` working days later is still ahead of `now`:
    every case submitted before it has breached the stage unless it was done. Deadlines grow with
    the submission day, so we walk back from today until the deadline is no later than `now`."""
    day = now.astimezone(SHANGHAI).date()
    while calendar.add_working_days(day, days) > now:
        day -= datetime.timedelta(days=1)
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=SHANGHAI)


def overdue_filter(university_ids, now, calendars: Calendars) -> Q:
    """Cases with a stage breached at `now` (the clock's BREACHED), as one filter: a stage is
    breached when neither it nor a later stage is done and its deadline has passed.
    Raises CalendarGap when a university's calendar lacks a year it needs."""
    q = Q(pk__in=[])
    for university_id in university_ids:
        calendar, deadlines = calendars.get(university_id)
        accept = _breach_cutoff(calendar, deadlines.accept, now)
        answer = _breach_cutoff(calendar, deadlines.first_answer, now)
        close = _breach_cutoff(calendar, deadlines.close, now)
        q |= Q(university_id=university_id) & (
            Q(accepted_at__isnull=True, answered_at__isnull=True, submitted_at__lt=accept)
            | Q(answered_at__isnull=True, submitted_at__lt=answer)
            | Q(submitted_at__lt=close))
    return q & Q(status__in=(*Case.OPEN, Status.ANSWERED))


# --- inbox -------------------------------------------------------------------------------------

@login_required
def inbox(request):
    user = request.user
    office_ids = office_ids_of(user) if user.is_authenticated else []
    if not handles_cases(user, office_ids):
        raise PermissionDenied
    scope = scope_of(user)
    cases = Case.objects.actionable_by(user, office_ids)
    university_ids = None if scope.all_universities else sorted(scope.university_ids)
    filters = InboxFilterForm(request.GET or None, university_ids=university_ids)
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {})
    now = timezone.now()
    calendars = Calendars()
    gap = ""
    if data.get("category"):
        cases = cases.filter(category=data["category"])
    if data.get("overdue"):
        in_scope = sorted(cases.order_by().values_list("university_id", flat=True).distinct())
        try:
            cases = cases.filter(overdue_filter(in_scope, now, calendars))
        except CalendarGap as error:
            gap = gap_message(error)
            cases = cases.none()
    counts = dict(cases.order_by().values_list("status").annotate(n=Count("pk")))
    tab = request.GET.get("status", "all")
    if tab not in TABS:
        tab = "all"
    statuses = TABS[tab][1]
    if statuses:
        cases = cases.filter(status__in=statuses)
    cases = cases.select_related("category", "college", "handler", "office", "union").order_by("-submitted_at",
                                                                                                "-pk")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(case, calendars.clock(case, now), STATUS_BADGE[case.status]) for case in page]
    tabs = [(key, label, sum(counts.get(s, 0) for s in (sts or counts))) for key, (label, sts) in TABS.items()]
    params = request.GET.copy()
    params.pop("page", None)
    only_office = not services.can_log_offline(user)
    offices = Office.objects.filter(pk__in=office_ids) if only_office else ()
    return render(request, "rights/handling/inbox.html", {
        "page": page, "rows": rows, "tabs": tabs, "tab": tab, "filters": filters, "gap": gap,
        "query": params.urlencode(), "tab_query": _without(params, "status"),
        "offices": offices, "can_log_offline": _may_log_offline(user),
        "nav_active": "rights_cases",
    })


def _without(params, key) -> str:
    params = params.copy()
    params.pop(key, None)
    return params.urlencode()


def _may_log_offline(user) -> bool:
    return services.can_log_offline(user) and user.university_id is not None


# --- handling page of one case -------------------------------------------------------------------

@dataclass(frozen=True)
class TimelineEntry:
    event: CaseEvent
    who: str


def _timeline(case: Case, submitter) -> list[TimelineEntry]:
    """The whole history with internal notes. The student's own steps are shown under the name
    the viewer may see (never the account of a hidden or anonymous submitter)."""
    student_user_id = case.submitter.user_id if case.submitter_id else None
    entries = []
    for event in case.events.select_related("actor", "office"):
        if event.actor_id is None:
            who = _("the clock") if event.kind == CaseEvent.Kind.ESCALATED else ""
        elif event.actor_id == student_user_id:
            who = submitter.name if submitter else _("the student")
        else:
            who = event.actor.full_name or event.actor.login_id
        entries.append(TimelineEntry(event, who))
    return entries


def _available(user, case: Case, handles: bool) -> dict:
    """Which actions the page offers to this user for the case's status."""
    office = privacy.is_office_staff(user, case)
    status = case.status
    union_work = handles and case.is_open and status != Status.TRANSFERRED
    return {
        "accept": handles and case.can_move_to(Status.ACCEPTED),
        "start": (handles and status in (Status.ACCEPTED, Status.REOPENED))
        or ((handles or office) and status == Status.TRANSFERRED),
        "move_up": union_work and routing.body_above(case) is not None,
        "move_down": union_work and routing.body_below(case) is not None,
        "transfer": handles and case.can_move_to(Status.TRANSFERRED),
        "answer": case.can_move_to(Status.ANSWERED) and (handles or (office and status == Status.TRANSFERRED)),
        "close": handles and status == Status.ANSWERED,
        "merge": handles and case.can_move_to(Status.MERGED),
        "publish": handles,
        "note": handles or office,
    }


def _merge_cases(user, case: Case):
    """The cases this one may be merged into: open cases the user handles."""
    return Case.objects.actionable_by(user).filter(status__in=Case.OPEN).exclude(pk=case.pk)


def _similar(case: Case, cases) -> list:
    found = services.similar_open_cases(case.university_id, f"{case.title} {case.description}",
                                        category=case.category, limit=6)
    allowed = set(cases.filter(pk__in=[c.pk for c in found]).values_list("pk", flat=True))
    return [c for c in found if c.pk in allowed][:5]


def _forms(user, case: Case, available: dict, bound: dict | None = None) -> dict:
    """The action forms, unbound except the one that was just posted with errors."""
    bound = bound or {}
    forms = {
        "accept": NoteForm(prefix="accept"),
        "start": NoteForm(prefix="start"),
        "transfer": TransferForm(case=case, prefix="transfer"),
        "answer": AnswerForm(prefix="answer"),
        "close": NoteForm(prefix="close"),
        "publish": PublicForm(prefix="publish", initial={"is_public": not case.is_public}),
        "note": InternalNoteForm(prefix="note"),
    }
    if available["merge"] and "merge" not in bound:
        cases = _merge_cases(user, case)
        forms["merge"] = MergeForm(case=case, cases=cases, similar=_similar(case, cases), prefix="merge")
    forms.update(bound)
    return forms


def case_detail_handling(request, case: Case, *, bound: dict | None = None, status: int = 200):
    """The handling page: everything a handler (or the office the case went to) needs on a phone.
    Called by `views.case_detail` for users who can act on the case."""
    user = request.user
    handles = privacy.can_handle(user, case)
    if not (handles or privacy.is_office_staff(user, case)):
        raise PermissionDenied
    submitter = privacy.submitter_for(user, case, handles=handles)
    available = _available(user, case, handles)
    now = timezone.now()
    clock = Calendars().clock(case, now)
    return render(request, "rights/handling/case.html", {
        "case": case, "submitter": submitter, "handles": handles, "clock": clock,
        "status_css": STATUS_BADGE[case.status], "photos": list(case.photos.all()),
        "timeline": _timeline(case, submitter), "can": available, "forms": _forms(user, case, available, bound),
        "nav_active": "rights_cases",
    }, status=status)


# --- actions ------------------------------------------------------------------------------------

# Actions only the union side may take; office staff answer, return the case and write notes.
UNION_ONLY = {"accept", "move", "transfer", "close", "merge", "publish"}


def _note_posted_twice(user, case: Case, text: str) -> bool:
    recent = timezone.now() - datetime.timedelta(minutes=1)
    return case.events.filter(kind=CaseEvent.Kind.NOTE, actor=user, text=text.strip(), created__gte=recent).exists()


def _perform(user, case: Case, action: str, form) -> str:
    """Run one action through its service; returns the success message. Raises CaseError."""
    data = form.cleaned_data
    if action == "accept":
        services.accept_case(user, case, note=data["note"])
        return _("Case accepted.")
    if action == "start":
        returned = case.status == Status.TRANSFERRED
        services.start_work(user, case, note=data["note"])
        return _("The case is back with the union.") if returned else _("Work on the case started.")
    if action == "move":
        with transaction.atomic():
            current = Case.objects.select_for_update().get(pk=case.pk)
            if current.level != data["from_level"]:
                raise services.CaseError(_("The case was moved meanwhile: check its level and try again."))
            moved = services.move_case(user, current, data["direction"], note=data["note"])
        return format_lazy(_("The case is now with the {level} level."), level=moved.get_level_display())
    if action == "transfer":
        services.transfer_case(user, case, data["office"], note=data["note"])
        return format_lazy(_("Case transferred to {office}."), office=data["office"].name)
    if action == "answer":
        services.answer_case(user, case, data["text"])
        return _("Answer sent to the student.")
    if action == "close":
        services.close_case(user, case, note=data["note"])
        return _("Case closed.")
    if action == "merge":
        into = services.merge_case(user, case, data["into"], note=data["note"])
        return format_lazy(_("Case merged into {ref}."), ref=into.reference)
    if action == "publish":
        services.set_public(user, case, data["is_public"], reason=data["reason"])
        return _("The case is on the public board again.") if data["is_public"] else _(
            "The case is withheld from the public board.")
    if action == "note":
        with transaction.atomic():
            Case.objects.select_for_update().filter(pk=case.pk).first()
            if not _note_posted_twice(user, case, data["text"]):
                services.add_note(user, case, data["text"])
        return _("Note added.")
    raise ValueError(action)


def _action_form(user, case: Case, action: str, data):
    if action in ("accept", "start", "close"):
        return NoteForm(data, prefix=action)
    if action == "move":
        return MoveForm(data, prefix="move")
    if action == "transfer":
        return TransferForm(data, case=case, prefix="transfer")
    if action == "answer":
        return AnswerForm(data, prefix="answer")
    if action == "merge":
        # a case picked from the similar list must still be an open case the user handles
        cases = _merge_cases(user, case)
        target = data.get("merge-target", "")
        similar = list(cases.filter(pk=int(target))) if target.isdigit() else []
        return MergeForm(data, case=case, cases=cases, similar=similar, prefix="merge")
    if action == "publish":
        return PublicForm(data, prefix="publish")
    return InternalNoteForm(data, prefix="note")


@login_required
@require_POST
def case_action(request, pk, action):
    """POST /rights/cases/<pk>/<action>/: one step on the case, then back to its page."""
    user = request.user
    case = get_object_or_404(Case.objects.visible_to(user).select_related(
        "category", "submitter", "college", "union", "handler", "office", "answered_by_office"), pk=pk)
    handles = privacy.can_handle(user, case)
    if not (handles or (action not in UNION_ONLY and privacy.is_office_staff(user, case))):
        raise PermissionDenied
    form = _action_form(user, case, action, request.POST)
    if form.is_valid():
        try:
            if not handles and action in ("answer", "start") and case.status != Status.TRANSFERRED:
                # e.g. the office's second click on "send": the case has left the office's hands
                raise services.CaseError(_("This case is no longer waiting for your office."))
            message = _perform(user, case, action, form)
        except services.CaseError as error:
            form.add_error(None, error)
        else:
            messages.success(request, message)
            return redirect("rights:case", pk=case.pk)
    messages.error(request, " ".join(str(e) for e in form.non_field_errors()) or _("Please correct the form."))
    return case_detail_handling(request, case, bound={action: form}, status=400)


# --- offline case --------------------------------------------------------------------------------

@login_required
def offline(request):
    """A case heard at a stall, a forum or in direct contact (issue 4, item 1)."""
    user = request.user
    if not _may_log_offline(user):
        raise PermissionDenied
    form = OfflineCaseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.log_offline_case(
                user, student=data["student_no"], consent=data["consent"], source=data["source"],
                category=data["category"], title=data["title"], description=data["description"],
                place=data["place"], identity=data["identity"])
        except services.CaseError as error:
            form.add_error(None, error)
        else:
            messages.success(request, format_lazy(_("Case {ref} logged."), ref=case.reference))
            if Case.objects.visible_to(user).filter(pk=case.pk).exists():
                return redirect("rights:case", pk=case.pk)
            return redirect("rights:inbox")
    return render(request, "rights/handling/offline.html", {"form": form, "nav_active": "rights_cases"})


ACTIONS = ("accept", "start", "move", "transfer", "answer", "close", "merge", "publish", "note")

urls = [
    path("", inbox, name="inbox"),
    path("offline/", offline, name="offline"),
    *(path(f"cases/<int:pk>/{action}/", case_action, {"action": action}, name=f"case_{action}")
      for action in ACTIONS),
]
