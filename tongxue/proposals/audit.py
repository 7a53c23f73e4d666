"""Audit history of proposals and co-signatures, each with its university and college."""
from auditlog.registry import auditlog

from .models import CoSigner, Proposal


def _data(self) -> dict:
    session = self.session if isinstance(self, Proposal) else self.proposal.session
    return {"university_id": self.university_id, "college_id": session.union.college_id}


for model in (Proposal, CoSigner):
    model.get_additional_data = _data
auditlog.register(Proposal, exclude_fields=["updated", "created"])
auditlog.register(CoSigner)
