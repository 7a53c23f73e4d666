"""Union, Term (届), Department and Membership (a cadre holding a position)."""
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongxue.core.models import Campus, College, Student, TenantModel
from tongxue.core.querysets import ScopedQuerySet


class UnionQuerySet(ScopedQuerySet):
    def manageable_by(self, user):
        from tongxue.core.scope import scope_of

        scope = scope_of(user)
        if scope.all_universities:
            return self
        # League teachers' unions are already in managed_union_ids; college oversight alone
        # (a Party approver of one college) manages nothing.
        return self.filter(
            models.Q(university_id__in=scope.admin_university_ids) | models.Q(pk__in=scope.managed_union_ids)
        )


class Union(TenantModel):
    class Level(models.TextChoices):
        SCHOOL = "school", _("school level")
        CAMPUS = "campus", _("campus level")
        COLLEGE = "college", _("college level")

    class Kind(models.TextChoices):
        UNDERGRADUATE = "student", _("student union")
        GRADUATE = "graduate", _("graduate student union")

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.UNDERGRADUATE)
    campus = models.ForeignKey(Campus, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("campus"))
    college = models.ForeignKey(College, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("college"))
    declared_duties = models.TextField(
        _("declared duties"), blank=True,
        help_text=_("What the union does for students; it carries no administrative work of the school."),
    )

    objects = UnionQuerySet.as_manager()

    class Meta:
        verbose_name = _("union")
        verbose_name_plural = _("unions")
        ordering = ["university", "level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["university", "name"], name="union_name_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(level="school", campus__isnull=True, college__isnull=True)
                    | models.Q(level="campus", campus__isnull=False, college__isnull=True)
                    | models.Q(level="college", college__isnull=False)
                ),
                name="union_level_matches_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_second_level(self) -> bool:
        return self.level != self.Level.SCHOOL

    def current_term(self):
        return self.terms.filter(is_current=True).first()

    def served_students(self):
        """The enrolled students this union serves — the one definition used for whom it may
        appoint, who rates its cadres as "students served" and which classes its cadres contact.

        The area is the union's college (college level), campus (campus level) or the whole
        university (school level); within it, a graduate student union serves the graduate
        students (master's and doctoral) and a student union everyone else, at every level.
        """
        from tongxue.core.models import DegreeLevel

        students = Student.objects.filter(university_id=self.university_id, is_enrolled=True)
        if self.level == self.Level.COLLEGE:
            students = students.filter(college_id=self.college_id)
        elif self.level == self.Level.CAMPUS:
            students = students.filter(college__campus_id=self.campus_id)
        if self.kind == self.Kind.GRADUATE:
            return students.filter(degree_level__in=DegreeLevel.graduate_levels())
        return students.exclude(degree_level__in=DegreeLevel.graduate_levels())

    def served_classes(self):
        """The classes of the union's area (see `served_students`) with a student it serves, and
        those with no enrolled student yet; a class made up only of students of the other kind
        (graduate classes for a student union, and vice versa) is not served."""
        from tongxue.core.models import StudentClass

        classes = StudentClass.objects.filter(university_id=self.university_id)
        if self.level == self.Level.COLLEGE:
            classes = classes.filter(college_id=self.college_id)
        elif self.level == self.Level.CAMPUS:
            classes = classes.filter(college__campus_id=self.campus_id)
        enrolled = Student.objects.filter(university_id=self.university_id, is_enrolled=True)
        return classes.filter(
            models.Q(pk__in=self.served_students().values("student_class_id"))
            | ~models.Q(pk__in=enrolled.filter(student_class__isnull=False).values("student_class_id"))
        )


