"""Selection of cadres (选拔, rules.md §3; issue 3 item 4): one function per transition.

Each checks permission, writes in one transaction, stamps the actor and time (`now`, which tests
pass to move the clock), and leaves the audit trail (django-auditlog, see `audit.py`).

open call → `apply` (eligibility computed and kept as a snapshot; an ineligible student may still
apply: the application is flagged for human review, and the first approver must write why they
recommend it anyway) → `decide_step` along the chain of the position type (a rejection ends it) →
`score_interview` (recorded for the approvers; not a gate) → `publish_notice` of the candidates whose
chain is complete → `file_objection` during the notice / `answer_objection` → `appoint_from_notice`
after the notice ended with every objection on the candidate answered, through
`appointments.appoint` so the live reform limits apply (a League teacher may override there).

Who approves which stage: see the role mapping in `models/selection.py`.
"""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxue.core.eligibility import eligibility_of
from tongxue.core.models import Role, RoleAssignment
from tongxue.core.scope import scope_of
from tongxue.core.workcalendar import calendar_for, gap_message
from tongxue.domain.workdays import ONE_DAY, CalendarGap, end_of_day, local_day
from tongxue.unions.models import Department, Position, Union
from tongxue.unions.services import ensure_can_manage, is_league_teacher_of

from .appointments import appoint
from .models import (
    STAGE_CAPACITIES, Application, ApprovalStep, Capacity, InterviewScore, Objection, Opening, PositionType,
    PublicNotice, Recruitment,
)

Status = Application.Status


def _now(now):
    return now or timezone.now()


# --- who may do what ---------------------------------------------------------------------------

def capacities_of(user, application: Application) -> set[str]:
    """The capacities in which `user` may sign a stage of this application (role mapping in
    models/selection.py). Read from the role assignments of the application's university."""
    if not user.is_authenticated:
        return set()
    college_id = application.student.college_id
    out = set()
    for role, college in RoleAssignment.objects.filter(
            user=user, university_id=application.university_id,
            role__in=[Role.LEAGUE_TEACHER, Role.PARTY_APPROVER]).values_list("role", "college_id"):
        if role == Role.LEAGUE_TEACHER:
            out.add(Capacity.SCHOOL_LEAGUE if college is None else
                    Capacity.COLLEGE_LEAGUE if college == college_id else None)
        else:
            if college is None:
                out.update({Capacity.STUDENT_AFFAIRS, Capacity.PARTY_COMMITTEE})
            elif college == college_id:
                out.add(Capacity.COLLEGE_PARTY)
    out.discard(None)
    return out


def pending(application: Application, steps=None) -> tuple[str | None, list[str]]:
    """The next stage of the application's chain and the capacities still to sign it;
    (None, []) when the chain is complete."""
    steps = list(application.steps.all()) if steps is None else steps
    approved = {s.capacity for s in steps if s.decision == ApprovalStep.Decision.APPROVE}
    for stage in application.recruitment.stages_for(application.position_type):
        missing = [c for c in STAGE_CAPACITIES[stage] if c not in approved]
        if missing:
            return stage, missing
    return None, []


def chain_complete(application: Application) -> bool:
    return pending(application)[0] is None


def may_decide(user, application: Application) -> list[str]:
    """The capacities in which `user` may sign the application's next stage now ([] if none).
    In a joint review one person signs once, even if they hold both roles."""
    if application.status not in Application.IN_CHAIN:
        return []
    steps = list(application.steps.all())
    stage, missing = pending(application, steps)
    if stage is None:
        return []
    if any(s.actor_id == user.pk and s.stage == stage for s in steps):
        return []
    mine = capacities_of(user, application)
    return [c for c in missing if c in mine]


def is_approver_of(user, recruitment: Recruitment) -> bool:
    """League teachers and Party approvers of the recruitment's university (school-wide or of a
    college), and its administrators: the people who see the applications' trail."""
    scope = scope_of(user)
    return scope.all_universities or (
        recruitment.university_id in scope.university_ids and (scope.is_league or scope.is_party)
    ) or recruitment.university_id in scope.admin_university_ids


def may_score(user, recruitment: Recruitment) -> bool:
    """Interview scores are entered by the union's managers and its League teachers."""
    return Union.objects.manageable_by(user).filter(pk=recruitment.union_id).exists()


