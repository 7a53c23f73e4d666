"""Appointment (任命) of a cadre to a position of a union's current term, with the reform limits
checked live (rules.md §1–2; issue 3 item 2): staff and presidium counts, allowed titles,
political status and eligibility. A refused appointment raises `RuleViolation` naming the rule;
a League teacher who manages the union may make it anyway with a written reason, recorded as an
`Override` that shows in the self-assessment.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxue.domain import reform_rules as rr
from tongxue.rules.services import RuleViolation, can_override, check_change, record_overrides
from tongxue.unions.models import Department, Membership, Position, Union
from tongxue.unions.services import ensure_can_manage


def title_violation(union: Union, position: str) -> RuleViolation:
    rule = rr.RULES_BY_ID["S6" if not union.is_second_level else "C5"]
    config = rr.RuleConfig()
    finding = rr.Finding(rule, rr.Outcome(rr.FAIL, position, position, (position,)), rule.text_for(config),
                         rule.text_for(config, "en"))
    return RuleViolation([finding])


def check_prerequisites(student) -> None:
    """What the cadre's own record must show before any appointment (issue 3, items 5 and 6): the
    training the university marked as required, and no 不合格 (fail) in the latest assessment. These
    are not reform indicators and have no override: the student attends the training, and an
    assessment result is changed only by a new assessment."""
    from .assessment import latest_assessment
    from .training import has_required_training

    problems = []
    if not has_required_training(student):
        problems.append(_("%(name)s has not attended the training required before appointment.")
                        % {"name": student.name})
    latest = latest_assessment(student)
    if latest is not None and latest[0] == "fail":
        problems.append(_("%(name)s's latest assessment result is “fail”: a cadre assessed as failing is not "
                          "appointed again.") % {"name": student.name})
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def appoint(actor, union: Union, student, position: str, department: Department | None = None,
            override_reason: str = "") -> Membership:
    ensure_can_manage(actor, union)
    if position not in Position.values:
        # a title outside the allowed set can never be stored: no override for S6/C5
        raise title_violation(union, position)
    term = union.current_term()
    if term is None:
        raise ValidationError(_("This union has no current term."))
    if position in Position.presidium():
        department = None
    elif department is None or department.term_id != term.pk:
        raise ValidationError(_("Department members need a department of the current term."))
    if not union.served_students().filter(pk=student.pk).exists():
        raise ValidationError(_("This student is not served by this union."))
    if Membership.objects.filter(term=term, student=student, end_date__isnull=True).exists():
        raise ValidationError(_("This student already holds a position in this term."))
    check_prerequisites(student)
    refused = check_change(union, add_member=(student, position, department))
    reason = (override_reason or "").strip()
    if refused and (not reason or not can_override(actor, union)):
        raise RuleViolation(refused)
    membership = Membership.objects.create(
        university_id=union.university_id, term=term, student=student, position=position, department=department,
        start_date=timezone.localdate(),
    )
    if refused:
        record_overrides(actor, union, refused, reason=reason, membership=membership,
                         description=_("%(name)s appointed %(position)s") % {
                             "name": student.name, "position": membership.get_position_display()})
    return membership
