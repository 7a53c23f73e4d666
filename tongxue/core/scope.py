"""What an account's roles let it see and change, computed once per request.

Roles come from three places: being a student, holding a position in a union's current term
(a cadre), and explicit `RoleAssignment`s (class representative, League teacher, Party /
student-affairs approver, office staff, administrators). Querysets turn a `Scope` into
filters (`Model.objects.visible_to(user)`); views and the API never filter by hand.
"""
from dataclasses import dataclass, field

from django.db.models import Q

from .models import Role, RoleAssignment


@dataclass(frozen=True)
class Scope:
    is_authenticated: bool = False
    all_universities: bool = False
    university_ids: frozenset[int] = frozenset()
    # whole-university oversight (League teacher, Party approver, administrators)
    oversight_university_ids: frozenset[int] = frozenset()
    oversight_college_ids: frozenset[int] = frozenset()
    # League-committee roles, kept apart so that two roles never add up to powers neither gives
    league_university_ids: frozenset[int] = frozenset()
    league_college_ids: frozenset[int] = frozenset()
    admin_university_ids: frozenset[int] = frozenset()
    # union cadres
    member_union_ids: frozenset[int] = frozenset()
    managed_union_ids: frozenset[int] = frozenset()
    # students whose records the account may read
    student_university_ids: frozenset[int] = frozenset()
    student_college_ids: frozenset[int] = frozenset()
    student_campus_ids: frozenset[int] = frozenset()
    graduate_student_university_ids: frozenset[int] = frozenset()
    student_class_ids: frozenset[int] = frozenset()
    own_student_id: int | None = None
    # who may see full contact details (teachers and administrators)
    contact_university_ids: frozenset[int] = frozenset()
    contact_college_ids: frozenset[int] = frozenset()
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_student(self) -> bool:
        return self.own_student_id is not None

    @property
    def is_cadre(self) -> bool:
        return bool(self.member_union_ids)

    @property
    def is_league(self) -> bool:
        return Role.LEAGUE_TEACHER in self.roles

    @property
    def is_party(self) -> bool:
        return Role.PARTY_APPROVER in self.roles

    @property
    def is_admin(self) -> bool:
        return self.all_universities or bool(self.admin_university_ids)

    @property
    def has_oversight(self) -> bool:
        return self.all_universities or bool(self.oversight_university_ids or self.oversight_college_ids)

    @property
    def can_read_students(self) -> bool:
        return self.all_universities or bool(
            self.student_university_ids or self.student_college_ids or self.student_campus_ids
            or self.graduate_student_university_ids or self.student_class_ids
        )

    @property
    def can_import_roster(self) -> bool:
        """The roster is kept by administrators and school-wide League teachers."""
        return self.all_universities or bool(self.roster_university_ids)

    @property
    def roster_university_ids(self) -> frozenset[int]:
        """Universities whose roster the account keeps (federation administrators: all)."""
        return self.admin_university_ids | self.league_university_ids

    def students_filter(self) -> Q:
        q = Q(pk__in=[])
        if self.own_student_id:
            q |= Q(pk=self.own_student_id)
        if self.student_university_ids:
            q |= Q(university_id__in=self.student_university_ids)
        if self.student_college_ids:
            q |= Q(college_id__in=self.student_college_ids)
        if self.student_campus_ids:
            q |= Q(college__campus_id__in=self.student_campus_ids)
        if self.graduate_student_university_ids:
            from .models import DegreeLevel

            q |= Q(university_id__in=self.graduate_student_university_ids,
                   degree_level__in=DegreeLevel.graduate_levels())
        if self.student_class_ids:
            q |= Q(student_class_id__in=self.student_class_ids)
        return q

    def sees_contact_of(self, student) -> bool:
        return (
            self.all_universities
            or student.pk == self.own_student_id
            or student.university_id in self.contact_university_ids
            or student.college_id in self.contact_college_ids
        )

    @property
    def audit_university_ids(self) -> frozenset[int]:
        """Universities whose whole audit history the account may read."""
        return self.admin_university_ids | self.league_university_ids

    @property
    def audit_college_ids(self) -> frozenset[int]:
        return self.league_college_ids

    def can_audit(self) -> bool:
        """League teachers (school-wide or of one college) and administrators read the audit history."""
        return self.all_universities or bool(self.audit_university_ids or self.audit_college_ids)


