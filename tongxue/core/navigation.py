"""Navigation by role: a student sees their services, a cadre their union's work,
a teacher the oversight views. Each entry is shown only when its page would admit the user."""
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .scope import scope_of


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url: str


def navigation_items(user) -> list[NavItem]:
    scope = scope_of(user)
    if not scope.is_authenticated:
        return []
    items = [NavItem("home", _("Home"), reverse("home"))]
    if scope.is_student:
        items.append(NavItem("me", _("My profile"), reverse("me")))
    items.append(NavItem("unions", _("Unions"), reverse("unions:list")))
    if scope.is_student:
        items.append(NavItem("selection", _("Cadre selection"), reverse("cadres:selection")))
        student = getattr(user, "student", None)
        if student is not None and student.is_enrolled:
            items.append(NavItem("rights_new", _("Raise a problem"), reverse("rights:new")))
        items.append(NavItem("rights_mine", _("My cases"), reverse("rights:mine")))
    if scope.university_ids or scope.all_universities:
        items.append(NavItem("congress", _("Student congress"), reverse("congress:sessions")))
    if scope.is_cadre:
        items.append(NavItem("my_union", _("My union"), reverse("unions:mine")))
        items.append(NavItem("my_training", _("My training"), reverse("cadres:my_training")))
        items.append(NavItem("my_contacts", _("Contact with students"), reverse("cadres:my_contacts")))
    # The rights desk's inbox: whoever handles cases (rights.services.can_log_offline) and office staff.
    if (scope.is_cadre or scope.student_class_ids or scope.is_league or scope.is_admin
            or user.rights_offices.filter(is_active=True).exists()):
        items.append(NavItem("rights_cases", _("Rights cases"), reverse("rights:inbox")))
    # Offices also answer the congress's proposals sent to them (proposals.views.office_inbox).
    if user.rights_offices.filter(is_active=True).exists():
        items.append(NavItem("proposals_office", _("Congress proposals"), reverse("proposals:office")))
    # Managers of a union (its leaders, League teachers, administrators) run the cadres' work.
    manages_unions = scope.all_universities or bool(scope.admin_university_ids or scope.managed_union_ids)
    if manages_unions or scope.roster_university_ids:
        items.append(NavItem("training", _("Training"), reverse("cadres:training_sessions")))
    if scope.is_league or scope.is_party or manages_unions:
        items.append(NavItem("selection_review", _("Selection review"), reverse("cadres:selection_review")))
    if manages_unions:
        items.append(NavItem("assessment", _("Assessment"), reverse("cadres:assessment")))
        items.append(NavItem("coverage", _("Contact coverage"), reverse("cadres:contact_coverage_index")))
    if manages_unions or scope.oversight_university_ids:
        items.append(NavItem("rights_reports", _("Rights desk reports"), reverse("rights:reports")))
    if scope.can_read_students:
        items.append(NavItem("students", _("Students"), reverse("students:list")))
    items.append(NavItem("organisation", _("Organisation"), reverse("org:tree")))
    items.append(NavItem("associations", _("Associations"), reverse("unions:associations")))
    if scope.can_import_roster:
        items.append(NavItem("roster_import", _("Roster import"), reverse("students:import")))
        items.append(NavItem("academic_import", _("Academic results import"), reverse("students:academic_import")))
    if scope.is_league:
        items.append(NavItem("exit_cases", _("Exit cases"), reverse("cadres:exit_cases")))
    if scope.is_league or scope.is_admin:
        items.append(NavItem("rules", _("Reform self-assessment"), reverse("rules:dashboard")))
    if scope.all_universities or scope.admin_university_ids or scope.league_university_ids:
        items.append(NavItem("calendar", _("Working-day calendar"), reverse("calendar:page")))
    if scope.can_audit():
        items.append(NavItem("audit", _("Audit history"), reverse("audit")))
    if user.is_staff:
        items.append(NavItem("admin", _("Administration"), reverse("admin:index")))
    return items


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    return {"nav_items": navigation_items(user) if user else [], "scope": scope_of(user)}
