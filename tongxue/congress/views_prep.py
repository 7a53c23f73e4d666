"""Preparation pages of a session: the timeline, the seat apportionment (with its .xlsx), the
classes' delegate elections, the credentials committee's review with substitutions, the public
notice of the delegates (see views_public) and the delegate's own page.

Everyone of the university who sees the session sees its seats, its classes and its seated
delegates; the changes are checked by services_prep (PermissionDenied → 403, logged).
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxue.core.export import xlsx_response
from tongxue.core.models import Student, StudentClass

from . import sections, services_prep
from .forms_prep import (
    ApportionmentForm, MilestoneForm, NominateForm, NoticeForm, RecordMeetingForm,
)
from .models import Apportionment, ClassCandidate, ClassMeeting, Delegate, DelegateNotice, DelegateObjection, Milestone
from .permissions import can_manage, delegate_of
from .views import get_session, session_context


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# ---------------------------------------------------------------- timeline

@login_required
def timeline(request, pk: int):
    session = get_session(request, pk)
    if not can_manage(request.user, session):
        raise PermissionDenied
    rows = [(m, MilestoneForm(instance=m, prefix=f"m{m.pk}")) for m in session.milestones.all()]
    new_form = MilestoneForm(prefix="new")
    if request.method == "POST":
        milestone = None
        if request.POST.get("milestone"):
            milestone = get_object_or_404(Milestone, session=session, pk=request.POST["milestone"])
        form = MilestoneForm(request.POST, instance=milestone, prefix=f"m{milestone.pk}" if milestone else "new")
        if request.POST.get("delete") and milestone:
            services_prep.delete_milestone(request.user, milestone)
            return redirect("congress:timeline", session.pk)
        if form.is_valid():
            try:
                services_prep.save_milestone(request.user, session, milestone, **form.cleaned_data)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("congress:timeline", session.pk)
        if milestone:
            rows = [(m, form if m.pk == milestone.pk else f) for m, f in rows]
        else:
            new_form = form
    return render(request, "congress/prep/timeline.html",
                  session_context(request, session, rows=rows, new_form=new_form))


# ---------------------------------------------------------------- seats

@login_required
def seats(request, pk: int, apk: int | None = None):
    session = get_session(request, pk)
    apportionments = list(session.apportionments.select_related("computed_by", "adopted_by"))
    if apk is not None:
        shown = next((a for a in apportionments if a.pk == apk), None)
        if shown is None:
            raise Http404
    else:
        shown = next((a for a in apportionments if a.is_adopted), apportionments[0] if apportionments else None)
    manage = can_manage(request.user, session)
    live = services_prep.roster(session)
    form = ApportionmentForm(initial={"seats": live.floor(1)}) if manage else None
    context = session_context(
        request, session, apportionments=apportionments, shown=shown,
        units=list(shown.units.select_related("college", "association")) if shown else [],
        roster=live, form=form, report=services_prep.composition_report(session))
    return render(request, "congress/prep/seats.html", context)


@login_required
@require_POST
def seats_compute(request, pk: int):
    session = get_session(request, pk)
    if not can_manage(request.user, session):
        raise PermissionDenied
    form = ApportionmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services_prep.compute_apportionment(
                request.user, session, seats=data["seats"], minimum=data["minimum"],
                association_seats=data["association_seats"], method=data["method"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Seats computed. Check the table, then adopt it."))
            return redirect("congress:seats_one", session.pk, result.pk)
    apportionments = list(session.apportionments.all())
    shown = next((a for a in apportionments if a.is_adopted), apportionments[0] if apportionments else None)
    context = session_context(
        request, session, apportionments=apportionments, shown=shown,
        units=list(shown.units.all()) if shown else [], roster=services_prep.roster(session), form=form,
        report=services_prep.composition_report(session))
    return render(request, "congress/prep/seats.html", context, status=400)


@login_required
@require_POST
def seats_adopt(request, pk: int, apk: int):
    session = get_session(request, pk)
    apportionment = get_object_or_404(Apportionment, session=session, pk=apk)
    try:
        services_prep.adopt_apportionment(request.user, apportionment)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("This apportionment is adopted: classes can now elect their delegates."))
    return redirect("congress:seats_one", session.pk, apportionment.pk)


@login_required
def seats_export(request, pk: int, apk: int):
    session = get_session(request, pk)
    apportionment = get_object_or_404(Apportionment, session=session, pk=apk)
    headers, rows = services_prep.export_rows(apportionment)
    return xlsx_response(_("Seats"), headers, rows, f"seats-{session.pk}-{apportionment.pk}.xlsx")


# ---------------------------------------------------------------- classes

@login_required
def classes(request, pk: int):
    session = get_session(request, pk)
    adopted = services_prep.adopted(session)
    meetings = {m.student_class_id: m for m in session.class_meetings.all()}
    rows = [(seat, meetings.get(seat.student_class.pk)) for seat in services_prep.class_seats(adopted)]
    from tongxue.core.scope import scope_of

    mine = scope_of(request.user).student_class_ids
    own = getattr(request.user, "student", None)
    if own is not None:
        mine = mine | {own.student_class_id}
    return render(request, "congress/prep/classes.html",
                  session_context(request, session, adopted=adopted, rows=rows, mine=mine))


def _class_of(session, class_pk: int) -> StudentClass:
    return get_object_or_404(StudentClass, university_id=session.university_id, pk=class_pk)


@login_required
def class_meeting(request, pk: int, class_pk: int):
    session = get_session(request, pk)
    student_class = _class_of(session, class_pk)
    meeting = ClassMeeting.objects.filter(session=session, student_class=student_class).first()
    seat = services_prep.class_seat(session, student_class)
    if meeting is None and seat is None:
        raise Http404
    return _render_meeting(request, session, student_class, meeting, seat)


def _render_meeting(request, session, student_class, meeting, seat, *, nominate_form=None, record_form=None,
                    status=200):
    candidates = list(meeting.candidates.select_related("student", "nominated_by")) if meeting else []
    seats_n = meeting.seats if meeting else seat.seats
    size = meeting.class_size if meeting else seat.size
    may_record = services_prep.can_record_meeting(request.user, session, student_class)
    may_nominate = services_prep.can_nominate(request.user, session, student_class)
    if may_nominate and nominate_form is None and not (meeting and meeting.is_recorded):
        taken = {c.student_id for c in candidates}
        students = session.union.served_students().filter(student_class=student_class).exclude(pk__in=taken)
        nominate_form = NominateForm(students=students.order_by("name"))
    if may_record and record_form is None and meeting and not meeting.is_recorded:
        record_form = RecordMeetingForm(candidates=candidates, initial={"held_on": timezone.localdate()})
    wanted = services_prep.required_candidates(session, seats_n, size)
    context = session_context(
        request, session, student_class=student_class, meeting=meeting, candidates=candidates, seats=seats_n,
        size=size, wanted=wanted, needed=services_prep.required_present(session, size),
        small_class=wanted < seats_n * (1 + session.share("candidate_surplus")),
        may_record=may_record, may_nominate=may_nominate, nominate_form=nominate_form, record_form=record_form,
        outcome=services_prep.meeting_outcome(meeting) if meeting else "")
    return render(request, "congress/prep/class_meeting.html", context, status=status)


@login_required
@require_POST
def class_nominate(request, pk: int, class_pk: int):
    session = get_session(request, pk)
    student_class = _class_of(session, class_pk)
    if not services_prep.can_nominate(request.user, session, student_class):
        raise PermissionDenied
    students = session.union.served_students().filter(student_class=student_class)
    form = NominateForm(request.POST, students=students)
    meeting = None
    if form.is_valid():
        try:
            meeting = services_prep.plan_meeting(request.user, session, student_class)
            services_prep.nominate(request.user, meeting, students.get(pk=form.cleaned_data["student"]))
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect("congress:class_meeting", session.pk, student_class.pk)
    meeting = meeting or ClassMeeting.objects.filter(session=session, student_class=student_class).first()
    return _render_meeting(request, session, student_class, meeting,
                           services_prep.class_seat(session, student_class), nominate_form=form, status=400)


@login_required
@require_POST
def class_withdraw(request, pk: int, class_pk: int, candidate_pk: int):
    session = get_session(request, pk)
    candidate = get_object_or_404(ClassCandidate, meeting__session=session, meeting__student_class_id=class_pk,
                                  pk=candidate_pk)
    try:
        services_prep.withdraw_nomination(request.user, candidate)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("congress:class_meeting", session.pk, class_pk)


@login_required
@require_POST
def class_record(request, pk: int, class_pk: int):
    session = get_session(request, pk)
    student_class = _class_of(session, class_pk)
    meeting = get_object_or_404(ClassMeeting, session=session, student_class=student_class)
    if not services_prep.can_record_meeting(request.user, session, student_class):
        raise PermissionDenied
    if meeting.is_recorded:
        messages.error(request, _("This class meeting has already been recorded."))
        return redirect("congress:class_meeting", session.pk, student_class.pk)
    form = RecordMeetingForm(request.POST, candidates=meeting.candidates.select_related("student"))
    if form.is_valid():
        try:
            elected = services_prep.record_meeting(
                request.user, meeting, held_on=form.cleaned_data["held_on"], present=form.cleaned_data["present"],
                votes=form.votes(), minutes=form.cleaned_data["minutes"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The meeting is recorded; %(count)s delegates elected await the "
                                        "credentials committee's review.") % {"count": len(elected)})
            return redirect("congress:class_meeting", session.pk, student_class.pk)
    return _render_meeting(request, session, student_class, meeting,
                           services_prep.class_seat(session, student_class), record_form=form, status=400)


# ---------------------------------------------------------------- delegates

@login_required
def delegates(request, pk: int):
    session = get_session(request, pk)
    reviewer = services_prep.can_review(request.user, session)
    manage = can_manage(request.user, session)
    rows = session.delegates.select_related("student__college", "student_class", "association", "replaces__student")
    if not reviewer:
        rows = rows.filter(status=Delegate.Status.SEATED)
    notice = DelegateNotice.objects.filter(session=session).first()
    adopted = services_prep.adopted(session)
    context = session_context(
        request, session, delegates=rows.order_by("status", "number", "student__name"), reviewer=reviewer,
        manage=manage, notice=notice, notice_running=bool(notice and notice.is_running(timezone.now())),
        objections=session.delegate_objections.select_related("delegate__student", "author") if reviewer else [],
        associations=[u for u in adopted.units.filter(association__isnull=False).select_related("association")]
        if adopted and manage else [],
        counts=services_prep.delegate_counts(session), notice_form=NoticeForm() if manage else None)
    return render(request, "congress/prep/delegates.html", context)


def _student_by_number(session, number: str) -> Student | None:
    return Student.objects.filter(university_id=session.university_id, student_no=(number or "").strip()).first()


def _run(request, session, action, success: str):
    try:
        action()
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, success)
    return redirect("congress:delegates", session.pk)


@login_required
@require_POST
def delegate_review(request, pk: int, delegate_pk: int):
    session = get_session(request, pk)
    delegate = get_object_or_404(Delegate, session=session, pk=delegate_pk)
    seat = request.POST.get("decision") == "seat"
    return _run(request, session, lambda: services_prep.review_delegate(
        request.user, delegate, seat=seat, note=request.POST.get("note", "")),
        _("The delegate is seated.") if seat else _("The delegate is not qualified."))


@login_required
@require_POST
def delegate_substitute(request, pk: int, delegate_pk: int):
    session = get_session(request, pk)
    delegate = get_object_or_404(Delegate, session=session, pk=delegate_pk)
    if not services_prep.can_review(request.user, session):
        raise PermissionDenied
    student = _student_by_number(session, request.POST.get("student_no"))
    if student is None:
        messages.error(request, _("No student with this number at the university."))
        return redirect("congress:delegates", session.pk)
    return _run(request, session, lambda: services_prep.substitute_delegate(
        request.user, delegate, student, request.POST.get("reason", "")), _("The substitute is seated."))


@login_required
@require_POST
def delegate_association(request, pk: int):
    session = get_session(request, pk)
    if not can_manage(request.user, session):
        raise PermissionDenied
    from tongxue.unions.models import Association

    association = get_object_or_404(Association, university_id=session.university_id,
                                    pk=request.POST.get("association") or 0)
    student = _student_by_number(session, request.POST.get("student_no"))
    if student is None:
        messages.error(request, _("No student with this number at the university."))
        return redirect("congress:delegates", session.pk)
    return _run(request, session, lambda: services_prep.add_association_delegate(
        request.user, session, association, student), _("The association's delegate awaits review."))


@login_required
@require_POST
def delegate_notice(request, pk: int):
    session = get_session(request, pk)
    if not can_manage(request.user, session):
        raise PermissionDenied
    form = NoticeForm(request.POST)
    days = form.cleaned_data["working_days"] if form.is_valid() else 5
    return _run(request, session, lambda: services_prep.publish_notice(request.user, session, days),
                _("The delegate list is on public notice."))


@login_required
@require_POST
def objection_answer(request, pk: int, objection_pk: int):
    session = get_session(request, pk)
    objection = get_object_or_404(DelegateObjection, session=session, pk=objection_pk)
    return _run(request, session, lambda: services_prep.answer_objection(
        request.user, objection, request.POST.get("answer", "")), _("The answer is saved."))


# ---------------------------------------------------------------- the delegate's own page

@login_required
def my_delegacy(request, pk: int):
    session = get_session(request, pk)
    delegate = delegate_of(request.user, session)
    if delegate is None:
        raise PermissionDenied
    adopted = services_prep.adopted(session)
    unit = adopted.units.filter(key=delegate.seat_key).first() if adopted and delegate.seat_key else None
    context = session_context(
        request, session, delegate=delegate, unit=unit, agenda=session.agenda.all(),
        sections=sections.templates(sections.DELEGATE_SECTIONS))
    return render(request, "congress/prep/me.html", context)


urls = [
    path("<int:pk>/timeline/", timeline, name="timeline"),
    path("<int:pk>/seats/", seats, name="seats"),
    path("<int:pk>/seats/compute/", seats_compute, name="seats_compute"),
    path("<int:pk>/seats/<int:apk>/", seats, name="seats_one"),
    path("<int:pk>/seats/<int:apk>/adopt/", seats_adopt, name="seats_adopt"),
    path("<int:pk>/seats/<int:apk>/seats.xlsx", seats_export, name="seats_export"),
    path("<int:pk>/classes/", classes, name="classes"),
    path("<int:pk>/classes/<int:class_pk>/", class_meeting, name="class_meeting"),
    path("<int:pk>/classes/<int:class_pk>/nominate/", class_nominate, name="class_nominate"),
    path("<int:pk>/classes/<int:class_pk>/candidates/<int:candidate_pk>/withdraw/", class_withdraw,
         name="class_withdraw"),
    path("<int:pk>/classes/<int:class_pk>/record/", class_record, name="class_record"),
    path("<int:pk>/delegates/", delegates, name="delegates"),
    path("<int:pk>/delegates/<int:delegate_pk>/review/", delegate_review, name="delegate_review"),
    path("<int:pk>/delegates/<int:delegate_pk>/substitute/", delegate_substitute, name="delegate_substitute"),
    path("<int:pk>/delegates/association/", delegate_association, name="delegate_association"),
    path("<int:pk>/delegates/notice/", delegate_notice, name="delegate_notice"),
    path("<int:pk>/delegates/objections/<int:objection_pk>/answer/", objection_answer, name="objection_answer"),
    path("<int:pk>/me/", my_delegacy, name="me"),
]
