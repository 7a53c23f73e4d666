"""Exit of cadres (退出机制, rules.md §2 and issue 3 item 6): services.

Every way out ends the membership (end date and reason) in one transaction, so the union's
structure updates at once and the history keeps who held what, when; and each leaves a decided
`ExitCase` naming who decided and why. django-auditlog records every change.

* `raise_exit_cases_after_import` — after an academic import: one open case per serving cadre
  who is no longer eligible (never a second open case for the same position; a case the League
  teacher already kept with a written reason is not reopened for the same reasons).
* `decide_exit_case` — the League teacher dismisses the cadre or keeps them with a reason.
* `resign`, `dismiss`, `end_term` — the cadre leaves, is dismissed, or the term ends.
"""
import datetime
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxue.core.eligibility import eligibility_for
from tongxue.unions.models import Department, Membership, Term
from tongxue.unions.services import can_dismiss_in, is_league_teacher_of

from .models import ExitCase

EndReason = Membership.EndReason


def raise_exit_cases_after_import(university, student_ids, *, today: datetime.date | None = None) -> list[ExitCase]:
    """Open one exit case for each serving cadre among `student_ids` who is no longer eligible."""
    memberships = list(
        Membership.objects.current().filter(university=university, student_id__in=list(student_ids))
        .select_related("student")
    )
    if not memberships:
        return []
    results = eligibility_for({m.student_id: m.student for m in memberships}.values(), today=today)
    ids = [m.pk for m in memberships]
    open_ids = set(ExitCase.objects.filter(university=university, membership_id__in=ids, status=ExitCase.Status.OPEN)
                   .values_list("membership_id", flat=True))
    kept = set(
        (membership_id, _canonical(details)) for membership_id, details in ExitCase.objects.filter(
            university=university, membership_id__in=ids, status=ExitCase.Status.DISMISSED,
            reason=ExitCase.Reason.ELIGIBILITY).values_list("membership_id", "details")
    )
    created = []
    for m in memberships:
        result = results[m.student_id]
        if result.is_eligible or m.pk in open_ids:
            continue
        details = {"reasons": [r.as_dict() for r in result.reasons]}
        if (m.pk, _canonical(details)) in kept:
            continue  # a human already reviewed these very reasons and kept the cadre
        try:
            with transaction.atomic():
                created.append(ExitCase.objects.create(
                    university=university, membership=m, reason=ExitCase.Reason.ELIGIBILITY, details=details,
                ))
        except IntegrityError:  # a concurrent import opened it first
            continue
    return created


def _canonical(details: dict) -> str:
    """The same reasons compare equal whatever key order the database returns (PostgreSQL's jsonb sorts keys)."""
    return json.dumps(details, sort_keys=True, ensure_ascii=False)


def on_academic_records_imported(sender, *, university, student_ids, **kwargs) -> None:
    raise_exit_cases_after_import(university, student_ids)


def _end(membership: Membership, reason: str, today: datetime.date | None = None) -> None:
    if membership.end_date is not None:
        raise ValidationError(_("This position has already ended."))
    membership.end_date = today or timezone.localdate()
    membership.end_reason = reason
    membership.save(update_fields=["end_date", "end_reason"])


def _close_open_cases(membership: Membership, actor, text: str, now) -> list[ExitCase]:
    closed = []
    for case in ExitCase.objects.select_for_update().filter(
            university_id=membership.university_id, membership=membership, status=ExitCase.Status.OPEN):
        case.move_to(ExitCase.Status.DECIDED)
        case.decided_by, case.decision, case.decided_at = actor, text, now
        case.save()
        closed.append(case)
    return closed


def _record(membership, reason, actor, text, now) -> ExitCase:
    return ExitCase.objects.create(
        university_id=membership.university_id, membership=membership, reason=reason,
        status=ExitCase.Status.DECIDED, decided_by=actor, decision=text, decided_at=now,
    )