def may_run(user, recruitment: Recruitment) -> bool:
    """Publishing the notice and answering objections: the union's League teachers."""
    return scope_of(user).all_universities or is_league_teacher_of(user, recruitment.union)


# --- transitions -------------------------------------------------------------------------------

@transaction.atomic
def open_recruitment(actor, union: Union, *, title: str, opens_at: datetime.datetime, closes_at: datetime.datetime,
                     openings: list[tuple[str, Department | None, int]], call_text: str = "",
                     notice_working_days: int = 5, chain: dict | None = None) -> Recruitment:
    """Open a call for the union's current term. `openings` is [(position type, department or None, places)]."""
    ensure_can_manage(actor, union)
    term = union.current_term()
    if term is None:
        raise ValidationError(_("This union has no current term."))
    if not openings:
        raise ValidationError(_("Offer at least one position."))
    recruitment = Recruitment(university_id=union.university_id, union=union, term=term, title=title.strip(),
                              call_text=call_text, opens_at=opens_at, closes_at=closes_at,
                              notice_working_days=notice_working_days, created_by=actor)
    if chain:
        recruitment.chain = chain
    recruitment.full_clean(exclude=["university", "union", "term", "created_by"])
    recruitment.move_to(Recruitment.Status.OPEN)
    recruitment.save()
    for position_type, department, places in openings:
        if position_type not in PositionType.values:
            raise ValidationError(_("Unknown position type."))
        if department is not None and department.term_id != term.pk:
            raise ValidationError(_("Department members need a department of the current term."))
        Opening.objects.create(university_id=union.university_id, recruitment=recruitment,
                               position_type=position_type,
                               department=department if position_type == PositionType.DEPARTMENT else None,
                               places=places)
    return recruitment


def can_apply(user, recruitment: Recruitment) -> bool:
    student = getattr(user, "student", None) if user.is_authenticated else None
    return student is not None and recruitment.union.served_students().filter(pk=student.pk).exists()




def apply(user, recruitment: Recruitment, *, position_type: str, statement: str, department: Department | None = None,
          attachment=None, now=None) -> Application:
    """A student applies. Eligibility (rules.md §2) is computed now and kept with the application;
    an ineligible student may still submit — the application is flagged for human review."""
    now = _now(now)
    if not can_apply(user, recruitment):
        raise PermissionDenied
    if not recruitment.is_accepting(now):
        raise ValidationError(_("This call is not open for applications."))
    openings = recruitment.openings.filter(position_type=position_type)
    if not openings.exists():
        raise ValidationError({"position_type": _("This call offers no such position.")})
    if position_type == PositionType.PRESIDIUM:
        department = None
    elif department is not None and not openings.filter(department__in=[department, None]).exists():
        raise ValidationError({"department": _("This call offers no place in that department.")})
    if not statement.strip():
        raise ValidationError({"statement": _("Write a statement.")})
    student = user.student
    if Application.objects.filter(university_id=recruitment.university_id, recruitment=recruitment,
                                  student=student).exists():
        raise ValidationError(_("You have already applied to this call."))
    result = eligibility_of(student, today=timezone.localdate(now))
    application = Application(
        university_id=recruitment.university_id, recruitment=recruitment, student=student,
        position_type=position_type, department=department, statement=statement.strip(),
        is_eligible_at_submission=bool(result.is_eligible),
        eligibility_reasons=[r.as_dict() for r in result.reasons], needs_review=not result.is_eligible,
        submitted_at=now,
    )
    if attachment is not None:
        application.attachment = attachment
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # a double submit raced past the check
        raise ValidationError(_("You have already applied to this call.")) from None
    return application


@transaction.atomic
def withdraw(user, application: Application, now=None) -> Application:
    if scope_of(user).own_student_id != application.student_id:
        raise PermissionDenied
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in (*Application.IN_CHAIN, Status.PASSED):
        raise ValidationError(_("This application can no longer be withdrawn."))
    application.status, application.withdrawn_at = Status.WITHDRAWN, _now(now)
    application.save(update_fields=["status", "withdrawn_at", "updated"])
    return application


