"""Assessment (考核) of cadres by several sources (issue 3, item 6).

Named sources (self, peers, supervisor, League teacher) are stored as one `AssessmentScore` per
rater. The students served are anonymous, and that is kept by design rather than by care: their
ballots are never stored as rows. Each ballot only adds to per-(round, cadre) running tallies
(`AssessmentStudentTally`: count, sum of performance, sum of conduct), and the
`AssessmentBallotReceipt` that enforces one ballot per student holds only (round, student). No
row is written per ballot besides the receipt, and tallies carry no timestamp, so no id, order
or time links a receipt to a score.
"""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongxue.core.models import Student, TenantModel, User
from tongxue.domain import assessment as domain
from tongxue.unions.models import Membership, Term, Union

__all__ = ["AssessmentRound", "AssessmentScore", "AssessmentStudentTally", "AssessmentBallotReceipt", "AssessmentSource", "Grade"]


def default_weights() -> dict:
    return dict(domain.DEFAULT_WEIGHTS)


def default_thresholds() -> dict:
    return dict(domain.DEFAULT_THRESHOLDS)


class AssessmentSource(models.TextChoices):
    SELF = domain.SELF, _("self")
    PEER = domain.PEER, _("peers")
    SUPERVISOR = domain.SUPERVISOR, _("supervisor")
    LEAGUE = domain.LEAGUE, _("League teacher")
    STUDENTS = domain.STUDENTS, _("students served")


class Grade(models.TextChoices):
    EXCELLENT = domain.EXCELLENT, _("excellent")
    GOOD = domain.GOOD, _("good")
    PASS = domain.PASS, _("pass")
    FAIL = domain.FAIL, _("fail")


class AssessmentRound(TenantModel):
    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="assessment_rounds",
                              verbose_name=_("union"))
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="assessment_rounds", verbose_name=_("term"))
    label = models.CharField(_("label"), max_length=100, help_text=_("For example “2025-2026 first term”."))
    weights = models.JSONField(_("weights per source (%)"), default=default_weights)
    thresholds = models.JSONField(_("grade thresholds"), default=default_thresholds)
    is_open = models.BooleanField(_("open for rating"), default=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    closed = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["university", "-created"]
        constraints = [
            models.UniqueConstraint(fields=["university", "term", "label"], name="assessment_round_label_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.union} · {self.label}"


SCORE = [MinValueValidator(0), MaxValueValidator(100)]


class AssessmentScore(TenantModel):
    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="scores",
                              verbose_name=_("assessment round"))
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="assessment_scores",
                                   verbose_name=_("cadre"))
    source = models.CharField(_("source"), max_length=12, choices=AssessmentSource)
    rater = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("rater"))
    performance = models.PositiveSmallIntegerField(_("performance"), validators=SCORE)
    conduct = models.PositiveSmallIntegerField(_("conduct"), validators=SCORE)

    class Meta:
        verbose_name = _("assessment score")
        verbose_name_plural = _("assessment scores")
        constraints = [
            models.UniqueConstraint(fields=["university", "round", "membership", "source", "rater"],
                                    condition=models.Q(rater__isnull=False), name="one_score_per_rater_source"),
            models.CheckConstraint(condition=~models.Q(source="students"),
                                   name="students_served_only_in_tallies"),
            models.CheckConstraint(condition=models.Q(performance__lte=100, conduct__lte=100),
                                   name="score_at_most_100"),
        ]
        indexes = [models.Index(fields=["university", "round", "membership"])]


class AssessmentStudentTally(TenantModel):
    """The students served's ratings of one cadre in one round, as running sums: how many
    ballots rated the cadre and the sums of their performance and conduct scores. Updated in
    place (with F() expressions) by every ballot of the round; no timestamp, no rater."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="student_tallies",
                              verbose_name=_("assessment round"))
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="student_tallies",
                                   verbose_name=_("cadre"))
    count = models.PositiveIntegerField(_("ballots"), default=0)
    performance_sum = models.PositiveIntegerField(_("sum of performance"), default=0)
    conduct_sum = models.PositiveIntegerField(_("sum of conduct"), default=0)

    class Meta:
        verbose_name = _("students-served tally")
        verbose_name_plural = _("students-served tallies")
        constraints = [
            models.UniqueConstraint(fields=["university", "round", "membership"], name="one_tally_per_round_cadre"),
        ]


class AssessmentBallotReceipt(TenantModel):
    """That a student has cast their ballot in a round — not what they gave whom, nor when."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="receipts")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("ballot receipt")
        verbose_name_plural = _("ballot receipts")
        constraints = [
            models.UniqueConstraint(fields=["university", "round", "student"], name="one_ballot_per_student_round"),
        ]
