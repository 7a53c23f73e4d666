import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tongxue.congress.models import CongressSession, Delegate
from tongxue.notifications.models import Notification
from tongxue.proposals import services
from tongxue.proposals.models import CoSigner, Proposal

pytestmark = pytest.mark.django_db


def draft(desk, i=0):
    return services.draft_proposal(desk.user(i), desk.session, title="食堂夜宵", reason="晚自习后没有吃的。",
                                   suggestion="开放夜宵窗口。")


def test_only_a_seated_delegate_drafts(desk, world):
    with pytest.raises(PermissionDenied):
        services.draft_proposal(world.cadre_a.user, desk.session, title="x", reason="y", suggestion="z")
    Delegate.objects.filter(pk=desk.congress.delegates[3].pk).update(status=Delegate.Status.REPLACED)
    with pytest.raises(PermissionDenied):
        draft(desk, 3)
    proposal = draft(desk)
    assert proposal.status == "draft" and proposal.number is None and proposal.proposer == desk.congress.delegates[0]


def test_submit_needs_min_cosigners_with_a_clear_error(desk):
    proposal = draft(desk)
    services.invite_cosigner(desk.user(0), proposal, desk.congress.delegates[1])
    services.cosign(desk.user(1), proposal)
    with pytest.raises(ValidationError) as refused:
        services.submit_proposal(desk.user(0), proposal)
    assert refused.value.code == "cosigners" and "2" in refused.value.messages[0]
    services.invite_cosigner(desk.user(0), proposal, desk.congress.delegates[2])
    services.cosign(desk.user(2), proposal)
    proposal = services.submit_proposal(desk.user(0), proposal)
    assert proposal.status == "submitted" and proposal.number == 1 and proposal.submitted_at
    # the proposal committee hears of it
    assert Notification.objects.filter(recipient=desk.committee, kind="proposal_submitted").exists()


def test_min_cosigners_is_configurable(desk):
    CongressSession.objects.filter(pk=desk.session.pk).update(min_cosigners=0)
    desk.session.refresh_from_db()
    proposal = services.submit_proposal(desk.user(0), draft(desk))
    assert proposal.status == "submitted"


def test_double_submit_and_double_cosign_are_harmless(desk):
    proposal = desk.submitted()
    again = services.submit_proposal(desk.user(0), proposal)
    assert again.number == proposal.number == 1
    assert Proposal.objects.filter(status="submitted").count() == 1
    second = draft(desk)
    services.invite_cosigner(desk.user(0), second, desk.congress.delegates[1])
    services.invite_cosigner(desk.user(0), second, desk.congress.delegates[1])
    first = services.cosign(desk.user(1), second)
    assert services.cosign(desk.user(1), second).signed_at == first.signed_at
    assert CoSigner.objects.filter(proposal=second).count() == 1
    assert Notification.objects.filter(kind="proposal_cosigned").count() == 3  # 2 for the first, 1 here


def test_cosign_limits(desk, world):
    proposal = draft(desk)
    # not invited: no signature
    with pytest.raises(PermissionDenied):
        services.cosign(desk.user(4), proposal)
    # not a delegate
    with pytest.raises(PermissionDenied):
        services.cosign(world.cadre_a.user, proposal)
    # the proposer does not sign their own, a delegate of another session cannot be invited
    with pytest.raises(ValidationError):
        services.invite_cosigner(desk.user(0), proposal, desk.congress.delegates[0])
    Delegate.objects.filter(pk=desk.congress.delegates[5].pk).update(status=Delegate.Status.WITHDRAWN)
    desk.congress.delegates[5].refresh_from_db()
    with pytest.raises(ValidationError):
        services.invite_cosigner(desk.user(0), proposal, desk.congress.delegates[5])
    # only the proposer invites
    with pytest.raises(PermissionDenied):
        services.invite_cosigner(desk.user(1), proposal, desk.congress.delegates[2])


def test_withdraw_before_submission_only(desk):
    proposal = draft(desk)
    for i in (1, 2):
        services.invite_cosigner(desk.user(0), proposal, desk.congress.delegates[i])
        services.cosign(desk.user(i), proposal)
    services.withdraw_signature(desk.user(2), proposal)
    with pytest.raises(ValidationError):
        services.submit_proposal(desk.user(0), proposal)
    services.cosign(desk.user(2), proposal)
    services.submit_proposal(desk.user(0), proposal)
    with pytest.raises(ValidationError):
        services.withdraw_signature(desk.user(2), proposal)
    assert CoSigner.objects.filter(proposal=proposal, signed_at__isnull=False).count() == 2


