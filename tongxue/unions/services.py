"""Union operations that change governance records. Each checks permission, writes in one
transaction and leaves its audit trail (django-auditlog records the before/after)."""
from django.core.exceptions import PermissionDenied
from django.db import transaction

from .models import Department, Union


def ensure_can_manage(user, union: Union) -> None:
    if not Union.objects.manageable_by(user).filter(pk=union.pk).exists():
        raise PermissionDenied


@transaction.atomic
def update_union(user, union: Union, *, name: str, declared_duties: str) -> Union:
    ensure_can_manage(user, union)
    union.name = name
    union.declared_duties = declared_duties
    union.save()
    return union


@transaction.atomic
def add_department(user, union: Union, *, name: str, description: str = "", order: int = 0) -> Department:
    """Add a department to the union's current term. Structural limits are checked by the
    rule engine (issue 3); here the department belongs to the current term only."""
    ensure_can_manage(user, union)
    term = union.current_term()
    if term is None:
        raise ValueError("union has no current term")
    return Department.objects.create(
        university_id=union.university_id, term=term, name=name, description=description, order=order
    )


def league_union_filter(user, prefix: str = ""):
    """A Q on unions (at `prefix`) guided by the user as League teacher: every union of the
    university for a school-wide League teacher, the college's unions for a college one."""
    from django.db.models import Q

    from tongxue.core.models import Role, RoleAssignment

    condition = Q(pk__in=[])
    for university_id, college_id in RoleAssignment.objects.filter(
            user=user, role=Role.LEAGUE_TEACHER).values_list("university_id", "college_id"):
        part = {f"{prefix}university_id": university_id}
        if college_id:
            part[f"{prefix}college_id"] = college_id
        condition |= Q(**part)
    return condition


def is_league_teacher_of(user, union: Union) -> bool:
    if not user.is_authenticated:
        return False
    return Union.objects.filter(league_union_filter(user), pk=union.pk).exists()


def is_president_of(user, union: Union) -> bool:
    from .models import Membership, Position

    student = getattr(user, "student", None) if user.is_authenticated else None
    return student is not None and Membership.objects.current().filter(
        student=student, term__union=union, position=Position.PRESIDENT).exists()


def can_dismiss_in(user, union: Union) -> bool:
    """Cadres of a union are dismissed by its League teacher or its president (issue 3, item 6)."""
    return is_league_teacher_of(user, union) or is_president_of(user, union)