ANONYMOUS = Scope()


def compute_scope(user) -> Scope:
    if not user or not user.is_authenticated:
        return ANONYMOUS
    from tongxue.unions.models import Membership, Position, Union

    sets: dict[str, set[int]] = {name: set() for name in Scope.__dataclass_fields__ if name.endswith("_ids")}
    roles: set[str] = set()
    all_universities = user.is_superuser
    own_student_id = None
    if user.university_id:
        sets["university_ids"].add(user.university_id)
    student = getattr(user, "student", None) if hasattr(user, "student") else None
    if student is not None:
        own_student_id = student.pk
        roles.add("student")
        memberships = (
            Membership.objects.current().filter(student=student).select_related("term__union")
        )
        for membership in memberships:
            union = membership.term.union
            roles.add("cadre")
            sets["member_union_ids"].add(union.pk)
            if membership.position in Position.leading():
                sets["managed_union_ids"].add(union.pk)
            if union.level == Union.Level.COLLEGE:
                sets["student_college_ids"].add(union.college_id)
            elif union.level == Union.Level.CAMPUS:
                sets["student_campus_ids"].add(union.campus_id)
            elif union.kind == Union.Kind.GRADUATE:
                sets["graduate_student_university_ids"].add(union.university_id)
            else:
                sets["student_university_ids"].add(union.university_id)
    for assignment in RoleAssignment.objects.filter(user=user).select_related("college", "student_class"):
        if not assignment.is_consistent():
            continue  # a college or class of another university grants nothing
        roles.add(assignment.role)
        if assignment.role == Role.FEDERATION_ADMIN:
            all_universities = True
            continue
        sets["university_ids"].add(assignment.university_id)
        if assignment.role == Role.CLASS_REPRESENTATIVE:
            if assignment.student_class_id:
                sets["student_class_ids"].add(assignment.student_class_id)
        elif assignment.role == Role.UNIVERSITY_ADMIN:
            sets["admin_university_ids"].add(assignment.university_id)
            sets["oversight_university_ids"].add(assignment.university_id)
            sets["student_university_ids"].add(assignment.university_id)
            sets["contact_university_ids"].add(assignment.university_id)
        elif assignment.role in (Role.LEAGUE_TEACHER, Role.PARTY_APPROVER):
            if assignment.college_id:
                sets["oversight_college_ids"].add(assignment.college_id)
                sets["student_college_ids"].add(assignment.college_id)
                sets["contact_college_ids"].add(assignment.college_id)
            else:
                sets["oversight_university_ids"].add(assignment.university_id)
                sets["student_university_ids"].add(assignment.university_id)
                sets["contact_university_ids"].add(assignment.university_id)
            if assignment.role == Role.LEAGUE_TEACHER:
                if assignment.college_id:
                    sets["league_college_ids"].add(assignment.college_id)
                else:
                    sets["league_university_ids"].add(assignment.university_id)
                # League teachers guide unions: they manage the unions in their scope.
                unions = Union.objects.filter(university_id=assignment.university_id)
                if assignment.college_id:
                    unions = unions.filter(college_id=assignment.college_id)
                sets["managed_union_ids"].update(unions.values_list("pk", flat=True))
    return Scope(
        is_authenticated=True,
        all_universities=all_universities,
        own_student_id=own_student_id,
        roles=frozenset(roles),
        **{name: frozenset(values) for name, values in sets.items()},
    )


def scope_of(user) -> Scope:
    """The scope of an account, cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_tongxue_scope", None)
    if cached is None:
        cached = compute_scope(user)
        user._tongxue_scope = cached
    return cached
