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
