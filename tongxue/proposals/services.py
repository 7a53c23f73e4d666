"""Every state change of a proposal (issue 5 item 5). Pages and the API call these; each checks
permission, writes in one transaction (re-reading the proposal under a row lock), leaves an audit
entry (django-auditlog, see audit.py) and notifies those concerned after commit.

Flow (`Proposal.TRANSITIONS`, enforced by `move`): draft → submitted → accepted → answered, or
submitted → merged / turned into an opinion / not accepted; an accepted proposal may still be merged.
"""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tongxue.congress.models import CommitteeMember, CongressSession, Delegate
from tongxue.congress.permissions import can_manage, delegate_of, has_committee_role
from tongxue.rights.models import Office

from .models import CoSigner, Proposal


class ProposalError(ValidationError):
    """A refused step with a translated reason."""


# --- helpers -------------------------------------------------------------------------------------

def move(proposal: Proposal, status: str) -> None:
    """The one place a proposal's status changes: refuses a step the flow does not allow."""
    if not proposal.can_move_to(status):
        raise ProposalError(format_lazy(_("A proposal that is {current} cannot become {new}."),
                                        current=proposal.get_status_display(), new=Proposal.Status(status).label))
    proposal.status = status


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update(of=("self",)).select_related(
        "session__union", "proposer__student__user", "office").get(pk=proposal.pk)


def _user_of(delegate: Delegate):
    return delegate.student.user if delegate.student.user_id else None


def _signers(proposal: Proposal) -> list:
    return [_user_of(c.delegate) for c in proposal.cosigners.signed().select_related("delegate__student__user")]


def _committee(session: CongressSession) -> list:
    members = CommitteeMember.objects.filter(session=session, role=CommitteeMember.Role.PROPOSALS)
    return [m.user for m in members.select_related("user")]


def _notify(proposal: Proposal, kind: str, title, recipients, *, exclude=None) -> None:
    from tongxue.notifications.services import notify

    notify([u for u in recipients if u is not None and u != exclude], kind=f"proposal_{kind}", title=title,
           body=proposal.title, url=reverse("proposals:detail", args=[proposal.pk]),
           university_id=proposal.university_id)


def is_proposer(user, proposal: Proposal) -> bool:
    student = getattr(user, "student", None) if user and user.is_authenticated else None
    return student is not None and proposal.proposer.student_id == student.pk


def can_decide(user, session: CongressSession) -> bool:
    """The proposal committee (提案委员会) decides; those who run the session may too."""
    return has_committee_role(user, session, CommitteeMember.Role.PROPOSALS) or can_manage(user, session)


def office_ids_of(user) -> list[int]:
    if not user or not user.is_authenticated:
        return []
    return list(user.rights_offices.filter(is_active=True).values_list("pk", flat=True))


def is_office_staff(user, proposal: Proposal) -> bool:
    return proposal.office_id is not None and proposal.office_id in office_ids_of(user)


def answer_due(session: CongressSession, decided_on: datetime.date) -> datetime.date:
    """The office answers within `proposal_answer_days` calendar days of the decision."""
    return decided_on + datetime.timedelta(days=session.proposal_answer_days)


# --- drafting and co-signing ---------------------------------------------------------------------

def draft_proposal(user, session: CongressSession, *, title: str, reason: str, suggestion: str,
                   category: str = Proposal.Category.OTHER) -> Proposal:
    delegate = delegate_of(user, session)
    if delegate is None:
        raise PermissionDenied
    if session.status == CongressSession.Status.CLOSED:
        raise ProposalError(_("The session is closed; proposals are no longer taken."))
    return Proposal.objects.create(
        university_id=session.university_id, session=session, proposer=delegate, title=title.strip(),
        reason=reason.strip(), suggestion=suggestion.strip(), category=category)


def edit_proposal(user, proposal: Proposal, **fields) -> Proposal:
    if not is_proposer(user, proposal):
        raise PermissionDenied
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.status != Proposal.Status.DRAFT:
            raise ProposalError(_("Only a draft can be edited."))
        for name in ("title", "reason", "suggestion", "category"):
            if name in fields:
                setattr(proposal, name, fields[name].strip() if isinstance(fields[name], str) else fields[name])
        proposal.save()
    return proposal


