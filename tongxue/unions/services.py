"""Union operations that change governance records. Each checks permission, writes in one
transaction and leaves its audit trail (django-auditlog records the before/after).

Structural limits (department count, forbidden "centres") belong to the reform rules, which sit
above this app (`tongxue.rules` imports `unions`, never the reverse). So `add_department` calls
the hooks in `STRUCTURE_CHECKS`, which the rules app registers in its `AppConfig.ready()`. This
keeps the one department-creation service (and its view) here instead of moving it upward: every
caller — view, admin, API — goes through the same checks.
"""
from collections.abc import Callable

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


# Each hook is called as hook(user, union, department_name=..., override_reason=...) before a
# department is created. It raises django.core.exceptions.ValidationError to refuse, or returns
# None or a callable that receives the created department (e.g. to record an override).
STRUCTURE_CHECKS: list[Callable] = []


@transaction.atomic
def add_department(user, union: Union, *, name: str, description: str = "", order: int = 0,
                   override_reason: str = "") -> Department:
    """Add a department to the union's current term, after the structure checks (see the module
    docstring); a League teacher may pass `override_reason` to allow a refused department."""
    ensure_can_manage(user, union)
    term = union.current_term()
    if term is None:
        raise ValueError("union has no current term")
    after_create = [hook(user, union, department_name=name, override_reason=override_reason)
                    for hook in STRUCTURE_CHECKS]
    department = Department.objects.create(
        university_id=union.university_id, term=term, name=name, description=description, order=order
    )
    for callback in after_create:
        if callback is not None:
            callback(department)
    return department
