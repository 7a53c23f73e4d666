"""Audit history of the cadres' governance records (training sessions, assessment rounds,
contact assignments, exit cases), each with its university and college (see core/audit.py).
Assessment scores are deliberately not audited: the trail would tie students' anonymous scores
to their ballots."""
from auditlog.registry import auditlog

from .models import AssessmentRound, ContactAssignment, ExitCase, TrainingSession


def _session_data(self) -> dict:
    return {"university_id": self.university_id, "college_id": self.union.college_id if self.union_id else None}


def _round_data(self) -> dict:
    return {"university_id": self.university_id, "college_id": self.union.college_id}


def _membership_data(self) -> dict:
    return {"university_id": self.university_id, "college_id": self.membership.term.union.college_id}


TrainingSession.get_additional_data = _session_data
auditlog.register(TrainingSession, exclude_fields=["check_in_code", "created"])
AssessmentRound.get_additional_data = _round_data
auditlog.register(AssessmentRound, exclude_fields=["created"])
ContactAssignment.get_additional_data = _membership_data
auditlog.register(ContactAssignment)
ExitCase.get_additional_data = _membership_data
auditlog.register(ExitCase)
