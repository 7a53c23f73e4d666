"""Audit history of election records (see core/audit.py). Ballots and voter records are NOT
registered: an entry carries the actor and a time, which would tie a ballot to its voter or
show when each delegate voted."""
from auditlog.registry import auditlog

from .models import Candidate, Election, Official, PaperEntry


def _election_data(self) -> dict:
    return {"university_id": self.university_id, "college_id": self.session.union.college_id}


def _child_data(self) -> dict:
    return {"university_id": self.university_id, "college_id": self.election.session.union.college_id}


Election.get_additional_data = _election_data
auditlog.register(Election, exclude_fields=["result", "candidate_order"])
for model in (Candidate, Official, PaperEntry):
    model.get_additional_data = _child_data
    auditlog.register(model)
