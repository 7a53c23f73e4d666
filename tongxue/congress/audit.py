"""Audit history of congress records, each with its university and college (see core/audit.py)."""
from auditlog.registry import auditlog

from .models import (
    AgendaItem, CharterVersion, CommitteeMember, CongressSession, Delegate, FormalQuestion, Resolution,
    SessionDocument,
)


def _session_data(self) -> dict:
    return {"university_id": self.university_id, "college_id": self.union.college_id}


def _child_data(self) -> dict:
    return {"university_id": self.university_id, "college_id": self.session.union.college_id}


CongressSession.get_additional_data = _session_data
auditlog.register(CongressSession, exclude_fields=["check_in_code", "created", "updated"])
for model in (CommitteeMember, Delegate, AgendaItem, SessionDocument, FormalQuestion, Resolution):
    model.get_additional_data = _child_data
    auditlog.register(model)
CharterVersion.get_additional_data = _session_data
auditlog.register(CharterVersion)

# Between sessions: the council and recalls (services_council.py).
from .models import CouncilMatter, CouncilMeeting, CouncilMember, Recall, RecallSupporter  # noqa: E402


def _matter_data(self) -> dict:
    return {"university_id": self.university_id, "college_id": self.meeting.session.union.college_id}


def _supporter_data(self) -> dict:
    return {"university_id": self.university_id, "college_id": self.recall.session.union.college_id}


for model in (CouncilMember, CouncilMeeting, Recall):
    model.get_additional_data = _child_data
    auditlog.register(model)
CouncilMatter.get_additional_data = _matter_data
auditlog.register(CouncilMatter)
RecallSupporter.get_additional_data = _supporter_data
auditlog.register(RecallSupporter)
