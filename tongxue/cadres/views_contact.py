"""Direct-contact pages: a cadre's quick contact log on their phone, and the monthly coverage of
classes for the union's managers and League teachers (issue 3, item 7)."""
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxue.core.models import StudentClass
from tongxue.unions.models import Membership, Union

from . import contact
from .forms_contact import AssignmentForm, ContactLogForm
from .models import ContactAssignment, ContactLog


def _classes_for(memberships):
    """Classes a cadre may log: those assigned to them and those their unions serve."""
    q = Q(pk__in=ContactAssignment.objects.filter(membership__in=memberships).values("student_class_id"))
    for m in memberships:
        union = m.term.union
        q |= Q(pk__in=contact.area_classes(union).values("pk"))
    return StudentClass.objects.filter(q).order_by("college_id", "-grade", "name")


@login_required
def my_contacts(request):
    memberships = list(contact.current_memberships(request.user))
    if not memberships:
        raise PermissionDenied
    membership_qs = contact.current_memberships(request.user)
    form = ContactLogForm(request.POST or None, memberships=membership_qs, classes=_classes_for(memberships))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        contact.log_contact(request.user, data["membership"], date=data["date"], channel=data["channel"],
                            student_class=data["student_class"], dorm=data["dorm"], raised=data["raised"],
                            case_ref=data["case_ref"])
        messages.success(request, _("Contact logged."))
        return redirect("cadres:my_contacts")
    assignments = (ContactAssignment.objects.filter(membership__in=memberships)
                   .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate()))
                   .select_related("student_class"))
    logs = ContactLog.objects.filter(membership__in=memberships).select_related("student_class")[:20]
    return render(request, "cadres/contact/mine.html", {"form": form, "assignments": assignments, "logs": logs,
                                                        "nav_active": "my_contacts"})


@login_required
def coverage_index(request):
    if not contact.can_view_coverage(request.user):
        raise PermissionDenied
    unions = Union.objects.manageable_by(request.user).select_related("college")
    if len(unions) == 1:
        return redirect("cadres:contact_coverage", pk=unions[0].pk)
    return render(request, "cadres/contact/coverage_index.html", {"unions": unions, "nav_active": "coverage"})


def _month(request) -> datetime.date:
    try:
        return datetime.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


def _managed_union(request, pk) -> Union:
    union = get_object_or_404(Union.objects.visible_to(request.user), pk=pk)
    if not Union.objects.manageable_by(request.user).filter(pk=union.pk).exists():
        raise PermissionDenied
    return union


def _assignment_form(union, data=None):
    memberships = Membership.objects.current().filter(term__union=union).select_related("student")
    return AssignmentForm(data, memberships=memberships, classes=contact.area_classes(union))


@login_required
def coverage(request, pk):
    union = _managed_union(request, pk)
    month = _month(request)
    rows = contact.coverage(union, month)
    return render(request, "cadres/contact/coverage.html", {
        "union": union, "month": month, "rows": rows, "unreached": sum(1 for r in rows if not r.is_reached),
        "form": _assignment_form(union), "nav_active": "coverage",
    })


@login_required
@require_POST
def assign(request, pk):
    union = _managed_union(request, pk)
    form = _assignment_form(union, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        contact.assign(request.user, data["membership"], student_class=data["student_class"], dorm=data["dorm"],
                       starts_on=data["starts_on"])
        messages.success(request, _("Assignment saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("cadres:contact_coverage", pk=union.pk)


contact_urls = [
    path("contact/", my_contacts, name="my_contacts"),
    path("contact/coverage/", coverage_index, name="contact_coverage_index"),
    path("contact/coverage/<int:pk>/", coverage, name="contact_coverage"),
    path("contact/coverage/<int:pk>/assign/", assign, name="contact_assign"),
]