@transaction.atomic
def resign(actor, membership: Membership, reason_text: str) -> ExitCase:
    """A cadre leaves their own position."""
    student = getattr(actor, "student", None) if actor.is_authenticated else None
    if student is None or membership.student_id != student.pk:
        raise PermissionDenied
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _end(membership, EndReason.RESIGNATION)
    now = timezone.now()
    _close_open_cases(membership, actor, _("The cadre resigned."), now)
    return _record(membership, ExitCase.Reason.RESIGNATION, actor, reason_text, now)


@transaction.atomic
def dismiss(actor, membership: Membership, reason: str, text: str) -> ExitCase:
    """The union's League teacher or president dismisses a cadre, for a reason of
    assessment, eligibility or discipline, with a written explanation."""
    if reason not in ExitCase.DISMISSAL_REASONS:
        raise ValidationError(_("A dismissal is for assessment, eligibility or discipline."))
    if not text.strip():
        raise ValidationError(_("Write the reason for the decision."))
    union = membership.term.union
    own = getattr(actor, "student", None) if actor.is_authenticated else None
    if not can_dismiss_in(actor, union) or (own is not None and own.pk == membership.student_id):
        raise PermissionDenied
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _end(membership, EndReason.DISMISSAL)
    now = timezone.now()
    closed = _close_open_cases(membership, actor, text, now)
    same = next((case for case in closed if case.reason == reason), None)
    return same or _record(membership, reason, actor, text, now)


@transaction.atomic
def decide_exit_case(actor, case: ExitCase, *, remove: bool, text: str) -> ExitCase:
    """The League teacher decides an open case: dismiss the cadre, or keep them with a written
    reason (the human review of an automatic decision)."""
    membership = case.membership
    if not is_league_teacher_of(actor, membership.term.union):
        raise PermissionDenied
    case = ExitCase.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError(_("This case has already been decided."))
    if not text.strip():
        raise ValidationError(_("Write the reason for the decision."))
    if remove:
        dismiss(actor, membership, case.reason if case.reason in ExitCase.DISMISSAL_REASONS
                else ExitCase.Reason.ELIGIBILITY, text)
        case.refresh_from_db()
        return case
    case.move_to(ExitCase.Status.DISMISSED)
    case.decided_by, case.decision, case.decided_at = actor, text, timezone.now()
    case.save()
    return case


@transaction.atomic
def end_term(actor, term: Term) -> int:
    """End a term: every active position of it ends with reason "end of term" and the term is
    no longer current. Returns how many positions ended."""
    if not is_league_teacher_of(actor, term.union):
        raise PermissionDenied
    today = timezone.localdate()
    now = timezone.now()
    # order_by("pk"): the default ordering joins the nullable department, and PostgreSQL refuses
    # FOR UPDATE on the nullable side of an outer join.
    ended = list(Membership.objects.select_for_update().filter(
        university_id=term.university_id, term=term, end_date__isnull=True).order_by("pk"))
    for membership in ended:
        _end(membership, EndReason.TERM_END, today)
        _close_open_cases(membership, actor, _("The term ended."), now)
        _record(membership, ExitCase.Reason.TERM_END, actor, "", now)
    term.is_current = False
    term.end_date = term.end_date or today
    term.save(update_fields=["is_current", "end_date"])
    return len(ended)


@transaction.atomic
def change_term(actor, union) -> Term:
    """换届: end the current term (every position ends with "end of term", history kept) and start
    the next one, today, with the same departments and no members: the new cadres are chosen
    through selection. Only the union's League teacher does this."""
    current = union.current_term()
    if current is None:
        raise ValidationError(_("This union has no current term."))
    end_term(actor, current)
    today = timezone.localdate()
    following = Term.objects.create(university_id=union.university_id, union=union, number=current.number + 1,
                                    start_date=today, is_current=True)
    for department in current.departments.all():
        Department.objects.create(university_id=union.university_id, term=following, name=department.name,
                                  description=department.description, order=department.order)
    return following
