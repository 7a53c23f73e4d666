"""Elections at a congress session (rules.md §5; issue 5 item 6).

Counting is never done here: `services.count_election` builds a `domain.tally.ElectionSpec`
from an election and its candidates and calls `domain.tally.count`, so the stored result equals
what `tongxue tally` prints for the published ballots file.

Secrecy of online ballots
-------------------------
* `Ballot` has no link to a voter: no delegate, no account, no timestamp; its primary key is a
  random UUID and its receipt a random code.
* When the vote opens, one blank ballot per delegate present is created ("issued") in random
  order, and one `VoterRecord` per such delegate. Casting fills a blank ballot picked at random
  and marks the voter record as voted, in one transaction. Neither the row order of ballots nor
  that of voter records therefore follows the order in which people voted.
* Ballots are not registered with django-auditlog (an entry would carry the actor).

This protects the secret against anyone reading the application's data, its history and the
published file. It does not protect against someone who watches the database's raw pages or
write-ahead log while the vote is running (as with any server-side ballot box): keep database
access to the operators.
"""
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongxue.congress.models import AgendaItem, CongressSession, Delegate, validate_share
from tongxue.core.models import Student, TenantModel
from tongxue.core.querysets import ScopedQuerySet

RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"   # no 0/O, 1/I: read aloud and typed from a phone
RECEIPT_LENGTH = 8


def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


class ElectionQuerySet(ScopedQuerySet):
    """Elections are seen with their session (the congress's work is public in the university)."""

    def visible_to(self, user):
        return self.filter(session__in=CongressSession.objects.visible_to(user))

    def published(self):
        return self.filter(status=Election.Status.PUBLISHED)