def test_accept_sets_office_and_deadline(desk):
    proposal = desk.submitted()
    with pytest.raises(PermissionDenied):
        services.accept_proposal(desk.user(1), proposal, desk.office)
    today = datetime.date(2026, 10, 1)
    proposal = services.accept_proposal(desk.committee, proposal, desk.office, today=today)
    assert proposal.status == "accepted" and proposal.office == desk.office
    assert proposal.answer_due == datetime.date(2026, 10, 31)  # 30 calendar days by default
    assert proposal.is_overdue  # that deadline is in the past of the test's today
    assert Notification.objects.filter(recipient=desk.office_staff, kind="proposal_assigned").exists()
    assert Notification.objects.filter(recipient=desk.user(0), kind="proposal_accepted").exists()


def test_answer_deadline_follows_the_session_setting(desk):
    CongressSession.objects.filter(pk=desk.session.pk).update(proposal_answer_days=15)
    proposal = desk.submitted()
    proposal.session.refresh_from_db()
    proposal = services.accept_proposal(desk.committee, proposal, desk.office)
    from django.utils import timezone
    assert proposal.answer_due == timezone.localdate() + datetime.timedelta(days=15)
    assert not proposal.is_overdue


def test_managers_decide_too_and_the_flow_is_checked(desk, world):
    proposal = desk.submitted()
    proposal = services.reject_proposal(world.league_school, proposal, "属于学校已有安排。")
    assert proposal.status == "not_accepted" and proposal.decision_note
    with pytest.raises(ValidationError):
        services.accept_proposal(world.league_school, proposal, desk.office)
    with pytest.raises(ValidationError):
        services.reject_proposal(world.league_school, desk.submitted("另一件"), "  ")


def test_merge_follows_the_target(desk):
    target = desk.submitted("热水")
    first = desk.submitted("热水二")
    second = desk.submitted("热水三")
    services.merge_proposal(desk.committee, second, first)
    services.merge_proposal(desk.committee, first, target)
    second.refresh_from_db()
    assert second.merged_into == target and second.followed == target
    with pytest.raises(ValidationError):
        services.merge_proposal(desk.committee, target, target)
    services.accept_proposal(desk.committee, target, desk.office)
    services.answer_proposal(desk.office_staff, target, "已延长供应时间。")
    assert Notification.objects.filter(recipient=desk.user(0), kind="proposal_answered").exists()


def test_opinion_is_forwarded_without_an_answer(desk):
    proposal = services.make_opinion(desk.committee, desk.submitted(), "作为意见转交。", desk.office)
    assert proposal.status == "opinion" and proposal.answer_due is None
    with pytest.raises(PermissionDenied):
        services.answer_proposal(desk.other_office_staff, proposal, "x")
    with pytest.raises(ValidationError):
        services.answer_proposal(desk.office_staff, proposal, "x")


def test_only_the_offices_staff_answer_and_the_proposer_rates(desk):
    proposal = services.accept_proposal(desk.committee, desk.submitted(), desk.office)
    with pytest.raises(PermissionDenied):
        services.answer_proposal(desk.other_office_staff, proposal, "答复")
    with pytest.raises(ValidationError):
        services.rate_answer(desk.user(0), proposal, "satisfied")
    proposal = services.answer_proposal(desk.office_staff, proposal, "已安排。")
    assert proposal.status == "answered" and proposal.answered_by == desk.office_staff
    with pytest.raises(PermissionDenied):
        services.rate_answer(desk.user(1), proposal, "satisfied")
    with pytest.raises(ValidationError):
        services.rate_answer(desk.user(0), proposal, "great")
    proposal = services.rate_answer(desk.user(0), proposal, "basic", "还可以")
    assert proposal.satisfaction == "basic"
    with pytest.raises(ValidationError):
        services.rate_answer(desk.user(0), proposal, "satisfied")
    assert Notification.objects.filter(recipient=desk.office_staff, kind="proposal_rated").exists()


def test_move_is_the_one_transition_check():
    proposal = Proposal(status=Proposal.Status.DRAFT)
    with pytest.raises(ValidationError):
        services.move(proposal, Proposal.Status.ANSWERED)
    services.move(proposal, Proposal.Status.SUBMITTED)
    assert proposal.status == "submitted"
    for status in (Proposal.Status.ANSWERED, Proposal.Status.MERGED, Proposal.Status.OPINION,
                   Proposal.Status.NOT_ACCEPTED):
        assert not Proposal.TRANSITIONS[status] - {Proposal.Status.MERGED} or status == Proposal.Status.ACCEPTED


def test_visible_to(desk, world):
    proposal = draft(desk)
    services.invite_cosigner(desk.user(0), proposal, desk.congress.delegates[1])
    assert Proposal.objects.visible_to(desk.user(0)).filter(pk=proposal.pk).exists()
    assert Proposal.objects.visible_to(desk.user(1)).filter(pk=proposal.pk).exists()
    assert not Proposal.objects.visible_to(desk.user(2)).filter(pk=proposal.pk).exists()
    submitted = desk.submitted()
    assert Proposal.objects.visible_to(world.cadre_a.user).filter(pk=submitted.pk).exists()
    assert not Proposal.objects.visible_to(world.other_admin).exists()
