"""Delegates' proposals (提案, issue 5 item 5; rules.md §4 "handles delegates' proposals").

A seated delegate drafts a proposal and invites co-signers; with at least the session's
`min_cosigners` signatures it is submitted; the proposal committee accepts it (and sends it to
the responsible university office — the rights desk's `Office`, which answers both kinds of
request), merges it into another, turns it into an opinion (转为意见建议) or does not accept it;
the office answers within `proposal_answer_days` calendar days and the proposer rates the answer.

Status flow: `Proposal.TRANSITIONS`, checked by `services.move` only.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxue.congress.models import CongressSession, Delegate
from tongxue.core.models import TenantModel
from tongxue.rights.models import Office

from .querysets import CoSignerQuerySet, ProposalQuerySet


class Proposal(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted, awaiting the office's answer")
        ANSWERED = "answered", _("answered")
        MERGED = "merged", _("merged into another proposal")
        OPINION = "opinion", _("turned into an opinion")
        NOT_ACCEPTED = "not_accepted", _("not accepted")

    class Category(models.TextChoices):
        TEACHING = "teaching", _("teaching and study")
        LOGISTICS = "logistics", _("logistics and campus life")
        CAREER = "career", _("employment and career")
        RIGHTS = "rights", _("student rights")
        UNION = "union", _("union work")
        OTHER = "other", _("other")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied")
        BASIC = "basic", _("basically satisfied")
        UNSATISFIED = "unsatisfied", _("unsatisfied")

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.ACCEPTED, Status.MERGED, Status.OPINION, Status.NOT_ACCEPTED},
        Status.ACCEPTED: {Status.ANSWERED, Status.MERGED},
        Status.ANSWERED: set(),
        Status.MERGED: set(),
        Status.OPINION: set(),
        Status.NOT_ACCEPTED: set(),
    }

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="proposals",
                                verbose_name=_("session"))
    number = models.PositiveIntegerField(_("proposal number"), null=True, blank=True)
    proposer = models.ForeignKey(Delegate, on_delete=models.PROTECT, related_name="proposals",
                                 verbose_name=_("proposer"))
    title = models.CharField(_("title"), max_length=100)
    reason = models.TextField(_("reason"), max_length=3000, help_text=_("What the problem is and why it matters (案由)."))
    suggestion = models.TextField(_("suggestion"), max_length=3000, help_text=_("What should be done (建议)."))
    category = models.CharField(_("category"), max_length=12, choices=Category, default=Category.OTHER)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # The proposal committee's decision.
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decision_note = models.TextField(_("decision note"), max_length=1000, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="merged_proposals", verbose_name=_("merged into"))
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals",
                               verbose_name=_("responsible office"))
    answer_due = models.DateField(_("answer due"), null=True, blank=True)
    # The office's answer and the proposer's rating.
    answer = models.TextField(_("answer"), max_length=5000, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("answered by"))
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["session", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["university", "session", "number"], name="proposal_number_unique"),
        ]
        indexes = [
            models.Index(fields=["university", "session", "status"]),
            models.Index(fields=["university", "office", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    @property
    def reference(self) -> str:
        return f"TA{self.session.number}-{self.number:03d}" if self.number else ""

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.Status(self.status)]

    @property
    def is_overdue(self) -> bool:
        return (self.status == self.Status.ACCEPTED and self.answer_due is not None
                and timezone.localdate() > self.answer_due)

    @property
    def followed(self) -> "Proposal":
        """The proposal whose handling this one follows: the end of its merge chain."""
        proposal, seen = self, set()
        while proposal.merged_into_id and proposal.pk not in seen:
            seen.add(proposal.pk)
            proposal = proposal.merged_into
        return proposal


class CoSigner(TenantModel):
    """A delegate invited to co-sign (附议) a proposal; `signed_at` is set while they sign it.
    A co-signer may withdraw until the proposal is submitted."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosigners",
                                 verbose_name=_("proposal"))
    delegate = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="cosignatures",
                                 verbose_name=_("delegate"))
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = CoSignerQuerySet.as_manager()

    class Meta:
        verbose_name = _("co-signer")
        verbose_name_plural = _("co-signers")
        ordering = ["proposal", "invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["university", "proposal", "delegate"], name="proposal_cosigner_unique"),
        ]

    def __str__(self) -> str:
        return str(self.delegate)

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None
