"""Import pages (the roster and academic results): upload, a job page that follows progress
with htmx, the error report.

Only accounts that keep a university's roster (`Scope.can_import_roster`) reach these pages;
jobs are listed through `ImportJob.objects.visible_to(user)`. The work is done by
`imports.run_import` in a background task; the job pages serve both kinds.
"""
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext as _

from .export import xlsx_response
from .forms import AcademicImportForm, RosterImportForm
from .imports import REASON_HEADER, error_message, importer_for, start_import
from .models import ImportJob, University
from .scope import scope_of

ERRORS_SHOWN = 500


def _check_access(request):
    scope = scope_of(request.user)
    if not scope.can_import_roster:
        raise PermissionDenied
    return scope


def _job(request, pk) -> ImportJob:
    _check_access(request)
    return get_object_or_404(ImportJob.objects.visible_to(request.user).select_related("university", "actor"), pk=pk)


PAGES = {
    ImportJob.Kind.ROSTER: ("students:import", "roster_import", RosterImportForm),
    ImportJob.Kind.ACADEMIC: ("students:academic_import", "academic_import", AcademicImportForm),
}


PAGE_TEXTS = {
    ImportJob.Kind.ROSTER: (
        gettext_lazy("Roster import"),
        gettext_lazy("The roster is checked row by row first: if any row is wrong, nothing is imported and you get "
                     "the list of problems. Students already on the roster are updated by their student number."),
    ),
    ImportJob.Kind.ACADEMIC: (
        gettext_lazy("Academic results import"),
        gettext_lazy("Each student's rank in the major, the size of the major and the number of failed courses, "
                     "for a term, an academic year or since enrolment. The file is checked row by row first: if any "
                     "row is wrong, nothing is imported and you get the list of problems. A record already imported "
                     "for the same student, type and term is updated."),
    ),
}


def _upload_page(request, kind: str):
    scope = _check_access(request)
    universities = (
        University.objects.all() if scope.all_universities
        else University.objects.filter(pk__in=scope.roster_university_ids)
    )
    form_class = PAGES[kind][2]
    form = form_class(request.POST or None, request.FILES or None, universities=universities)
    if request.method == "POST" and form.is_valid():
        job = start_import(request.user, form.cleaned_data["university"], form.cleaned_data["file"], kind)
        return redirect("students:import_job", pk=job.pk)
    jobs = ImportJob.objects.visible_to(request.user).filter(kind=kind).select_related("university", "actor")[:20]
    page_title, intro = PAGE_TEXTS[kind]
    return render(request, "core/import.html", {"form": form, "jobs": jobs, "nav_active": PAGES[kind][1],
                                                "page_title": page_title, "intro": intro})


@login_required
def roster_import(request):
    return _upload_page(request, ImportJob.Kind.ROSTER)


@login_required
def academic_import(request):
    """Upload of academic results (rank in the major, failed courses) for the eligibility rule."""
    return _upload_page(request, ImportJob.Kind.ACADEMIC)


def _status_context(job: ImportJob) -> dict:
    errors = [{**error, "reason": error_message(error, job.kind)} for error in job.errors[:ERRORS_SHOWN]]
    return {
        "upload_url": PAGES[job.kind][0],
        "job": job, "errors": errors, "errors_hidden": max(len(job.errors) - ERRORS_SHOWN, 0),
        "rejected_count": len(job.rejected_rows), "pct_step": job.percent // 5 * 5,
    }


@login_required
def import_job(request, pk):
    job = _job(request, pk)
    return render(request, "core/roster_job.html", {**_status_context(job), "nav_active": PAGES[job.kind][1]})


@login_required
def import_progress(request, pk):
    """The status partial that the job page polls every second until the job is finished."""
    return render(request, "core/_roster_job_status.html", _status_context(_job(request, pk)))


@login_required
def import_rejected(request, pk):
    """The rejected rows as .xlsx, with the allowlisted columns and a 原因 column."""
    job = _job(request, pk)
    if not job.rejected_rows:
        raise Http404
    reasons: dict[int, list[str]] = defaultdict(list)
    for error in job.errors:
        reasons[error["row"]].append(f"{error['column']}：{error_message(error, job.kind)}")
    rows = ([row, *values, "；".join(reasons[row])] for row, values in job.rejected_rows)
    headers = [_("Row"), *importer_for(job.kind).COLUMNS, REASON_HEADER]
    return xlsx_response(_("Rejected rows"), headers, rows, f"rejected-{job.pk}.xlsx")


urlpatterns = [
    path("import/", roster_import, name="import"),
    path("import/<int:pk>/", import_job, name="import_job"),
    path("import/<int:pk>/status/", import_progress, name="import_progress"),
    path("import/<int:pk>/rejected.xlsx", import_rejected, name="import_rejected"),
    path("academic-import/", academic_import, name="academic_import"),
]