class Election(TenantModel):
    class Kind(models.TextChoices):
        PRESIDIUM = "presidium", _("presidium")
        OTHER = "other", _("other")

    class Mode(models.TextChoices):
        ONLINE = "online", _("online secret ballot")
        PAPER = "paper", _("paper ballots")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("voting")
        COUNTING = "counting", _("counting")
        COUNTED = "counted", _("counted")
        PUBLISHED = "published", _("published")
        VOID = "void", _("void")

    class MajorityBase(models.TextChoices):
        PRESENT = "present", _("the delegates present")
        VALID = "valid", _("the valid ballots")
        DUE = "due", _("the delegates due to attend")

    class FollowUp(models.TextChoices):
        RUNOFF = "runoff", _("run-off for a tie at the last seat")
        REVOTE = "revote", _("new vote for unfilled seats")
        REPEAT = "repeat", _("repeated void vote")

    class Unfilled(models.TextChoices):
        UNDECIDED = "", _("not decided")
        REVOTE = "revote", _("vote again")
        VACANT = "vacant", _("leave vacant")

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="elections",
                                verbose_name=_("session"))
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="elections", verbose_name=_("agenda item"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.PRESIDIUM)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    majority_base = models.CharField(
        _("majority of"), max_length=8, choices=MajorityBase, default=MajorityBase.PRESENT,
        help_text=_("A candidate is elected only with “for” votes from more than half of this number. "
                    "Default: the delegates present."))
    mode = models.CharField(_("voting"), max_length=6, choices=Mode, default=Mode.ONLINE)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    min_surplus = models.CharField(
        _("minimum surplus of a competitive election"), max_length=10, default="1/5", validators=[validate_share],
        help_text=_("A competitive election lists at least this share of the seats in extra candidates "
                    "(rounded up). Default 1/5 (20%)."))
    issued = models.PositiveIntegerField(_("ballots issued"), null=True, blank=True)
    present = models.PositiveIntegerField(_("delegates present when the vote opened"), null=True, blank=True)
    due = models.PositiveIntegerField(_("seated delegates (due to attend)"), null=True, blank=True)
    runoff_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="follow_ups", verbose_name=_("follows"))
    follow_up = models.CharField(_("follow-up of"), max_length=8, choices=FollowUp, blank=True)
    unfilled_decision = models.CharField(_("unfilled seats"), max_length=8, choices=Unfilled, blank=True)
    unfilled_note = models.CharField(_("decision on unfilled seats"), max_length=200, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True,
                              help_text=_("The result of domain.tally.count, as stored when the count was accepted."))
    candidate_order = models.JSONField(_("candidate keys on the ballot"), default=list, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("vote", "closed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created = models.DateTimeField(auto_now_add=True)

    objects = ElectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["university", "session", "created", "pk"]
        indexes = [models.Index(fields=["university", "session", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def listed(self):
        return self.candidates.filter(is_write_in=False).order_by("order")

    @property
    def is_competitive(self) -> bool:
        return self.listed.count() > self.seats

    def minimum_candidates(self) -> int:
        """Candidates a competitive election must list (domain.tally.minimum_candidates)."""
        from tongxue.domain.tally import minimum_candidates, parse_share

        return minimum_candidates(self.seats, parse_share(self.min_surplus))

    @property
    def is_online(self) -> bool:
        return self.mode == self.Mode.ONLINE

    @property
    def returned(self) -> int:
        if self.result:
            return self.result["returned"]
        if self.is_online:
            return self.ballots.filter(is_cast=True).count()
        return PaperEntry.objects.filter(election=self).values("sheet").distinct().count()


class Candidate(TenantModel):
    """A person on the ballot, in stroke order (`order`); `key` is the candidate's key in the tally
    and the published file. A write-in who is elected is added at publication with `is_write_in`."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates",
                                 verbose_name=_("election"))
    student = models.ForeignKey(Student, null=True, blank=True, on_delete=models.PROTECT, related_name="candidacies",
                                verbose_name=_("student"))
    name = models.CharField(_("name on the ballot"), max_length=80)
    key = models.CharField(_("key"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_write_in = models.BooleanField(_("written in"), default=False)
    application = models.ForeignKey("cadres.Application", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("approved application"))
    is_elected = models.BooleanField(_("elected"), default=False)
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["election", "is_write_in", "order"]
        constraints = [
            models.UniqueConstraint(fields=["university", "election", "key"], name="candidate_key_unique"),
        ]
        indexes = [models.Index(fields=["university", "student", "is_elected"])]

    def __str__(self) -> str:
        return self.name

    @property
    def went_through_chain(self) -> bool:
        return self.application_id is not None


class Ballot(TenantModel):
    """An online ballot. Deliberately nothing that points to a voter or to a time (see the module
    docstring). `marks` has one character per candidate in `Election.candidate_order`: F for,
    A against, - abstain (the compact form of the published file)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots",
                                 verbose_name=_("election"))
    receipt = models.CharField(_("receipt code"), max_length=12, default=new_receipt)
    is_cast = models.BooleanField(_("cast"), default=False)
    marks = models.CharField(_("marks"), max_length=200, blank=True)
    write_ins = models.JSONField(_("write-ins"), default=list, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["receipt"]
        constraints = [
            models.UniqueConstraint(fields=["university", "election", "receipt"], name="ballot_receipt_unique"),
        ]
        indexes = [models.Index(fields=["university", "election", "is_cast"])]

    def __str__(self) -> str:
        return self.receipt


class VoterRecord(TenantModel):
    """That a delegate was issued a ballot (present when the vote opened) and whether they voted;
    nothing about how."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voters",
                                 verbose_name=_("election"))
    delegate = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="voter_records",
                                 verbose_name=_("delegate"))
    has_voted = models.BooleanField(_("voted"), default=False)

    class Meta:
        verbose_name = _("voter record")
        verbose_name_plural = _("voter records")
        constraints = [
            models.UniqueConstraint(fields=["university", "election", "delegate"], name="voter_record_unique"),
        ]


class Official(TenantModel):
    """A teller (计票人) entering paper ballots — copy A or copy B — or a scrutineer (监票人), a
    delegate who is not a candidate, who signs off the count."""

    class Role(models.TextChoices):
        TELLER_A = "teller_a", _("teller (entry A)")
        TELLER_B = "teller_b", _("teller (entry B)")
        SCRUTINEER = "scrutineer", _("scrutineer")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="officials",
                                 verbose_name=_("election"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("account"))
    role = models.CharField(_("role"), max_length=10, choices=Role)
    signed_at = models.DateTimeField(_("signed off"), null=True, blank=True)

    class Meta:
        verbose_name = _("teller or scrutineer")
        verbose_name_plural = _("tellers and scrutineers")
        ordering = ["election", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["university", "election", "user", "role"], name="official_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user.full_name} ({self.get_role_display()})"


class PaperEntry(TenantModel):
    """One teller's entry of one paper sheet. Each sheet is entered twice, as copy A and copy B by
    different tellers; the count is accepted only when both copies of every sheet agree."""

    class Copy(models.TextChoices):
        A = "A", _("entry A")
        B = "B", _("entry B")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="paper_entries",
                                 verbose_name=_("election"))
    sheet = models.PositiveIntegerField(_("sheet number"))
    copy = models.CharField(_("entry"), max_length=1, choices=Copy)
    marks = models.CharField(_("marks"), max_length=200)
    write_ins = models.JSONField(_("write-ins"), default=list, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("entered by"))
    entered_at = models.DateTimeField(_("entered"), auto_now=True)

    class Meta:
        verbose_name = _("paper ballot entry")
        verbose_name_plural = _("paper ballot entries")
        ordering = ["election", "sheet", "copy"]
        constraints = [
            models.UniqueConstraint(fields=["university", "election", "sheet", "copy"], name="paper_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet}{self.copy}"
