"""Who may act on a case, and whose identity a viewer may see (issue 4, items 1, 2 and 5).

Identity rules, applied by every page, the API and the exports through `submitter_for`:
* anonymous: nobody (no student is stored);
* hidden: the submitter and those who handle the case for the union (handler, the handling
  union's cadres, class representative, League teachers and administrators); never an office,
  a student who joined, or the public;
* named: as hidden, plus the office and the public board — by name and college only; the 学号
  is never public (conventions.md, Privacy).
"""
from dataclasses import dataclass

from tongxue.core.scope import scope_of

from .models import Case, Level


def is_office_staff(user, case: Case) -> bool:
    return bool(case.office_id and user.is_authenticated
                and user.rights_offices.filter(pk=case.office_id).exists())


def can_handle(user, case: Case) -> bool:
    """Act for the union on a case: accept, move, transfer, answer, merge, withhold from the board."""
    scope = scope_of(user)
    if not scope.is_authenticated:
        return False
    if scope.all_universities or case.university_id in scope.admin_university_ids:
        return True
    if case.handler_id == user.pk:
        return True
    if case.university_id in scope.league_university_ids or case.college_id in scope.league_college_ids:
        return True
    if case.union_id and case.union_id in scope.member_union_ids:
        return True
    if case.level == Level.CLASS:
        if case.student_class_id and case.student_class_id in scope.student_class_ids:
            return True
        from tongxue.unions.models import Union

        return Union.objects.filter(pk__in=scope.member_union_ids, level=Union.Level.COLLEGE,
                                    college_id=case.college_id).exists()
    return False


def is_submitter(user, case: Case) -> bool:
    scope = scope_of(user)
    return bool(case.submitter_id and scope.own_student_id == case.submitter_id)


@dataclass(frozen=True)
class Submitter:
    name: str
    student_no: str = ""       # empty unless the viewer may see it
    college: str = ""


def submitter_for(user, case: Case, *, handles: bool | None = None) -> Submitter | None:
    """The submitter as `user` may see them, or None (anonymous, or hidden from this viewer).
    Pass `handles` when the caller already knows `can_handle(user, case)`."""
    if case.identity == Case.Identity.ANONYMOUS or case.submitter_id is None:
        return None
    student = case.submitter
    college = case.college.name if case.college_id else ""
    if is_submitter(user, case) or (handles if handles is not None else can_handle(user, case)):
        return Submitter(student.name, student.student_no, college)
    if case.identity == Case.Identity.NAMED:
        return Submitter(student.name, "", college)
    return None


def public_submitter(case: Case) -> Submitter | None:
    """What the public board shows: the name and college of a named case only."""
    if case.identity != Case.Identity.NAMED or case.submitter_id is None:
        return None
    return Submitter(case.submitter.name, "", case.college.name if case.college_id else "")
