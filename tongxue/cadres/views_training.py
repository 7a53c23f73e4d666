"""Training pages: organisers create sessions and show the check-in code; cadres check in on
their phone and see their record (issue 3, item 5)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxue.core.models import Student
from tongxue.core.scope import scope_of

from . import training
from .forms_training import CheckInForm, TrainingSessionForm
from .models import TrainingSession


def _own_student(request):
    student = getattr(request.user, "student", None)
    if student is None:
        raise PermissionDenied
    return student


@login_required
def my_training(request):
    student = _own_student(request)
    attendances, hours = training.record(student)
    return render(request, "cadres/training/mine.html", {
        "form": CheckInForm(), "attendances": attendances, "hours": hours, "nav_active": "my_training",
    })


@login_required
@require_POST
def check_in(request):
    student = _own_student(request)
    form = CheckInForm(request.POST)
    attendance = created = error = None
    if form.is_valid():
        try:
            attendance, created = training.check_in(student, form.cleaned_data["code"],
                                                    remote_addr=request.META.get("REMOTE_ADDR"),
                                                    path=request.get_full_path())
        except training.CheckInError as exc:
            error = str(exc)
    else:
        error = _("Enter the 6-digit code shown by the organiser.")
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif created:
            messages.success(request, _("Checked in to “%(title)s”.") % {"title": attendance.session.title})
        else:
            messages.info(request, _("You had already checked in to “%(title)s”.") % {"title": attendance.session.title})
        return redirect("cadres:my_training")
    attendances, hours = training.record(student)
    return render(request, "cadres/training/_check_in.html", {
        "form": CheckInForm() if attendance else form, "error": error, "attendance": attendance,
        "created": created, "attendances": attendances, "hours": hours, "oob": attendance is not None,
    })


@login_required
def session_list(request):
    if not training.can_organise(request.user):
        raise PermissionDenied
    sessions = TrainingSession.objects.organised_by(request.user).select_related("union")[:200]
    return render(request, "cadres/training/session_list.html", {"sessions": sessions, "nav_active": "training"})


@login_required
def session_create(request):
    if not training.can_organise(request.user):
        raise PermissionDenied
    university = request.user.university
    may_omit_union = university is not None and training.can_organise_without_union(request.user, university.pk)
    form = TrainingSessionForm(request.POST or None, user=request.user, may_omit_union=may_omit_union)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = training.create_session(
            request.user, university=university, union=data["union"],
            level=data.get("level") or TrainingSession.Level.SCHOOL, title=data["title"],
            starts_at=data["starts_at"], place=data["place"], hours=data["hours"],
            required_for_appointment=data["required_for_appointment"],
        )
        messages.success(request, _("Training session created."))
        return redirect("cadres:training_session", pk=session.pk)
    return render(request, "cadres/training/session_form.html", {"form": form, "nav_active": "training"})


@login_required
def session_detail(request, pk):
    session = get_object_or_404(TrainingSession.objects.visible_to(request.user).select_related("union"), pk=pk)
    if not TrainingSession.objects.organised_by(request.user).filter(pk=session.pk).exists():
        raise PermissionDenied
    attendances = session.attendances.select_related("student__college", "student__student_class")
    return render(request, "cadres/training/session_detail.html", {
        "session": session, "attendances": attendances, "is_open": session.is_check_in_open(),
        "now": timezone.now(), "nav_active": "training",
    })


@login_required
def student_record(request, pk):
    scope = scope_of(request.user)
    visible = Student.objects.visible_to(request.user)
    student = get_object_or_404(visible if pk != scope.own_student_id else Student.objects, pk=pk)
    if not training.can_view_record(request.user, student):
        raise PermissionDenied
    attendances, hours = training.record(student)
    return render(request, "cadres/training/record.html", {"student": student, "attendances": attendances,
                                                           "hours": hours})


def training_section(request, student):
    """The training record on the student's own page (/me/)."""
    from django.template.loader import render_to_string

    attendances, hours = training.record(student)
    if not attendances and not scope_of(request.user).is_cadre:
        return None
    return render_to_string("cadres/training/_record.html", {"attendances": attendances, "hours": hours,
                                                             "own": True}, request=request)


training_urls = [
    path("training/", my_training, name="my_training"),
    path("training/check-in/", check_in, name="training_check_in"),
    path("training/sessions/", session_list, name="training_sessions"),
    path("training/sessions/new/", session_create, name="training_session_create"),
    path("training/sessions/<int:pk>/", session_detail, name="training_session"),
    path("training/students/<int:pk>/", student_record, name="training_record"),
]
