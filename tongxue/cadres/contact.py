"""Direct contact with students (直接联系同学, rules.md §6; issue 3, item 7): assignments of
classes or dorms to cadres, the cadres' contact logs, and the monthly coverage of classes."""
import calendar
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from tongxue.core.models import StudentClass
from tongxue.core.scope import scope_of
from tongxue.unions.models import Membership, Union

from .models import ContactAssignment, ContactLog


def current_memberships(user):
    student_id = scope_of(user).own_student_id
    if not student_id:
        return Membership.objects.none()
    return Membership.objects.current().filter(student_id=student_id).select_related("term__union")


def can_view_coverage(user) -> bool:
    scope = scope_of(user)
    return scope.all_universities or bool(scope.admin_university_ids or scope.managed_union_ids)


def area_classes(union: Union):
    """The classes a union serves (`Union.served_classes`)."""
    return union.served_classes()


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


@transaction.atomic
def log_contact(user, membership: Membership, **fields) -> ContactLog:
    if not current_memberships(user).filter(pk=membership.pk).exists():
        raise PermissionDenied
    return ContactLog.objects.create(university_id=membership.university_id, membership=membership, **fields)


@transaction.atomic
def assign(user, membership: Membership, *, student_class=None, dorm: str = "", starts_on: datetime.date,
           ends_on: datetime.date | None = None) -> ContactAssignment:
    if not Union.objects.manageable_by(user).filter(pk=membership.term.union_id).exists():
        raise PermissionDenied
    return ContactAssignment.objects.create(
        university_id=membership.university_id, membership=membership, student_class=student_class, dorm=dorm,
        starts_on=starts_on, ends_on=ends_on,
    )


@dataclass
class CoverageRow:
    student_class: StudentClass
    assigned: list[str] = field(default_factory=list)
    last_date: datetime.date | None = None
    last_by: str = ""
    contacts: int = 0

    @property
    def is_reached(self) -> bool:
        return self.contacts > 0


def coverage(union: Union, month: datetime.date) -> list[CoverageRow]:
    """Every class assigned to a cadre of the union during the month, and (for second-level
    unions) every other class of its college or campus, with the month's last contact and who
    made it. Classes nobody reached come first."""
    first, last = month_bounds(month)
    assignments = (
        ContactAssignment.objects.filter(university_id=union.university_id, membership__term__union=union,
                                         student_class__isnull=False, starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .select_related("student_class", "membership__student")
    )
    rows: dict[int, CoverageRow] = {}
    for a in assignments:
        row = rows.setdefault(a.student_class_id, CoverageRow(a.student_class))
        if a.membership.student.name not in row.assigned:
            row.assigned.append(a.membership.student.name)
    if union.is_second_level:
        for cls in area_classes(union).exclude(pk__in=rows):
            rows[cls.pk] = CoverageRow(cls)
    logs = (
        ContactLog.objects.filter(university_id=union.university_id, membership__term__union=union,
                                  student_class_id__in=rows, date__gte=first, date__lte=last)
        .select_related("membership__student").order_by("date", "created")
    )
    for log in logs:
        row = rows[log.student_class_id]
        row.contacts += 1
        row.last_date, row.last_by = log.date, log.membership.student.name
    return sorted(rows.values(), key=lambda r: (r.is_reached, r.student_class.college_id, r.student_class.name))
