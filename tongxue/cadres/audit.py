"""Audit history of the cadres' governance records (training sessions, assessment rounds,
contact assignments, exit cases), each with its university and college (see core/audit.py).
Assessment scores are deliberately not audited: the trail would tie students' anonymous scores
to their ballots."""
from auditlog.registry import auditlog

from .models import (
    Application, ApprovalStep, AssessmentRound, ContactAssignment, ExitCase, InterviewScore, Objection, PublicNotice,
    Recruitment, TrainingSession,
)


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


def _recruitment_data(self) -> dict:
    return {"university_id": self.university_id, "college_id": self.union.college_id}


def _via_recruitment(self) -> dict:
    return {"university_id": self.university_id, "college_id": self.recruitment.union.college_id}


def _via_application(self) -> dict:
    return {"university_id": self.university_id, "college_id": self.application.recruitment.union.college_id}


# Selection (选拔): every transition leaves its before/after here, with the actor of the request.
Recruitment.get_additional_data = _recruitment_data
auditlog.register(Recruitment, exclude_fields=["created"])
Application.get_additional_data = _via_recruitment
auditlog.register(Application, exclude_fields=["updated", "statement"])
ApprovalStep.get_additional_data = _via_application
auditlog.register(ApprovalStep)
PublicNotice.get_additional_data = _via_recruitment
auditlog.register(PublicNotice, m2m_fields={"applications"})
Objection.get_additional_data = _via_application
auditlog.register(Objection, exclude_fields=["text"])
InterviewScore.get_additional_data = _via_application
auditlog.register(InterviewScore)