@transaction.atomic
def decide_step(user, application: Application, *, approve: bool, comment: str = "", now=None) -> ApprovalStep:
    """Sign the next stage of the application's chain. Only the right role for that stage may;
    a rejection ends the application."""
    application = Application.objects.select_for_update().select_related(
        "recruitment", "student").get(pk=application.pk)
    if application.recruitment.status not in (Recruitment.Status.OPEN, Recruitment.Status.REVIEWING):
        raise ValidationError(_("This recruitment is no longer under review."))
    capacities = may_decide(user, application)
    if not capacities:
        raise PermissionDenied
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Write why the application is not approved.")})
    if approve and application.needs_review and not application.steps.exists() and not comment:
        raise ValidationError({"comment": _("The automatic eligibility check found reasons against this "
                                            "applicant: write why you recommend them anyway.")})
    stage, _missing = pending(application)
    step = ApprovalStep.objects.create(
        university_id=application.university_id, application=application, stage=stage, capacity=capacities[0],
        actor=user, decision=ApprovalStep.Decision.APPROVE if approve else ApprovalStep.Decision.REJECT,
        comment=comment, decided_at=_now(now),
    )
    if not approve:
        application.status = Status.REJECTED
    else:
        application.status = Status.PASSED if chain_complete(application) else Status.REVIEWING
    application.save(update_fields=["status", "updated"])
    return step


@transaction.atomic
def score_interview(user, application: Application, *, score: int, comment: str = "", now=None) -> InterviewScore:
    if not may_score(user, application.recruitment):
        raise PermissionDenied
    if application.status in (Status.WITHDRAWN, Status.REJECTED, Status.APPOINTED):
        raise ValidationError(_("This application is no longer being assessed."))
    if not 0 <= int(score) <= 100:
        raise ValidationError({"score": _("A score is between 0 and 100.")})
    record, _created = InterviewScore.objects.update_or_create(
        university_id=application.university_id, application=application, scorer=user,
        defaults={"score": int(score), "comment": comment.strip(), "scored_at": _now(now)},
    )
    return record


def notice_end(starts: datetime.datetime, working_days: int, university_id: int | None = None) -> datetime.datetime:
    """The end (24:00 Beijing time) of the last of `working_days` working days beginning on the
    day of `starts` (that day counts when it is a working day), by the university's working-day
    calendar: weekends, official holidays and its closures do not count. Raises CalendarGap when
    the period reaches a year without holiday data."""
    if working_days < 1:
        raise ValueError("a notice period has at least one working day")
    calendar = calendar_for(university_id)
    # the n-th working day after the day before the start: the start day itself counts
    last = calendar.working_day_after(local_day(starts) - ONE_DAY, working_days)
    return end_of_day(last)


@transaction.atomic
def publish_notice(user, recruitment: Recruitment, now=None) -> PublicNotice:
    """Publish the candidates whose chain is complete for the recruitment's notice period."""
    if not may_run(user, recruitment):
        raise PermissionDenied
    recruitment = Recruitment.objects.select_for_update().get(pk=recruitment.pk)
    if hasattr(recruitment, "notice"):
        raise ValidationError(_("The public notice of this recruitment is already published."))
    candidates = [a for a in recruitment.applications.filter(status=Status.PASSED) if chain_complete(a)]
    if not candidates:
        raise ValidationError(_("No candidate has been approved by the whole chain yet."))
    now = _now(now)
    try:
        ends = notice_end(now, recruitment.notice_working_days, recruitment.university_id)
    except CalendarGap as gap:
        raise ValidationError(gap_message(gap)) from gap
    recruitment.move_to(Recruitment.Status.NOTICE)
    recruitment.save(update_fields=["status"])
    notice = PublicNotice.objects.create(
        university_id=recruitment.university_id, recruitment=recruitment, starts=now, ends=ends, published_by=user,
    )
    notice.applications.set(candidates)
    return notice


