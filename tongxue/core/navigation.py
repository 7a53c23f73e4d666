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
    if scope.is_cadre:
        items.append(NavItem("my_union", _("My union"), reverse("unions:mine")))
    if scope.can_read_students:
        items.append(NavItem("students", _("Students"), reverse("students:list")))
    items.append(NavItem("organisation", _("Organisation"), reverse("org:tree")))
    items.append(NavItem("associations", _("Associations"), reverse("unions:associations")))
    if scope.can_import_roster:
        items.append(NavItem("roster_import", _("Roster import"), reverse("students:import")))
    if scope.is_league or scope.is_admin:
        items.append(NavItem("rules", _("Reform self-assessment"), reverse("rules:dashboard")))
    if scope.can_audit():
        items.append(NavItem("audit", _("Audit history"), reverse("audit")))
    if user.is_staff:
        items.append(NavItem("admin", _("Administration"), reverse("admin:index")))
    return items


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    return {"nav_items": navigation_items(user) if user else [], "scope": scope_of(user)}