def invite_cosigner(user, proposal: Proposal, delegate: Delegate) -> CoSigner:
    """The proposer asks a fellow seated delegate to co-sign. Inviting twice changes nothing."""
    if not is_proposer(user, proposal):
        raise PermissionDenied
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.status != Proposal.Status.DRAFT:
            raise ProposalError(_("Co-signers are invited while the proposal is a draft."))
        if delegate.session_id != proposal.session_id or not delegate.is_seated:
            raise ProposalError(_("Only seated delegates of this session can co-sign."))
        if delegate.pk == proposal.proposer_id:
            raise ProposalError(_("The proposer does not co-sign their own proposal."))
        cosigner, created = CoSigner.objects.get_or_create(
            university_id=proposal.university_id, proposal=proposal, delegate=delegate)
        if created:
            _notify(proposal, "invited", format_lazy(_("{name} asks you to co-sign a proposal"),
                                                     name=proposal.proposer.student.name), [_user_of(delegate)])
    return cosigner


def cosign(user, proposal: Proposal) -> CoSigner:
    """An invited seated delegate signs. Signing twice changes nothing."""
    delegate = delegate_of(user, proposal.session)
    if delegate is None:
        raise PermissionDenied
    with transaction.atomic():
        proposal = _locked(proposal)
        cosigner = CoSigner.objects.select_for_update().filter(proposal=proposal, delegate=delegate).first()
        if cosigner is None:
            raise PermissionDenied
        if cosigner.is_signed:
            return cosigner
        if proposal.status != Proposal.Status.DRAFT:
            raise ProposalError(_("The proposal has been submitted; signatures can no longer change."))
        cosigner.signed_at, cosigner.withdrawn_at = timezone.now(), None
        cosigner.save()
        _notify(proposal, "cosigned", format_lazy(_("{name} co-signed your proposal"), name=delegate.student.name),
                [_user_of(proposal.proposer)])
    return cosigner


def withdraw_signature(user, proposal: Proposal) -> CoSigner:
    """A co-signer takes their signature back before the proposal is submitted."""
    delegate = delegate_of(user, proposal.session)
    if delegate is None:
        raise PermissionDenied
    with transaction.atomic():
        proposal = _locked(proposal)
        cosigner = CoSigner.objects.select_for_update().filter(proposal=proposal, delegate=delegate).first()
        if cosigner is None:
            raise PermissionDenied
        if proposal.status != Proposal.Status.DRAFT:
            raise ProposalError(_("The proposal has been submitted; signatures can no longer change."))
        if cosigner.is_signed:
            cosigner.signed_at, cosigner.withdrawn_at = None, timezone.now()
            cosigner.save()
            _notify(proposal, "withdrawn", format_lazy(_("{name} withdrew their signature"),
                                                       name=delegate.student.name), [_user_of(proposal.proposer)])
    return cosigner


def submit_proposal(user, proposal: Proposal) -> Proposal:
    """The proposer submits with at least `min_cosigners` signatures. Submitting twice is harmless."""
    if not is_proposer(user, proposal):
        raise PermissionDenied
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.status == Proposal.Status.SUBMITTED:
            return proposal
        session = proposal.session
        if session.status == CongressSession.Status.CLOSED:
            raise ProposalError(_("The session is closed; proposals are no longer taken."))
        signed = proposal.cosigners.signed().filter(delegate__status=Delegate.Status.SEATED).count()
        if signed < session.min_cosigners:
            raise ProposalError(
                _("A proposal needs at least %(needed)s co-signers; this one has %(signed)s.")
                % {"needed": session.min_cosigners, "signed": signed}, code="cosigners")
        move(proposal, Proposal.Status.SUBMITTED)
        last = Proposal.objects.filter(session=session).aggregate(n=Max("number"))["n"]
        proposal.number = (last or 0) + 1
        proposal.submitted_at = timezone.now()
        proposal.save()
        _notify(proposal, "submitted", _("A proposal was submitted to the proposal committee"),
                _committee(session) + _signers(proposal))
    return proposal


# --- the proposal committee's decision -----------------------------------------------------------

def _decide(user, proposal: Proposal, status: str, note: str, **fields) -> Proposal:
    if not can_decide(user, proposal.session):
        raise PermissionDenied
    proposal = _locked(proposal)
    move(proposal, status)
    proposal.decided_at, proposal.decided_by, proposal.decision_note = timezone.now(), user, note.strip()
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.save()
    return proposal