@transaction.atomic
def file_objection(user, notice: PublicNotice, application: Application, text: str, now=None) -> Objection:
    """Anyone logged in at the notice's university may object to a candidate during the notice."""
    if not user.is_authenticated or (user.university_id != notice.university_id
                                     and not scope_of(user).all_universities):
        raise PermissionDenied
    now = _now(now)
    if not notice.is_running(now):
        raise ValidationError(_("Objections are accepted only while the notice runs."))
    if not notice.applications.filter(pk=application.pk).exists():
        raise ValidationError({"application": _("This person is not on the notice.")})
    if not text.strip():
        raise ValidationError({"text": _("Write your objection.")})
    return Objection.objects.create(university_id=notice.university_id, notice=notice, application=application,
                                    author=user, text=text.strip(), created=now)


@transaction.atomic
def answer_objection(user, objection: Objection, answer: str, now=None) -> Objection:
    if not may_run(user, objection.notice.recruitment):
        raise PermissionDenied
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.is_answered:
        raise ValidationError(_("This objection has already been answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    objection.answer, objection.answered_by, objection.answered_at = answer.strip(), user, _now(now)
    objection.save()
    return objection


def appointment_blockers(application: Application, now=None) -> list[str]:
    """Why the candidate cannot be appointed yet (empty when they can)."""
    now = _now(now)
    notice = application.notices.first()
    if application.status != Status.PASSED or notice is None:
        return [_("Only candidates on a public notice can be appointed.")]
    out = []
    if now < notice.ends:
        out.append(_("The public notice has not ended yet."))
    if application.objections.filter(answered_at__isnull=True).exists():
        out.append(_("An objection to this candidate is not answered yet."))
    return out


DEFAULT_POSITION = {PositionType.PRESIDIUM: Position.VICE_PRESIDENT, PositionType.DEPARTMENT: Position.OFFICER}


@transaction.atomic
def appoint_from_notice(actor, application: Application, *, position: str | None = None,
                        department: Department | None = None, override_reason: str = "", now=None):
    """Appoint a noticed candidate after the notice ended with every objection answered, through
    `appointments.appoint` (the live reform limits; a League teacher may override with a reason).
    Raises `RuleViolation` when a limit refuses."""
    application = Application.objects.select_for_update().select_related(
        "recruitment__union", "student").get(pk=application.pk)
    union = application.recruitment.union
    ensure_can_manage(actor, union)
    blockers = appointment_blockers(application, now)
    if blockers:
        raise ValidationError(" ".join(str(b) for b in blockers))
    position = position or DEFAULT_POSITION[application.position_type]
    if application.position_type == PositionType.PRESIDIUM and position not in Position.presidium():
        raise ValidationError({"position": _("A presidium candidate takes a presidium position.")})
    if application.position_type == PositionType.DEPARTMENT and position in Position.presidium():
        raise ValidationError({"position": _("A department member takes a department position.")})
    membership = appoint(actor, union, application.student, position, department or application.department,
                         override_reason=override_reason)
    application.status, application.membership, application.appointed_at = Status.APPOINTED, membership, _now(now)
    application.save(update_fields=["status", "membership", "appointed_at", "updated"])
    return membership


# --- S9: the approval chain of the self-assessment ------------------------------------------

def approval_chain_facts(staff_by_union) -> dict[int, bool | None]:
    """Registered into `rules.services.APPROVAL_CHAIN_SOURCES`: for each membership id, whether
    it came through a completed selection chain (True), was appointed directly although the union
    already recruits through the platform (False), or predates the union's first recruitment
    (None: not recorded). "Already recruits" = the membership started on or after the day the
    union's first non-draft recruitment opened."""
    from django.db.models import Min

    union_ids = [union.pk for union, _memberships in staff_by_union]
    first_open = dict(Recruitment.objects.filter(union_id__in=union_ids).exclude(status=Recruitment.Status.DRAFT)
                      .values("union_id").annotate(first=Min("opens_at")).values_list("union_id", "first"))
    membership_ids = [m.pk for _union, memberships in staff_by_union for m in memberships]
    selected = set(Application.objects.filter(membership_id__in=membership_ids, status=Status.APPOINTED)
                   .values_list("membership_id", flat=True))
    out = {}
    for union, memberships in staff_by_union:
        first = first_open.get(union.pk)
        for m in memberships:
            if m.pk in selected:
                out[m.pk] = True
            elif first is not None and m.start_date >= timezone.localdate(first):
                out[m.pk] = False
            else:
                out[m.pk] = None
    return out
