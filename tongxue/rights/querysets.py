"""Who sees which case (the one scope mechanism for pages, API and exports).

* the student who submitted it (not for anonymous cases: nobody is linked) and those who joined it;
* the union body handling it: the cadres of its union, the class representative for a class-level
  case, college-union cadres for class-level cases of their college, and the named handler;
* staff of the office it is transferred to (only those cases);
* League teachers and Party approvers of its college or the whole university, and administrators.
"""
from django.db.models import Q

from tongxue.core.querysets import ScopedQuerySet


def _handling_q(user, scope, office_ids) -> Q:
    """Cases the account acts on: the filter form of `privacy.can_handle` or
    `privacy.is_office_staff` (tests/rights/test_scope_pages.py keeps the two in step)."""
    from tongxue.unions.models import Union

    q = Q(handler=user)
    whole = scope.admin_university_ids | scope.league_university_ids
    if whole:
        q |= Q(university_id__in=whole)
    if scope.league_college_ids:
        q |= Q(college_id__in=scope.league_college_ids)
    if scope.member_union_ids:
        q |= Q(union_id__in=scope.member_union_ids)
        colleges = Union.objects.filter(pk__in=scope.member_union_ids, level=Union.Level.COLLEGE).values("college_id")
        q |= Q(level="class", college_id__in=colleges)
    if scope.student_class_ids:
        q |= Q(level="class", student_class_id__in=scope.student_class_ids)
    if office_ids:
        q |= Q(office_id__in=office_ids)
    return q


class CaseQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Everything the account may read: the cases it acts on, oversight of its college or
        university (Party approvers too), and its own or joined cases as a student."""
        from tongxue.core.scope import scope_of

        scope = scope_of(user)
        if scope.all_universities:
            return self
        if not scope.is_authenticated:
            return self.none()
        office_ids = list(user.rights_offices.values_list("pk", flat=True))
        q = _handling_q(user, scope, office_ids)
        if scope.oversight_university_ids:
            q |= Q(university_id__in=scope.oversight_university_ids)
        if scope.oversight_college_ids:
            q |= Q(college_id__in=scope.oversight_college_ids)
        if scope.own_student_id:
            from .models import CaseSupporter

            q |= Q(submitter_id=scope.own_student_id)
            q |= Q(pk__in=CaseSupporter.objects.filter(student_id=scope.own_student_id).values("case_id"))
        return self.filter(q, university_id__in=scope.university_ids)

    def actionable_by(self, user, office_ids=None):
        """The cases the account can act on (its inbox); `office_ids` of its active offices may be
        passed when the caller already has them."""
        from tongxue.core.scope import scope_of

        scope = scope_of(user)
        if scope.all_universities:
            return self
        if not scope.is_authenticated:
            return self.none()
        if office_ids is None:
            office_ids = list(user.rights_offices.filter(is_active=True).values_list("pk", flat=True))
        return self.visible_to(user).filter(_handling_q(user, scope, office_ids))

    def on_board(self):
        """The public board: answered or closed cases the union has not withheld, not merged."""
        return self.filter(is_public=True, status__in=("answered", "closed"), answered_at__isnull=False)

    def open(self):
        from .models import Case

        return self.filter(status__in=Case.OPEN)
