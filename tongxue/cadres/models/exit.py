"""Exit (退出机制): why and how a cadre leaves a position (rules.md §2, issue 3 item 6).

An `ExitCase` is opened automatically when an academic import makes a serving cadre ineligible
(reason `eligibility`, status `open`, the eligibility reasons in `details`) and decided by the
League teacher: the cadre is dismissed (`decided`) or kept with a written reason (`dismissed`
— the case is dismissed; this is the human review of an automatic decision). Resignations,
dismissals and term ends are recorded as decided cases too, so every exit has one record of
who decided what, when. The membership itself keeps the history (end date and reason).
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongxue.core.models import TenantModel
from tongxue.core.querysets import ScopedQuerySet

__all__ = ["ExitCase"]


class ExitCaseQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """League teachers see the cases of the unions they guide: a school-wide League teacher
        the whole university's, a college League teacher their college's unions' only."""
        from tongxue.core.scope import scope_of
        from tongxue.unions.services import league_union_filter

        if scope_of(user).all_universities:
            return self
        return self.filter(league_union_filter(user, prefix="membership__term__union__"))

    def open(self):
        return self.filter(status=ExitCase.Status.OPEN)


class ExitCase(TenantModel):
    class Reason(models.TextChoices):
        ELIGIBILITY = "eligibility", _("no longer eligible")
        ASSESSMENT = "assessment", _("assessment result")
        DISCIPLINE = "discipline", _("discipline")
        RESIGNATION = "resignation", _("resignation")
        TERM_END = "term_end", _("end of term")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DECIDED = "decided", _("decided: the cadre left")
        DISMISSED = "dismissed", _("dismissed: the cadre stays")

    TRANSITIONS = {
        Status.OPEN: {Status.DECIDED, Status.DISMISSED},
        Status.DECIDED: set(),
        Status.DISMISSED: set(),
    }
    DISMISSAL_REASONS = (Reason.ASSESSMENT, Reason.ELIGIBILITY, Reason.DISCIPLINE)

    membership = models.ForeignKey("unions.Membership", on_delete=models.PROTECT, related_name="exit_cases",
                                   verbose_name=_("position"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    details = models.JSONField(_("details"), default=dict, blank=True,
                               help_text=_("For eligibility: the reasons found, as {code, params}."))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decision = models.TextField(_("decision"), blank=True)
    created = models.DateTimeField(_("opened"), auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = ExitCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("exit case")
        verbose_name_plural = _("exit cases")
        ordering = ["university", "-created"]
        constraints = [
            models.UniqueConstraint(fields=["university", "membership"], condition=models.Q(status="open"),
                                    name="one_open_exit_case_per_membership"),
        ]
        indexes = [models.Index(fields=["university", "status", "-created"])]

    def __str__(self) -> str:
        return f"{self.membership} · {self.get_reason_display()} · {self.get_status_display()}"

    def move_to(self, status: str) -> None:
        if status not in self.TRANSITIONS[self.Status(self.status)]:
            raise ValueError(f"exit case cannot go from {self.status} to {status}")
        self.status = status

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