class Term(TenantModel):
    """One union term (届). Exactly one term of a union is current; earlier ones are history."""

    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="terms", verbose_name=_("union"))
    number = models.PositiveSmallIntegerField(_("term number"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_current = models.BooleanField(_("current"), default=False)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["university", "union", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["university", "union", "number"], name="term_number_unique"),
            models.UniqueConstraint(
                fields=["university", "union"], condition=models.Q(is_current=True), name="one_current_term"
            ),
        ]

    def __str__(self) -> str:
        return _("%(union)s, term %(number)s") % {"union": self.union, "number": self.number}


class Department(TenantModel):
    """A working department (工作部门): the only level below the presidium."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="departments", verbose_name=_("term"))
    name = models.CharField(_("name"), max_length=50)
    description = models.TextField(_("what it does"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["university", "term", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["university", "term", "name"], name="department_name_unique")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.university_id:
            self.university_id = self.term.university_id  # e.g. added inline on a term in the admin
        super().save(*args, **kwargs)


class Position(models.TextChoices):
    """The only titles a union may use (rules.md §1)."""

    PRESIDENT = "president", _("president")
    VICE_PRESIDENT = "vice_president", _("vice-president")
    ROTATING_PRESIDENT = "rotating_president", _("rotating executive president")
    HEAD = "head", _("department head")
    DEPUTY_HEAD = "deputy_head", _("deputy department head")
    OFFICER = "officer", _("officer")

    @classmethod
    def presidium(cls) -> tuple[str, ...]:
        return (cls.PRESIDENT, cls.VICE_PRESIDENT, cls.ROTATING_PRESIDENT)

    @classmethod
    def leading(cls) -> tuple[str, ...]:
        """Positions whose holders may manage their union's records."""
        return (*cls.presidium(), cls.HEAD, cls.DEPUTY_HEAD)


class MembershipQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Positions held now are public within the university (the union pages list them);
        an ended position (when, why) only to those who may read the student's record."""
        from tongxue.core.scope import scope_of

        if scope_of(user).all_universities:
            return self
        return super().visible_to(user).filter(
            models.Q(end_date__isnull=True) | models.Q(student__in=Student.objects.visible_to(user))
        )

    def active(self):
        return self.filter(end_date__isnull=True)

    def current(self):
        return self.active().filter(term__is_current=True)


class Membership(TenantModel):
    """A student holding a position in one term of a union (a cadre's appointment)."""

    class EndReason(models.TextChoices):
        TERM_END = "term_end", _("end of term")
        RESIGNATION = "resignation", _("resignation")
        DISMISSAL = "dismissal", _("dismissal")
        RECALL = "recall", _("recalled by the congress")

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("term"))
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("student"))
    position = models.CharField(_("position"), max_length=20, choices=Position)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships",
        verbose_name=_("department"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=20, choices=EndReason, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["university", "term", "department__order", "position"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(position__in=Position.presidium(), department__isnull=True)
                    | models.Q(position__in=[Position.HEAD, Position.DEPUTY_HEAD, Position.OFFICER],
                               department__isnull=False)
                ),
                name="membership_position_matches_level",
            ),
            models.UniqueConstraint(
                fields=["university", "term", "student"], condition=models.Q(end_date__isnull=True),
                name="one_active_membership_per_term",
            ),
        ]
        indexes = [models.Index(fields=["university", "student", "end_date"])]

    def __str__(self) -> str:
        return f"{self.student.name} · {self.get_position_display()}"

    @property
    def is_presidium(self) -> bool:
        return self.position in Position.presidium()

    def clean(self):
        if self.is_presidium and self.department_id:
            raise ValidationError({"department": _("Presidium members do not belong to a department.")})
        if not self.is_presidium and not self.department_id:
            raise ValidationError({"department": _("Department members need a department.")})
        if self.department_id and self.department.term_id != self.term_id:
            raise ValidationError({"department": _("The department belongs to another term.")})


class Association(TenantModel):
    """A student association (社团) other than the union, with its relation to the union."""

    class Relation(models.TextChoices):
        INDEPENDENT = "independent", _("independent association")
        GUIDED = "guided", _("guided by the union")
        FEDERATION = "federation", _("association federation")

    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category"), max_length=50, blank=True)
    college = models.ForeignKey(College, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("college"))
    relation = models.CharField(_("relation to the union"), max_length=20, choices=Relation, default=Relation.INDEPENDENT)
    member_count = models.PositiveIntegerField(_("members"), default=0)
    is_main = models.BooleanField(_("main association"), default=False, help_text=_("Main associations get congress seats."))

    class Meta:
        verbose_name = _("student association")
        verbose_name_plural = _("student associations")
        ordering = ["university", "name"]
        constraints = [models.UniqueConstraint(fields=["university", "name"], name="association_name_unique")]

    def __str__(self) -> str:
        return self.name
