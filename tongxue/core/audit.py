"""The audit history of governance records (who, when, before/after), kept by django-auditlog.

Each entry carries the record's university (and college where it has one) in
`additional_data`, so League teachers see only the history of their own scope.
"""
from auditlog.registry import auditlog

from tongxue.unions.models import Association, Department, Membership, Term, Union

from .models import (
    CalendarOverride, Campus, College, Major, OfficialCalendarDay, OfficialCalendarYear, RoleAssignment, Student,
    StudentClass, University,
)


def _tenant_data(self) -> dict:
    """The university and, where the record belongs to one, the college: the audit page's scope."""
    if isinstance(self, University):
        return {"university_id": self.pk, "college_id": None}
    if isinstance(self, College):
        college_id = self.pk
    elif isinstance(self, Union):
        college_id = self.college_id
    elif hasattr(self, "union"):
        college_id = self.union.college_id
    elif hasattr(self, "term_id"):
        college_id = self.term.union.college_id
    else:
        college_id = getattr(self, "college_id", None)
    return {"university_id": self.university_id, "college_id": college_id}


def log_bulk_creation(instances, actor=None) -> None:
    """Audit entries for records written with bulk_create (which sends no signals)."""
    from auditlog.models import LogEntry

    for instance in instances:
        LogEntry.objects.log_create(
            instance, action=LogEntry.Action.CREATE, force_log=True, actor=actor,
            changes={"name": [None, instance.name]},
        )


GOVERNANCE_MODELS = [University, Campus, College, Major, StudentClass, RoleAssignment,
                     Union, Term, Department, Membership, Association, CalendarOverride]

for model in GOVERNANCE_MODELS:
    model.get_additional_data = _tenant_data
    auditlog.register(model)
# Student records are audited too, without their contact details in the trail.
Student.get_additional_data = _tenant_data
auditlog.register(Student, exclude_fields=["phone", "email", "updated", "created"])


def _national_data(self) -> dict:
    """The official holiday schedule belongs to no university: federation administrators see it."""
    return {"university_id": None, "college_id": None}


for model in (OfficialCalendarYear, OfficialCalendarDay):
    model.get_additional_data = _national_data
    auditlog.register(model, exclude_fields=["updated"])
