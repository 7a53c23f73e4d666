"""Audit history of the preparation records (timeline, seats, class meetings, notice, objections)."""
from auditlog.registry import auditlog

from .models import (
    Apportionment, ClassCandidate, ClassMeeting, DelegateNotice, DelegateObjection, Milestone, SeatUnit,
)


def _child_data(self) -> dict:
    return {"university_id": self.university_id, "college_id": self.session.union.college_id}


def _apportionment_child_data(self) -> dict:
    return {"university_id": self.university_id, "college_id": self.apportionment.session.union.college_id}


def _meeting_child_data(self) -> dict:
    return {"university_id": self.university_id, "college_id": self.meeting.session.union.college_id}


for model in (Milestone, Apportionment, ClassMeeting, DelegateNotice, DelegateObjection):
    model.get_additional_data = _child_data
    auditlog.register(model)
SeatUnit.get_additional_data = _apportionment_child_data
auditlog.register(SeatUnit)
ClassCandidate.get_additional_data = _meeting_child_data
auditlog.register(ClassCandidate)
