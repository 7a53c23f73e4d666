"""Union operations that change governance records. Each checks permission and the data rules
once, here, for pages and API alike; writes in one transaction; and leaves its audit trail
(django-auditlog records the before/after). A refusal on the data raises `ValidationError`
keyed by field, which forms show next to the field and the API returns as 400."""
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


@transaction.atomic
def add_department(user, union: Union, *, name: str, description: str = "", order: int = 0) -> Department:
    """Add a department to the union's current term."""
    ensure_can_manage(user, union)
    term = union.current_term()
    if term is None:
        raise ValidationError(_("This union has no current term."))
    name = name.strip()
    taken = _("This term already has a department with this name.")
    if Department.objects.filter(university_id=union.university_id, term=term, name=name).exists():
        raise ValidationError({"name": taken})
    department = Department(university_id=union.university_id, term=term, name=name, description=description,
                            order=order)
    _save_unique(department, "name", taken)
    return department
