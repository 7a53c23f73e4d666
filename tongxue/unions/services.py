"""Union operations that change governance records. Each checks permission and the data rules
once, here, for pages and API alike; writes in one transaction; and leaves its audit trail
(django-auditlog records the before/after). A refusal on the data raises `ValidationError`
keyed by field, which forms show next to the field and the API returns as 400.

Structural limits (department count, forbidden "centres") belong to the reform rules, which sit
above this app (`tongxue.rules` imports `unions`, never the reverse). So `add_department` calls
the hooks in `STRUCTURE_CHECKS`, which the rules app registers in its `AppConfig.ready()`: every
caller — view, admin, API — goes through the same checks.
"""
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import Department, Union


def ensure_can_manage(user, union: Union) -> None:
    if not Union.objects.manageable_by(user).filter(pk=union.pk).exists():
        raise PermissionDenied


def _save_unique(instance, field: str, message: str) -> None:
    """Save, turning a unique-constraint race (a double submit) into the same refusal as the check."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError({field: message}) from None


@transaction.atomic
def update_union(user, union: Union, *, name: str, declared_duties: str) -> Union:
    ensure_can_manage(user, union)
    name = name.strip()
    taken = _("A union with this name already exists.")
    if Union.objects.filter(university_id=union.university_id, name=name).exclude(pk=union.pk).exists():
        raise ValidationError({"name": taken})
    union.name = name
    union.declared_duties = declared_duties
    _save_unique(union, "name", taken)
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
        raise ValidationError(_("This union has no current term."))
    name = name.strip()
    taken = _("This term already has a department with this name.")
    if Department.objects.filter(university_id=union.university_id, term=term, name=name).exists():
        raise ValidationError({"name": taken})
    after_create = [hook(user, union, department_name=name, override_reason=override_reason)
                    for hook in STRUCTURE_CHECKS]
    department = Department(university_id=union.university_id, term=term, name=name, description=description,
                            order=order)
    _save_unique(department, "name", taken)
    for callback in after_create:
        if callback is not None:
            callback(department)
    return department


def league_union_filter(user, prefix: str = ""):
    """A Q on unions (at `prefix`) guided by the user as League teacher: every union of the
    university for a school-wide League teacher, the college's unions for a college one."""
    from django.db.models import Q

    from tongxue.core.scope import scope_of

    scope = scope_of(user)
    return Q(**{f"{prefix}university_id__in": scope.league_university_ids}) | Q(
        **{f"{prefix}college_id__in": scope.league_college_ids}
    )


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
