"""Union pages: the list, one union's structure (presidium + departments) by term, the
association registry, and the few edits a union's leaders and League teachers may make.

Apps above this one add buttons to the union page through `UNION_ACTIONS` (registered in their
AppConfig.ready()), so this app never imports them.
"""
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tongxue.core.export import xlsx_response
from tongxue.core.scope import scope_of

from . import services
from .forms import DepartmentForm, UnionForm
from .models import Association, Membership, Position, Union


# Each callable takes (request, union, can_manage) and returns (label, url, testid) tuples.
UNION_ACTIONS: list[Callable] = []


@login_required
def union_list(request):
    unions = (
        Union.objects.visible_to(request.user)
        .select_related("college", "campus")
        .annotate(staff=Count("terms__memberships",
                              filter=Q(terms__is_current=True, terms__memberships__end_date__isnull=True)))
    )
    level = request.GET.get("level")
    if level in Union.Level.values:
        unions = unions.filter(level=level)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            _("Unions"), [_("Name"), _("Level"), _("Kind"), _("College"), _("Campus"), _("Staff (current term)")],
            ([u.name, u.get_level_display(), u.get_kind_display(), u.college or "", u.campus or "", u.staff]
             for u in unions),
            "unions.xlsx",
        )
    return render(request, "unions/union_list.html", {"unions": unions, "levels": Union.Level.choices,
                                                      "level": level})


@login_required
def my_unions(request):
    scope = scope_of(request.user)
    if not scope.is_cadre:
        raise PermissionDenied
    memberships = (
        Membership.objects.current().filter(student_id=scope.own_student_id)
        .select_related("term__union", "department")
    )
    if len(memberships) == 1:
        return redirect("unions:detail", pk=memberships[0].term.union_id)
    return render(request, "unions/my_unions.html", {"memberships": memberships})


def _structure(term):
    """Who holds each position: in the current term those serving now, in a past term all who served."""
    memberships = Membership.objects.filter(term=term).select_related("student__college", "department")
    if term.is_current:
        memberships = memberships.filter(end_date__isnull=True)
    memberships = list(memberships)
    order = {value: index for index, value in enumerate(Position.values)}
    memberships.sort(key=lambda m: (order[m.position], m.student.name))
    presidium = [m for m in memberships if m.is_presidium]
    departments = []
    for department in term.departments.all():
        members = [m for m in memberships if m.department_id == department.pk]
        departments.append((department, members))
    return presidium, departments, len(memberships)


@login_required
def union_detail(request, pk, number=None):
    union = get_object_or_404(Union.objects.visible_to(request.user).select_related("college", "campus"), pk=pk)
    terms = list(union.terms.all())
    if number is None:
        term = next((t for t in terms if t.is_current), terms[0] if terms else None)
    else:
        term = next((t for t in terms if t.number == number), None)
        if term is None:
            return render(request, "404.html", status=404)
    presidium, departments, staff = _structure(term) if term else ([], [], 0)
    can_manage = Union.objects.manageable_by(request.user).filter(pk=union.pk).exists()
    is_current = bool(term and term.is_current)
    actions = [action for hook in UNION_ACTIONS for action in hook(request, union, can_manage)]
    return render(request, "unions/union_detail.html", {
        "union": union, "term": term, "terms": terms, "presidium": presidium,
        "departments": departments, "staff": staff, "can_manage": can_manage, "actions": actions,
        "can_dismiss": is_current and services.can_dismiss_in(request.user, union),
        "own_student_id": scope_of(request.user).own_student_id if is_current else None,
    })


@login_required
def union_edit(request, pk):
    union = get_object_or_404(Union.objects.visible_to(request.user), pk=pk)
    services.ensure_can_manage(request.user, union)
    form = UnionForm(request.POST or None, instance=Union.objects.get(pk=union.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_union(request.user, union, name=form.cleaned_data["name"],
                                  declared_duties=form.cleaned_data["declared_duties"])
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("Saved."))
            return redirect("unions:detail", pk=union.pk)
    return render(request, "unions/union_edit.html", {"union": union, "form": form})


@login_required
def department_create(request, pk):
    union = get_object_or_404(Union.objects.visible_to(request.user), pk=pk)
    services.ensure_can_manage(request.user, union)
    term = union.current_term()
    if term is None:
        messages.error(request, _("This union has no current term."))
        return redirect("unions:detail", pk=union.pk)
    form = DepartmentForm(request.POST or None, may_override=scope_of(request.user).is_league)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_department(request.user, union, **form.cleaned_data)
        except ValidationError as refusal:
            form.add_error(None, refusal)  # e.g. a reform rule refused it; the message names the rule
        else:
            messages.success(request, _("Department added."))
            return redirect("unions:detail", pk=union.pk)
    return render(request, "unions/department_form.html", {"union": union, "form": form})


@login_required
def association_list(request):
    associations = Association.objects.visible_to(request.user).select_related("college")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            _("Student associations"), [_("Name"), _("Category"), _("College"), _("Relation to the union"),
                                        _("Members"), _("main association")],
            ([a.name, a.category, a.college or "", a.get_relation_display(), a.member_count,
              _("yes") if a.is_main else _("no")] for a in associations),
            "associations.xlsx",
        )
    return render(request, "unions/association_list.html", {"associations": associations})


