"""Selection pages (选拔, rules.md §3): students see the open calls of their unions, apply with
their eligibility shown before and after submitting, and follow their applications; approvers see
a queue of the applications waiting for their stage (a college's League or Party teacher: their
college's applicants only), decide, and read the whole time-stamped trail; the union's managers
score interviews; the union's League teachers publish the notice, answer objections and appoint.
The public notice itself (no login) is `notice_public`. Refusals are 403 (logged by middleware)."""
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxue.core.eligibility import basis_text, eligibility_of, reason_text
from tongxue.core.scope import scope_of
from tongxue.rules.services import RuleViolation, can_override
from tongxue.unions.models import Union
from tongxue.unions.services import ensure_can_manage

from . import selection
from .forms_selection import (
    AnswerForm, ApplyForm, AppointFromNoticeForm, DecisionForm, ObjectionForm, RecruitmentForm, ScoreForm,
)
from .models import Application, Objection, PublicNotice, Recruitment, Stage


def _recruitments(request):
    return Recruitment.objects.visible_to(request.user).select_related("union", "term")


def _applications(request):
    return Application.objects.visible_to(request.user).select_related(
        "recruitment__union", "student__college", "student__major", "student__student_class", "department")


def _eligibility_context(student) -> dict:
    result = eligibility_of(student)
    return {"eligibility": result, "eligibility_reasons": [reason_text(r) for r in result.reasons],
            "eligibility_basis": basis_text(result)}


@login_required
def selection_home(request):
    """学生干部选拔: the open calls the student may apply to, and their applications."""
    scope = scope_of(request.user)
    if not scope.is_student:
        raise PermissionDenied
    student = request.user.student
    now = timezone.now()
    calls = [r for r in _recruitments(request).filter(status=Recruitment.Status.OPEN, opens_at__lte=now,
                                                      closes_at__gt=now)
             if r.union.served_students().filter(pk=student.pk).exists()]
    mine = Application.objects.filter(university_id=student.university_id, student=student).select_related(
        "recruitment__union", "department").order_by("-submitted_at")
    return render(request, "cadres/selection/home.html", {"calls": calls, "applications": mine,
                                                          "nav_active": "selection"})


