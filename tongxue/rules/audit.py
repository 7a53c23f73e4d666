"""Audit trail of the rules' governance records, like tongxue/core/audit.py: each entry carries
the university and college so that League teachers see only their scope's history."""
from auditlog.registry import auditlog

from .models import Attestation, Override, RuleConfig


def _tenant_data(self) -> dict:
    union = getattr(self, "union", None)
    return {"university_id": self.university_id, "college_id": union.college_id if union else None}


for model in (RuleConfig, Attestation, Override):
    model.get_additional_data = _tenant_data
    auditlog.register(model)
