"""Routing (issue 4, item 2): which union body handles a case and who is named handler.

Levels go class → college → campus → school. A level whose body does not exist (no class
representative, no college union, no campus union) passes the case to the next level up, so every
case lands somewhere. Routing rules (`RoutingRule`) pick the starting level by category and the
student's college or campus; without a matching rule, cases start at the college level.
"""
from dataclasses import dataclass

from django.db.models import Q

from tongxue.core.models import Role, RoleAssignment
from tongxue.unions.models import Membership, Position, Union

from .models import Case, Level, RoutingRule

DEFAULT_LEVEL = Level.COLLEGE
RIGHTS_DEPARTMENT_HINT = "权益"


@dataclass(frozen=True)
class Body:
    level: str
    union: Union | None
    handler: object | None   # a User, or None when the body has nobody to name


def matching_rule(case: Case) -> RoutingRule | None:
    rules = RoutingRule.objects.filter(university_id=case.university_id).filter(
        Q(category__isnull=True) | Q(category_id=case.category_id),
        Q(college__isnull=True) | Q(college_id=case.college_id),
        Q(campus__isnull=True) | Q(campus_id=case.campus_id),
    ).select_related("handler")
    return min(rules, key=lambda r: (-r.specificity, r.priority, r.pk), default=None)


def _union_kind(case: Case, is_graduate: bool | None) -> str:
    if is_graduate is None:
        return case.union.kind if case.union_id else Union.Kind.UNDERGRADUATE
    return Union.Kind.GRADUATE if is_graduate else Union.Kind.UNDERGRADUATE


def _union_at(case: Case, level: str, kind: str) -> Union | None:
    unions = Union.objects.filter(university_id=case.university_id)
    if level == Level.COLLEGE:
        if not case.college_id:
            return None
        unions = unions.filter(level=Union.Level.COLLEGE, college_id=case.college_id)
    elif level == Level.CAMPUS:
        if not case.campus_id:
            return None
        unions = unions.filter(level=Union.Level.CAMPUS, campus_id=case.campus_id)
    else:
        unions = unions.filter(level=Union.Level.SCHOOL)
    # the union of the student's kind first (graduate / undergraduate), else any
    return sorted(unions, key=lambda u: (u.kind != kind, u.pk))[0] if unions else None


def class_representative(case: Case):
    if not case.student_class_id:
        return None
    assignment = (RoleAssignment.objects.filter(university_id=case.university_id, role=Role.CLASS_REPRESENTATIVE,
                                                student_class_id=case.student_class_id, user__is_active=True)
                  .select_related("user").order_by("pk").first())
    return assignment.user if assignment else None


def default_handler(union: Union):
    """The head of the union's rights department (a department whose name has 权益), else a
    member of it, else the president."""
    members = (Membership.objects.current().filter(term__union=union, student__user__isnull=False,
                                                   student__user__is_active=True)
               .select_related("student__user", "department"))
    rank = {Position.HEAD: 0, Position.DEPUTY_HEAD: 1, Position.OFFICER: 2}
    rights = [m for m in members if m.department_id and RIGHTS_DEPARTMENT_HINT in m.department.name]
    if rights:
        return min(rights, key=lambda m: (rank.get(m.position, 3), m.pk)).student.user
    presidium = {Position.PRESIDENT: 0, Position.ROTATING_PRESIDENT: 1, Position.VICE_PRESIDENT: 2}
    leaders = [m for m in members if m.position in presidium]
    if leaders:
        return min(leaders, key=lambda m: (presidium[m.position], m.pk)).student.user
    return None


def body_at(case: Case, level: str, *, is_graduate: bool | None = None, handler=None) -> Body:
    """The body at `level`, or the first existing one above it."""
    kind = _union_kind(case, is_graduate)
    order = Level.order()
    for candidate in order[order.index(level):]:
        if candidate == Level.CLASS:
            rep = class_representative(case)
            if rep is not None:
                return Body(Level.CLASS, None, handler or rep)
            continue
        union = _union_at(case, candidate, kind)
        if union is not None:
            return Body(candidate, union, handler or default_handler(union))
    return Body(Level.SCHOOL, None, handler)


def initial_body(case: Case, *, is_graduate: bool | None) -> Body:
    rule = matching_rule(case)
    level = rule.level if rule else DEFAULT_LEVEL
    body = body_at(case, level, is_graduate=is_graduate)
    if rule and rule.handler_id and body.level == rule.level and rule.handler.is_active:
        return Body(body.level, body.union, rule.handler)
    return body


def body_above(case: Case) -> Body | None:
    """The next body up from the case's current level, or None at the school level."""
    order = Level.order()
    index = order.index(case.level)
    if index + 1 >= len(order):
        return None
    body = body_at(case, order[index + 1])
    return body if body.level != case.level or body.union is not None else None


def body_below(case: Case) -> Body | None:
    """The nearest existing body below the case's current level, or None."""
    order = Level.order()
    for candidate in reversed(order[:order.index(case.level)]):
        if candidate == Level.CLASS:
            rep = class_representative(case)
            if rep is not None:
                return Body(Level.CLASS, None, rep)
            continue
        union = _union_at(case, candidate, _union_kind(case, None))
        if union is not None:
            return Body(candidate, union, default_handler(union))
    return None
