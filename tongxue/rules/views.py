"""Reform pages: the League teachers' dashboard of every union's findings, one union's findings
with the evidence (and the attestation form), and the public self-assessment (no login),
printable and exported to .docx and .xlsx."""
from collections import Counter

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongxue.core.export import XLSX_TYPE
from tongxue.core.models import University
from tongxue.core.scope import scope_of
from tongxue.domain import reform_rules as rr
from tongxue.unions.models import Union

from . import selfassessment, services
from .models import ATTESTATION_CHOICES, VERIFIED, Attestation, validate_academic_year


def _year(value: str | None) -> str:
    if not value:
        return services.current_academic_year()
    try:
        validate_academic_year(value)
    except ValidationError as error:
        raise Http404 from error
    return value


def _years(selected: str) -> list[str]:
    current = int(services.current_academic_year()[:4])
    years = [f"{y}-{y + 1}" for y in range(current, current - 5, -1)]
    return years if selected in years else [selected, *years]


@login_required
def dashboard(request):
    scope = scope_of(request.user)
    if not (scope.has_oversight or scope.is_admin):
        raise PermissionDenied
    year = _year(request.GET.get("year"))
    unions = services.unions_overseen_by(request.user).select_related("university", "college", "campus")
    rows = []
    totals = Counter()
    for union, findings in services.findings_for_unions(unions, year):
        counts = Counter(f.status for f in findings)
        totals.update(counts)
        rows.append({"union": union, "counts": counts,
                     "failures": [f for f in findings if f.status in (rr.FAIL, rr.OVERRIDDEN)]})
    universities = sorted({row["union"].university for row in rows}, key=lambda u: u.name)
    return render(request, "rules/dashboard.html", {
        "rows": rows, "totals": totals, "year": year, "years": _years(year), "universities": universities,
        "nav_active": "rules",
    })


class AttestationForm(forms.Form):
    rule_id = forms.ChoiceField(label=gettext_lazy("Indicator"), choices=ATTESTATION_CHOICES)
    attested = forms.TypedChoiceField(label=gettext_lazy("Attestation"), coerce=lambda v: v == "yes",
                                      choices=[("yes", gettext_lazy("meets")), ("no", gettext_lazy("does not meet"))])
    text = forms.CharField(label=gettext_lazy("Statement"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence_url = forms.URLField(label=gettext_lazy("Evidence link"), required=False)


@login_required
def union_findings(request, pk):
    union = get_object_or_404(Union.objects.visible_to(request.user).select_related("university", "college"), pk=pk)
    if not services.can_see_findings(request.user, union):
        raise PermissionDenied
    year = _year(request.GET.get("year") or request.POST.get("year"))
    may_attest = services.can_attest(request.user, union)
    form = AttestationForm(request.POST or None) if may_attest else None
    if request.method == "POST":
        if not may_attest:
            raise PermissionDenied
        if form.is_valid():
            services.attest(request.user, union, year, form.cleaned_data["rule_id"],
                            attested=form.cleaned_data["attested"], text=form.cleaned_data["text"],
                            evidence_url=form.cleaned_data["evidence_url"])
            messages.success(request, _("Attestation saved."))
            return redirect(reverse("rules:union", args=[union.pk]) + f"?year={year}")
    table = selfassessment.tables_for([union], year)[0]
    return render(request, "rules/union_findings.html", {
        "union": union, "table": table, "year": year, "years": _years(year), "form": form,
        "verified": Attestation.objects.filter(union=union, academic_year=year, rule_id=VERIFIED).first(),
        "nav_active": "rules",
    })


# --- public ------------------------------------------------------------------------------------

def _export(request, university, year, tables, union=None):
    fmt = request.GET.get("format")
    public_url = request.build_absolute_uri(request.path)
    stem = f"self-assessment-{university.code}-{year}" + (f"-{union.pk}" if union else "")
    if fmt == "xlsx":
        response = HttpResponse(selfassessment.xlsx_export(tables, year), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    if fmt == "docx":
        header = selfassessment.header_for(university, year, union, public_url)
        response = HttpResponse(selfassessment.docx_export(tables, header, year),
                                content_type=selfassessment.DOCX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{stem}.docx"'
        return response
    header = selfassessment.header_for(university, year, union, public_url)
    return render(request, "rules/public_selfassessment.html", {
        "university": university, "year": year, "tables": tables, "header": header, "union": union,
    })


def public_university(request, code, year):
    university = get_object_or_404(University, code=code)
    year = _year(year)
    return _export(request, university, year, selfassessment.tables_for_university(university, year))


def public_union(request, code, year, union_id):
    university = get_object_or_404(University, code=code)
    union = get_object_or_404(Union.objects.select_related("university", "college", "campus"),
                              university=university, pk=union_id)
    year = _year(year)
    return _export(request, university, year, selfassessment.tables_for([union], year), union)
