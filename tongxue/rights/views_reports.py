"""The monthly rights-desk report pages (issue 4, item 6): /rights/reports/ to pick a union or the
school and a month; the report with server-drawn SVG charts; `.docx` and `.xlsx` exports.

Who may see a report:
* a union's report: those who manage the union (`Union.objects.manageable_by`: its leading
  cadres, League teachers in scope, administrators);
* the school report: school-wide League teachers, Party approvers of the university and its
  administrators (whole-university oversight), and federation administrators.
Anyone else gets 403 (logged by the middleware). The reports hold figures only, no student.
"""
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxue.core.export import XLSX_TYPE
from tongxue.core.models import University
from tongxue.core.scope import scope_of
from tongxue.unions.models import Union

from . import reports

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_unions(user):
    return Union.objects.manageable_by(user).select_related("university").order_by("university__name", "level",
                                                                                    "name")


def school_universities(user):
    scope = scope_of(user)
    if scope.all_universities:
        return University.objects.order_by("name")
    return University.objects.filter(pk__in=scope.oversight_university_ids).order_by("name")


def may_see_school(user, university) -> bool:
    scope = scope_of(user)
    return scope.all_universities or university.pk in scope.oversight_university_ids


def may_see_union(user, union) -> bool:
    return Union.objects.manageable_by(user).filter(pk=union.pk).exists()


class PickForm(forms.Form):
    target = forms.ChoiceField(label=_("Report of"))
    month = forms.CharField(label=_("Month"), widget=forms.TextInput(attrs={"type": "month"}))

    def __init__(self, data, *, universities, unions):
        super().__init__(data)
        choices = [(f"school-{u.pk}", _("%(name)s (whole school)") % {"name": u.name}) for u in universities]
        choices += [(f"union-{u.pk}", u.name) for u in unions]
        self.fields["target"].choices = choices

    def clean_month(self):
        month = reports.Month.parse(self.cleaned_data["month"])
        if month is None:
            raise forms.ValidationError(_("Choose a month."))
        return month


def _report_url(target: str, month) -> str:
    kind, pk = target.split("-")
    name = "rights:report_school" if kind == "school" else "rights:report_union"
    return reverse(name, args=[int(pk), month.year, month.month])


@login_required
def index(request):
    """/rights/reports/: choose the union (or the school) and the month."""
    universities, unions = list(school_universities(request.user)), list(report_unions(request.user))
    if not universities and not unions:
        raise PermissionDenied
    default_month = reports.Month.of(timezone.now()).previous()
    form = PickForm(request.GET or None, universities=universities, unions=unions)
    if form.is_bound and form.is_valid():
        return redirect(_report_url(form.cleaned_data["target"], form.cleaned_data["month"]))
    if not form.is_bound:
        form = PickForm(None, universities=universities, unions=unions)
        form.initial = {"month": str(default_month)}
    return render(request, "rights/reports/index.html", {
        "form": form, "universities": universities, "unions": unions, "month": default_month,
        "nav_active": "rights_reports",
    })


def _month(year: int, month: int) -> reports.Month:
    try:
        return reports.Month(year, month)
    except ValueError as error:
        raise Http404 from error


def _respond(request, report, stem: str):
    fmt = request.GET.get("format")
    if fmt == "docx":
        response = HttpResponse(reports.docx_export(report), content_type=DOCX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{stem}.docx"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(reports.xlsx_export(report), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    return render(request, "rights/reports/report.html", {
        "report": report, "tables": {t.key: t for t in report.tables},
        "category_chart": report.category_chart(), "college_chart": report.college_chart(),
        "satisfaction_chart": report.satisfaction_chart(), "timeliness_chart": report.timeliness_chart(),
        "gap_message": reports.gap_message(report.gap) if report.gap else "",
        "previous": report.month.previous(), "next": report.month.next(),
        "nav_active": "rights_reports",
    })


@login_required
def school_report(request, university_id, year, month):
    university = get_object_or_404(University, pk=university_id)
    if not may_see_school(request.user, university):
        raise PermissionDenied
    month = _month(year, month)
    report = reports.build(university, month)
    return _respond(request, report, f"rights-report-{university.code}-{month}")


@login_required
def union_report(request, union_id, year, month):
    union = get_object_or_404(Union.objects.select_related("university"), pk=union_id)
    if not may_see_union(request.user, union):
        raise PermissionDenied
    month = _month(year, month)
    report = reports.build(union.university, month, union=union)
    return _respond(request, report, f"rights-report-{union.university.code}-union{union.pk}-{month}")


urls = [
    path("reports/", index, name="reports"),
    path("reports/school/<int:university_id>/<int:year>-<int:month>/", school_report, name="report_school"),
    path("reports/unions/<int:union_id>/<int:year>-<int:month>/", union_report, name="report_union"),
]
