"""The audit history of governance records (who, when, before/after), kept by django-auditlog.

Each entry carries the record's university (and college where it has one) in
`additional_data`, so League teachers see only the history of their own scope.
"""
from auditlog.registry import auditlog

from tongxue.unions.models import Association, Department, Membership, Term, Union

from .models import Campus, College, Major, RoleAssignment, Student, StudentClass, University


def _tenant_data(self) -> dict:
    university_id = self.pk if isinstance(self, University) else self.university_id
    college_id = getattr(self, "college_id", None)
    if college_id is None and hasattr(self, "term_id"):
        college_id = self.term.union.college_id
    return {"university_id": university_id, "college_id": college_id}


GOVERNANCE_MODELS = [University, Campus, College, Major, StudentClass, RoleAssignment,
                     Union, Term, Department, Membership, Association]

for model in GOVERNANCE_MODELS:
    model.get_additional_data = _tenant_data
    auditlog.register(model)
# Student records are audited too, without their contact details in the trail.
Student.get_additional_data = _tenant_data
auditlog.register(Student, exclude_fields=["phone", "email", "updated", "created"])