def accept_proposal(user, proposal: Proposal, office: Office, note: str = "", *, today=None) -> Proposal:
    """Accept (立案) and send to the responsible office of the university, with a reply deadline."""
    if office.university_id != proposal.university_id or not office.is_active:
        raise ProposalError(_("Choose an office of the university."))
    with transaction.atomic():
        today = today or timezone.localdate()
        proposal = _decide(user, proposal, Proposal.Status.ACCEPTED, note, office=office,
                           answer_due=answer_due(proposal.session, today))
        title = _("Your proposal was accepted and sent to an office")
        _notify(proposal, "accepted", title, [_user_of(proposal.proposer)] + _signers(proposal))
        _notify(proposal, "assigned", _("A congress proposal awaits your office's answer"),
                list(office.staff.filter(is_active=True)))
    return proposal


def merge_proposal(user, proposal: Proposal, into: Proposal, note: str = "") -> Proposal:
    """Merge into another proposal of the session; this one (and any merged into it) then follows it."""
    if into.session_id != proposal.session_id or into.pk == proposal.pk:
        raise ProposalError(_("Merge into another proposal of the same session."))
    if into.status not in (Proposal.Status.SUBMITTED, Proposal.Status.ACCEPTED, Proposal.Status.ANSWERED):
        raise ProposalError(_("Merge into a proposal that is being handled."))
    with transaction.atomic():
        proposal = _decide(user, proposal, Proposal.Status.MERGED, note, merged_into=into)
        Proposal.objects.filter(merged_into=proposal).update(merged_into=into)
        _notify(proposal, "merged", _("Your proposal was merged into another one"),
                [_user_of(proposal.proposer)] + _signers(proposal))
    return proposal


def make_opinion(user, proposal: Proposal, note: str = "", office: Office | None = None) -> Proposal:
    """Turn into an opinion or suggestion (转为意见建议): forwarded, without a formal answer."""
    if office is not None and office.university_id != proposal.university_id:
        raise ProposalError(_("Choose an office of the university."))
    with transaction.atomic():
        proposal = _decide(user, proposal, Proposal.Status.OPINION, note, office=office)
        _notify(proposal, "opinion", _("Your proposal was turned into an opinion and forwarded"),
                [_user_of(proposal.proposer)] + _signers(proposal))
        if office is not None:
            _notify(proposal, "opinion_forwarded",
                    _("An opinion from the student congress was forwarded to your office"),
                    list(office.staff.filter(is_active=True)))
    return proposal


def reject_proposal(user, proposal: Proposal, reason: str) -> Proposal:
    if not reason.strip():
        raise ProposalError(_("Give the reason why the proposal is not accepted."), code="reason")
    with transaction.atomic():
        proposal = _decide(user, proposal, Proposal.Status.NOT_ACCEPTED, reason)
        _notify(proposal, "not_accepted", _("Your proposal was not accepted"),
                [_user_of(proposal.proposer)] + _signers(proposal))
    return proposal


# --- the office's answer and the rating ----------------------------------------------------------

def answer_proposal(user, proposal: Proposal, text: str) -> Proposal:
    if not text.strip():
        raise ProposalError(_("Write the answer."), code="answer")
    with transaction.atomic():
        proposal = _locked(proposal)
        if not is_office_staff(user, proposal):
            raise PermissionDenied
        if proposal.status == Proposal.Status.ANSWERED:
            raise ProposalError(_("This proposal has already been answered."))
        move(proposal, Proposal.Status.ANSWERED)
        proposal.answer, proposal.answered_at, proposal.answered_by = text.strip(), timezone.now(), user
        proposal.save()
        recipients = [_user_of(proposal.proposer)] + _signers(proposal)
        for merged in proposal.merged_proposals.select_related("proposer__student__user"):
            recipients.append(_user_of(merged.proposer))
        _notify(proposal, "answered", _("The office answered your proposal"), recipients)
    return proposal


def rate_answer(user, proposal: Proposal, satisfaction: str, comment: str = "") -> Proposal:
    if not is_proposer(user, proposal):
        raise PermissionDenied
    if satisfaction not in Proposal.Satisfaction.values:
        raise ProposalError(_("Choose how satisfied you are."), code="satisfaction")
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.status != Proposal.Status.ANSWERED:
            raise ProposalError(_("Only an answered proposal can be rated."))
        if proposal.rated_at:
            raise ProposalError(_("You have already rated this answer."))
        proposal.satisfaction, proposal.rating_comment = satisfaction, comment.strip()
        proposal.rated_at = timezone.now()
        proposal.save()
        if proposal.office_id:
            _notify(proposal, "rated", format_lazy(_("The proposer rated your answer: {rating}"),
                                                   rating=proposal.get_satisfaction_display()),
                    list(proposal.office.staff.filter(is_active=True)))
    return proposal