@login_required
def recruitment_detail(request, pk):
    recruitment = get_object_or_404(_recruitments(request), pk=pk)
    now = timezone.now()
    may_apply = selection.can_apply(request.user, recruitment)
    existing = form = None
    context = {}
    if may_apply:
        student = request.user.student
        existing = Application.objects.filter(university_id=recruitment.university_id, recruitment=recruitment,
                                              student=student).first()
        context.update(_eligibility_context(student))
        if existing is None and recruitment.is_accepting(now):
            form = ApplyForm(request.POST or None, request.FILES or None, recruitment=recruitment)
            if request.method == "POST" and form.is_valid():
                try:
                    application = selection.apply(
                        request.user, recruitment, position_type=form.cleaned_data["position_type"],
                        department=form.cleaned_data.get("department"), statement=form.cleaned_data["statement"],
                        attachment=form.cleaned_data.get("attachment"),
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                    existing = Application.objects.filter(recruitment=recruitment, student=student).first()
                else:
                    messages.success(request, _("Your application has been submitted."))
                    return redirect("cadres:selection_application", pk=application.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "cadres/selection/recruitment.html", {
        **context, "recruitment": recruitment, "openings": recruitment.openings.select_related("department"),
        "may_apply": may_apply, "existing": existing, "form": form, "is_accepting": recruitment.is_accepting(now),
        "may_manage": selection.is_approver_of(request.user, recruitment)
        or selection.may_score(request.user, recruitment),
        "nav_active": "selection",
    })


def _trail_context(request, application) -> dict:
    user = request.user
    recruitment = application.recruitment
    own = application.student_id == scope_of(user).own_student_id
    is_staff_view = not own or selection.is_approver_of(user, recruitment) or selection.may_score(user, recruitment)
    stage, missing = selection.pending(application)
    may_decide = selection.may_decide(user, application)
    may_score = selection.may_score(user, recruitment) and application.status not in (
        Application.Status.WITHDRAWN, Application.Status.REJECTED, Application.Status.APPOINTED)
    notice = application.notices.first()
    may_appoint = (application.status == Application.Status.PASSED and notice is not None
                   and Union.objects.manageable_by(user).filter(pk=recruitment.union_id).exists())
    return {
        "application": application, "recruitment": recruitment, "own": own, "is_staff_view": is_staff_view,
        "steps": application.steps.select_related("actor"),
        "stages": recruitment.stages_for(application.position_type), "pending_stage": stage,
        "stage_labels": Stage.choices,
        "pending_capacities": missing,
        "reasons": [reason_text(r) for r in application.eligibility_reasons],
        "scores": application.scores.select_related("scorer") if is_staff_view else [],
        "average": application.scores.aggregate(avg=Avg("score"))["avg"] if is_staff_view else None,
        "objections": application.objections.select_related("author", "answered_by") if is_staff_view else [],
        "notice": notice, "may_decide": may_decide, "may_score": may_score, "may_appoint": may_appoint,
        "blockers": selection.appointment_blockers(application) if may_appoint else [],
        "decision_form": DecisionForm() if may_decide else None,
        "score_form": ScoreForm() if may_score else None,
        "may_withdraw": own and application.status in (*Application.IN_CHAIN, Application.Status.PASSED),
        "nav_active": "selection" if own else "selection_review",
    }


@login_required
def application_detail(request, pk):
    application = get_object_or_404(_applications(request), pk=pk)
    return render(request, "cadres/selection/application.html", _trail_context(request, application))


@login_required
def application_decide(request, pk):
    application = get_object_or_404(_applications(request), pk=pk)
    if request.method != "POST" or not selection.may_decide(request.user, application):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            selection.decide_step(request.user, application, approve=form.cleaned_data["decision"] == form.APPROVE,
                                  comment=form.cleaned_data["comment"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("cadres:selection_review")
    context = _trail_context(request, application)
    context["decision_form"] = form
    return render(request, "cadres/selection/application.html", context, status=422)


@login_required
def application_score(request, pk):
    application = get_object_or_404(_applications(request), pk=pk)
    if request.method != "POST" or not selection.may_score(request.user, application.recruitment):
        raise PermissionDenied
    form = ScoreForm(request.POST)
    if form.is_valid():
        try:
            selection.score_interview(request.user, application, score=form.cleaned_data["score"],
                                      comment=form.cleaned_data["comment"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Score saved."))
            return redirect("cadres:selection_application", pk=application.pk)
    context = _trail_context(request, application)
    context["score_form"] = form
    return render(request, "cadres/selection/application.html", context, status=422)


@login_required
def application_withdraw(request, pk):
    application = get_object_or_404(_applications(request), pk=pk)
    if request.method != "POST":
        raise PermissionDenied
    try:
        selection.withdraw(request.user, application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your application has been withdrawn."))
    return redirect("cadres:selection_application", pk=application.pk)


@login_required
def application_attachment(request, pk):
    application = get_object_or_404(_applications(request), pk=pk)
    if not application.attachment:
        raise Http404
    suffix = os.path.splitext(application.attachment.name)[1]
    return FileResponse(application.attachment.open("rb"), as_attachment=True,
                        filename=f"{application.student.name}{suffix}")


@login_required
def application_appoint(request, pk):
    application = get_object_or_404(_applications(request), pk=pk)
    union = application.recruitment.union
    ensure_can_manage(request.user, union)
    may_override = can_override(request.user, union)
    form = AppointFromNoticeForm(request.POST or None, application=application, may_override=may_override)
    violation = None
    blockers = selection.appointment_blockers(application)
    if request.method == "POST" and form.is_valid() and not blockers:
        try:
            selection.appoint_from_notice(request.user, application, position=form.cleaned_data["position"],
                                          department=form.cleaned_data.get("department"),
                                          override_reason=form.cleaned_data.get("override_reason", ""))
        except RuleViolation as error:
            violation = str(error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s has been appointed.") % {"name": application.student.name})
            return redirect("unions:detail", pk=union.pk)
    return render(request, "cadres/selection/appoint.html", {
        "application": application, "form": form, "violation": violation, "may_override": may_override,
        "blockers": blockers, "nav_active": "selection_review",
    }, status=422 if violation else 200)


def _may_review(user) -> bool:
    scope = scope_of(user)
    return scope.is_league or scope.is_party or scope.is_admin or bool(scope.managed_union_ids)


@login_required
def review_queue(request):
    """选拔审核: the applications waiting for the user's stage, and the recruitments they follow."""
    if not _may_review(request.user):
        raise PermissionDenied
    waiting = [a for a in _applications(request).filter(status__in=Application.IN_CHAIN)
               .prefetch_related("steps").order_by("submitted_at")
               if selection.may_decide(request.user, a)]
    scope = scope_of(request.user)
    recruitments = _recruitments(request).exclude(status=Recruitment.Status.DRAFT)
    if not scope.all_universities:
        recruitments = recruitments.filter(
            Q(university_id__in=scope.oversight_university_ids) | Q(union__college_id__in=scope.oversight_college_ids)
            | Q(union_id__in=scope.managed_union_ids)
            | Q(applications__student__college_id__in=scope.oversight_college_ids)).distinct()
    return render(request, "cadres/selection/queue.html", {"waiting": waiting, "recruitments": recruitments,
                                                           "nav_active": "selection_review"})


def _managed_recruitment(request, pk) -> Recruitment:
    recruitment = get_object_or_404(_recruitments(request), pk=pk)
    if not (selection.is_approver_of(request.user, recruitment) or selection.may_score(request.user, recruitment)):
        raise PermissionDenied
    return recruitment


@login_required
def recruitment_manage(request, pk):
    recruitment = _managed_recruitment(request, pk)
    applications = _applications(request).filter(recruitment=recruitment).annotate(average=Avg("scores__score"))
    notice = PublicNotice.objects.filter(recruitment=recruitment).first()
    may_run = selection.may_run(request.user, recruitment)
    objections = []
    if notice is not None:
        objections = (Objection.objects.filter(notice=notice, application__in=applications)
                      .select_related("application__student", "author", "answered_by"))
    return render(request, "cadres/selection/manage.html", {
        "recruitment": recruitment, "applications": applications, "notice": notice, "may_run": may_run,
        "objections": objections, "answer_form": AnswerForm(), "now": timezone.now(),
        "nav_active": "selection_review",
    })


@login_required
def recruitment_publish(request, pk):
    recruitment = _managed_recruitment(request, pk)
    if request.method != "POST" or not selection.may_run(request.user, recruitment):
        raise PermissionDenied
    try:
        selection.publish_notice(request.user, recruitment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The public notice has been published."))
    return redirect("cadres:selection_manage", pk=recruitment.pk)


@login_required
def objection_answer(request, pk):
    objection = get_object_or_404(Objection.objects.filter(university_id__in=_university_ids(request))
                                  .select_related("notice__recruitment__union"), pk=pk)
    recruitment = objection.notice.recruitment
    if request.method != "POST" or not selection.may_run(request.user, recruitment):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            selection.answer_objection(request.user, objection, form.cleaned_data["answer"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Answer recorded."))
    else:
        messages.error(request, _("Write the answer."))
    return redirect("cadres:selection_manage", pk=recruitment.pk)


def _university_ids(request):
    scope = scope_of(request.user)
    return scope.university_ids if not scope.all_universities else list(
        PublicNotice.objects.values_list("university_id", flat=True))


@login_required
def objection_new(request, pk):
    """Any logged-in user of the notice's university may object while the notice runs."""
    notice = get_object_or_404(PublicNotice.objects.filter(university_id__in=_university_ids(request))
                               .select_related("recruitment"), pk=pk)
    running = notice.is_running(timezone.now())
    form = ObjectionForm(request.POST or None, notice=notice, initial={"application": request.GET.get("candidate")})
    if request.method == "POST" and running and form.is_valid():
        try:
            selection.file_objection(request.user, notice, form.cleaned_data["application"],
                                     form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your objection has been filed. The League teacher will answer it "
                                        "before any appointment."))
            return redirect("public_notices:notice", pk=notice.pk)
    return render(request, "cadres/selection/objection_form.html", {"notice": notice, "form": form,
                                                                    "running": running})


def notice_public(request, pk):
    """The public notice (公示), without login: name, college, major, grade and class, position,
    the objection deadline and channel. After the period it says only that it has ended."""
    notice = get_object_or_404(PublicNotice.objects.select_related("recruitment__union", "university"), pk=pk)
    if not notice.is_running(timezone.now()):
        return render(request, "cadres/selection/notice_ended.html", {"notice": notice}, status=410)
    candidates = (notice.applications.exclude(status=Application.Status.WITHDRAWN)
                  .select_related("student__college", "student__major", "student__student_class", "department")
                  .order_by("position_type", "student__name"))
    return render(request, "cadres/selection/notice_public.html", {"notice": notice, "candidates": candidates})


@login_required
def recruitment_new(request, union_pk):
    """A union's managers open a call: dates, notice period, places (rules.md §3)."""
    union = get_object_or_404(Union.objects.visible_to(request.user), pk=union_pk)
    ensure_can_manage(request.user, union)
    term = union.current_term()
    form = RecruitmentForm(request.POST or None, departments=term.departments.all() if term else [])
    if request.method == "POST" and form.is_valid():
        try:
            recruitment = selection.open_recruitment(
                request.user, union, title=form.cleaned_data["title"], call_text=form.cleaned_data["call_text"],
                opens_at=form.cleaned_data["opens_at"], closes_at=form.cleaned_data["closes_at"],
                notice_working_days=form.cleaned_data["notice_working_days"], openings=form.openings(),
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The call is open."))
            return redirect("cadres:selection_recruitment", pk=recruitment.pk)
    return render(request, "cadres/selection/recruitment_new.html", {"union": union, "form": form})


selection_urls = [
    path("selection/unions/<int:union_pk>/new/", recruitment_new, name="selection_new"),
    path("selection/", selection_home, name="selection"),
    path("selection/review/", review_queue, name="selection_review"),
    path("selection/recruitments/<int:pk>/", recruitment_detail, name="selection_recruitment"),
    path("selection/recruitments/<int:pk>/manage/", recruitment_manage, name="selection_manage"),
    path("selection/recruitments/<int:pk>/publish/", recruitment_publish, name="selection_publish"),
    path("selection/applications/<int:pk>/", application_detail, name="selection_application"),
    path("selection/applications/<int:pk>/decide/", application_decide, name="selection_decide"),
    path("selection/applications/<int:pk>/score/", application_score, name="selection_score"),
    path("selection/applications/<int:pk>/withdraw/", application_withdraw, name="selection_withdraw"),
    path("selection/applications/<int:pk>/attachment/", application_attachment, name="selection_attachment"),
    path("selection/applications/<int:pk>/appoint/", application_appoint, name="selection_appoint"),
    path("selection/notices/<int:pk>/object/", objection_new, name="selection_object"),
    path("selection/objections/<int:pk>/answer/", objection_answer, name="selection_answer"),
]
public_notice_urls = [path("<int:pk>/", notice_public, name="notice")]
