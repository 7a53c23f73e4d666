"""Cadre records in the audit history, each with its university and college (see core/audit.py)."""
from auditlog.registry import auditlog

from .models import ExitCase


def _exit_case_data(self) -> dict:
    return {"university_id": self.university_id, "college_id": self.membership.term.union.college_id}


ExitCase.get_additional_data = _exit_case_data
auditlog.register(ExitCase)
