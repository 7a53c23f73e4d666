"""The congress at its sitting: check-in, agenda, documents and questions, resolutions, charter."""
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tongxue.congress import services
from tongxue.congress import services_sitting as sitting
from tongxue.congress.models import (
    AgendaItem, Attendance, CharterVersion, CommitteeMember, Delegate, FormalQuestion, Resolution, ResolutionVote,
    SessionDocument,
)
from tongxue.core.models import AccessEvent
from tongxue.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(congress):
    """The congress with check-in open."""
    congress.session = sitting.set_check_in_open(congress.world.league_school, congress.session, True)
    return congress


def user(delegate):
    return delegate.student.user


# Check-in ------------------------------------------------------------------------------------

def test_check_in_by_code_once_and_re_enter_after_leaving(hall):
    session, delegate = hall.session, hall.delegates[0]
    attendance, changed = sitting.check_in(user(delegate), session, code=session.check_in_code)
    assert changed and attendance.method == "code"
    _again, changed = sitting.check_in(user(delegate), session, code=session.check_in_code)
    assert not changed and Attendance.objects.filter(delegate=delegate).count() == 1
    assert services.quorum(session).present == 1
    sitting.check_out(user(delegate), session)
    assert services.quorum(session).present == 0
    _back, changed = sitting.check_in(user(delegate), session, code=session.check_in_code)
    assert changed and services.quorum(session).present == 1
    assert Attendance.objects.filter(delegate=delegate).count() == 1


def test_check_in_only_for_seated_delegates_while_open(hall, world):
    session = hall.session
    with pytest.raises(PermissionDenied):
        sitting.check_in(world.officer_a.user, session, code=session.check_in_code)
    Delegate.objects.filter(pk=hall.delegates[1].pk).update(status=Delegate.Status.WITHDRAWN)
    with pytest.raises(PermissionDenied):
        sitting.check_in(user(hall.delegates[1]), session, code=session.check_in_code)
    session = sitting.set_check_in_open(world.league_school, session, False)
    with pytest.raises(sitting.CheckInError):
        sitting.check_in(user(hall.delegates[0]), session, code=session.check_in_code)
    assert not Attendance.objects.exists()


def test_check_in_cannot_open_before_the_session_is_in_session(congress, world):
    session = congress.session
    session.status = "preparing"
    session.save()
    with pytest.raises(ValidationError):
        sitting.set_check_in_open(world.league_school, session, True)
    with pytest.raises(PermissionDenied):
        sitting.set_check_in_open(world.student_a.user, session, True)


def test_opening_check_in_draws_a_new_code(congress, world, monkeypatch):
    monkeypatch.setattr(sitting, "new_check_in_code", lambda: "123456")
    session = sitting.set_check_in_open(world.league_school, congress.session, True)
    assert session.is_check_in_open and session.check_in_code == "123456"
    monkeypatch.setattr(sitting, "new_check_in_code", lambda: "654321")
    assert sitting.set_check_in_open(world.league_school, session, True).check_in_code == "123456"  # still open
    sitting.set_check_in_open(world.league_school, session, False)
    assert sitting.set_check_in_open(world.league_school, session, True).check_in_code == "654321"


def test_wrong_codes_are_throttled(hall):
    session, delegate = hall.session, hall.delegates[0]
    wrong = "000000" if session.check_in_code != "000000" else "111111"
    for _ in range(sitting.THROTTLE.max_failures - 1):
        with pytest.raises(sitting.CheckInError) as refusal:
            sitting.check_in(user(delegate), session, code=wrong, remote_addr="10.0.0.1")
        assert not isinstance(refusal.value, sitting.CheckInLocked)
    with pytest.raises(sitting.CheckInLocked):
        sitting.check_in(user(delegate), session, code=wrong, remote_addr="10.0.0.1")
    with pytest.raises(sitting.CheckInLocked):  # even the right code, while locked
        sitting.check_in(user(delegate), session, code=session.check_in_code, remote_addr="10.0.0.2")
    assert AccessEvent.objects.filter(actor=user(delegate)).count() == 1
    assert not Attendance.objects.exists()


def test_qr_token_checks_in_and_expires(hall):
    session, delegate = hall.session, hall.delegates[0]
    old = sitting.check_in_token(session, now=time.time() - sitting.QR_MAX_AGE - sitting.QR_ROTATE)
    with pytest.raises(sitting.CheckInError):
        sitting.check_in(user(delegate), session, token=old)
    with pytest.raises(sitting.CheckInError):
        sitting.check_in(user(delegate), session, token=sitting.check_in_token(session) + "x")
    attendance, changed = sitting.check_in(user(delegate), session, token=sitting.check_in_token(session))
    assert changed and attendance.method == "qr"
    token = sitting.check_in_token(session)
    sitting.set_check_in_open(hall.world.league_school, session, False)
    session = sitting.set_check_in_open(hall.world.league_school, session, True)  # new code voids old tokens
    with pytest.raises(sitting.CheckInError):
        sitting.check_in(user(hall.delegates[1]), session, token=token)


def test_desk_checks_in_by_number(hall, world):
    attendance, changed = sitting.desk_check_in(world.league_school, hall.session, "3")
    assert changed and attendance.delegate == hall.delegates[2] and attendance.method == "desk"
    _same, changed = sitting.desk_check_in(world.league_school, hall.session, 3)
    assert not changed
    with pytest.raises(ValidationError):
        sitting.desk_check_in(world.league_school, hall.session, "99")
    with pytest.raises(PermissionDenied):
        sitting.desk_check_in(world.student_a.user, hall.session, "4")
    with pytest.raises(PermissionDenied):  # a delegate cannot check another out
        sitting.check_out(world.student_a.user, hall.session, hall.delegates[2])
    sitting.check_out(world.league_school, hall.session, hall.delegates[2])
    assert services.quorum(hall.session).present == 0


# Agenda --------------------------------------------------------------------------------------

def test_agenda_in_order_one_current(congress, world):
    actor, session = world.league_school, congress.session
    a, b, c = (sitting.add_agenda_item(actor, session, title=t) for t in ("开幕", "工作报告", "选举"))
    assert [a.order, b.order, c.order] == [1, 2, 3]
    sitting.move_agenda_item(actor, c, "up")
    assert list(session.agenda.values_list("title", flat=True)) == ["开幕", "选举", "工作报告"]
    sitting.move_agenda_item(actor, a, "up")  # already first: nothing
    assert sitting.start_next_item(actor, session).pk == a.pk
    assert sitting.start_next_item(actor, session).pk == c.pk
    a.refresh_from_db()
    assert a.status == "done" and AgendaItem.objects.filter(session=session, status="current").count() == 1
    sitting.start_agenda_item(actor, b)
    c.refresh_from_db()
    assert c.status == "done" and sitting.current_item(session).pk == b.pk
    sitting.finish_agenda_item(actor, b)
    assert sitting.current_item(session) is None
    with pytest.raises(PermissionDenied):
        sitting.add_agenda_item(world.student_a.user, session, title="x")
    with pytest.raises(PermissionDenied):
        sitting.start_agenda_item(world.student_a.user, a)


# Documents and questions ---------------------------------------------------------------------

def test_documents_reach_their_audience(congress, world):
    actor, session = world.league_school, congress.session
    report = sitting.create_document(actor, session, kind="work_report", title="工作报告", body="一年来……")
    public = sitting.create_document(actor, session, kind="other", title="议程", body="……", audience="public",
                                     publish=True)
    internal = sitting.create_document(actor, session, kind="other", title="筹备", body="……", audience="committee",
                                       publish=True)
    delegate_user, outsider = world.student_a.user, world.officer_a.user
    assert set(sitting.documents_for(actor, session)) == {report, public, internal}
    assert set(sitting.documents_for(delegate_user, session)) == {public}
    assert set(sitting.documents_for(outsider, session)) == {public}
    sitting.publish_document(actor, report)
    assert set(sitting.documents_for(delegate_user, session)) == {report, public}
    assert set(sitting.documents_for(outsider, session)) == {public}
    with pytest.raises(PermissionDenied):
        sitting.publish_document(delegate_user, report)
    with pytest.raises(ValidationError):
        sitting.create_document(actor, session, kind="other", title="空")


def test_formal_question_and_written_answer(congress, world, django_capture_on_commit_callbacks):
    actor, session = world.league_school, congress.session
    report = sitting.create_document(actor, session, kind="financial_report", title="财务报告", body="收支", publish=True)
    with pytest.raises(PermissionDenied):
        sitting.ask_question(world.officer_a.user, report, "为什么？")
    question = sitting.ask_question(world.student_a.user, report, "活动经费为什么超支？")
    presidium = world.cadre_a.user
    with pytest.raises(PermissionDenied):
        sitting.answer_question(presidium, question, "因为……")
    CommitteeMember.objects.create(university=world.university, session=session, user=presidium,
                                   role=CommitteeMember.Role.PRESIDIUM)
    with django_capture_on_commit_callbacks(execute=True):
        sitting.answer_question(presidium, question, "因为场地费上涨。")
    question.refresh_from_db()
    assert question.answer == "因为场地费上涨。" and question.answered_by == presidium
    assert Notification.objects.filter(recipient=world.student_a.user).exists()
    other = sitting.create_document(actor, session, kind="other", title="其他", body="…", publish=True)
    with pytest.raises(ValidationError):
        sitting.ask_question(world.student_a.user, other, "？")
    assert FormalQuestion.objects.count() == 1


# Resolutions ---------------------------------------------------------------------------------

def _resolution(congress, kind="ordinary"):
    return sitting.create_resolution(congress.world.league_school, congress.session, title="关于……的决议", kind=kind)


def test_vote_needs_quorum_when_opened(congress, world):
    resolution = _resolution(congress)
    congress.check_in(*congress.delegates[:5])  # 5 of 9: quorum is 6
    with pytest.raises(ValidationError):
        sitting.open_vote(world.league_school, resolution)
    congress.check_in(congress.delegates[5])
    with pytest.raises(PermissionDenied):
        sitting.open_vote(world.student_a.user, resolution)
    resolution = sitting.open_vote(world.league_school, resolution)
    assert resolution.status == "voting"
    with pytest.raises(ValidationError):  # opened once
        sitting.open_vote(world.league_school, resolution)


def test_quorum_lost_then_a_vote_cannot_be_opened(congress, world):
    congress.check_in(*congress.delegates[:6])
    Attendance.objects.filter(delegate=congress.delegates[0]).update(checked_out=timezone.now())
    with pytest.raises(ValidationError):
        sitting.open_vote(world.league_school, _resolution(congress))


def test_phone_votes_one_per_delegate_present(congress, world):
    congress.check_in(*congress.delegates[:7])
    resolution = sitting.open_vote(world.league_school, _resolution(congress))
    with pytest.raises(PermissionDenied):  # not a delegate
        sitting.cast_vote(world.officer_a.user, resolution, "for")
    with pytest.raises(ValidationError):  # a delegate not in the hall
        sitting.cast_vote(user(congress.delegates[8]), resolution, "for")
    sitting.cast_vote(user(congress.delegates[0]), resolution, "against")
    sitting.cast_vote(user(congress.delegates[0]), resolution, "for")  # replaces
    assert ResolutionVote.objects.filter(resolution=resolution).count() == 1
    for delegate in congress.delegates[1:4]:
        sitting.cast_vote(user(delegate), resolution, "for")
    sitting.cast_vote(user(congress.delegates[4]), resolution, "abstain")
    with pytest.raises(ValidationError):
        sitting.cast_vote(user(congress.delegates[5]), resolution, "maybe")
    with pytest.raises(PermissionDenied):
        sitting.close_vote(world.student_a.user, resolution)
    resolution = sitting.close_vote(world.league_school, resolution)
    # 4 for of 7 present: more than half
    assert (resolution.votes_for, resolution.votes_abstain, resolution.present, resolution.passed) == (4, 1, 7, True)
    with pytest.raises(ValidationError):  # closed: no more votes
        sitting.cast_vote(user(congress.delegates[5]), resolution, "for")


def test_exactly_half_does_not_pass_an_ordinary_resolution(congress, world):
    congress.check_in(*congress.delegates[:8])
    resolution = sitting.open_vote(world.league_school, _resolution(congress), mode="hands")
    with pytest.raises(ValidationError):  # more votes than present
        sitting.enter_counts(world.league_school, resolution, votes_for=5, votes_against=4, votes_abstain=0)
    sitting.enter_counts(world.league_school, resolution, votes_for=4, votes_against=3, votes_abstain=1)
    resolution = sitting.close_vote(world.league_school, resolution)
    assert (resolution.present, resolution.passed) == (8, False)


def test_a_voter_who_left_still_counts_as_present(congress, world):
    congress.check_in(*congress.delegates[:6])
    resolution = sitting.open_vote(world.league_school, _resolution(congress))
    for delegate in congress.delegates[:4]:
        sitting.cast_vote(user(delegate), resolution, "for")
    sitting.check_out(user(congress.delegates[0]), congress.session)
    resolution = sitting.close_vote(world.league_school, resolution)
    assert (resolution.votes_for, resolution.present, resolution.passed) == (4, 6, True)


# Charter -------------------------------------------------------------------------------------

def test_charter_amendment_needs_two_thirds_and_comes_into_force(congress, world):
    actor, session = world.league_school, congress.session
    first = sitting.draft_charter(actor, session, text="第一条 本会名称为示范大学学生会。")
    CharterVersion.objects.filter(pk=first.pk).update(status="adopted", adopted_on=timezone.localdate())
    draft = sitting.draft_charter(actor, session)
    assert draft.text == "第一条 本会名称为示范大学学生会。" and draft.based_on == first and draft.number == 2
    sitting.edit_charter_draft(actor, session, draft, "第一条 本会名称为示范大学学生会。\n第二条 本会实行代表大会制度。")
    resolution = sitting.propose_charter_amendment(actor, session, draft)
    assert resolution.kind == "charter" and sitting.propose_charter_amendment(actor, session, draft) == resolution
    congress.check_in(*congress.delegates)
    resolution = sitting.open_vote(actor, resolution, mode="hands")
    with pytest.raises(ValidationError):  # voted drafts are frozen
        sitting.edit_charter_draft(actor, session, draft, "改")
    sitting.enter_counts(actor, resolution, votes_for=5, votes_against=4, votes_abstain=0)  # 5/9 < 2/3
    resolution = sitting.close_vote(actor, resolution)
    draft.refresh_from_db()
    assert resolution.passed is False and draft.status == "draft"
    assert sitting.current_charter(session.union) == first
    again = sitting.propose_charter_amendment(actor, session, draft)
    assert again != resolution
    again = sitting.open_vote(actor, again, mode="hands")
    sitting.enter_counts(actor, again, votes_for=6, votes_against=3, votes_abstain=0)  # exactly 2/3: passes
    again = sitting.close_vote(actor, again)
    draft.refresh_from_db()
    first.refresh_from_db()
    assert again.passed and draft.status == "adopted" and draft.adopted_on == timezone.localdate()
    assert first.status == "superseded" and sitting.current_charter(session.union) == draft


def test_charter_resolution_needs_a_draft(congress, world):
    congress.check_in(*congress.delegates)
    resolution = _resolution(congress, kind=Resolution.Kind.CHARTER)
    with pytest.raises(ValidationError):
        sitting.open_vote(world.league_school, resolution)


def test_charter_diff_marks_changes():
    rows = sitting.charter_diff("第一条 甲\n第二条 乙\n第三条 丙", "第一条 甲\n第二条 乙乙\n第四条 丁\n第三条 丙")
    ops = [row["op"] for row in rows]
    assert ops[0] == "same" and "change" in ops and "ins" in ops
    change = next(row for row in rows if row["op"] == "change")
    assert ("ins", "乙") in change["parts"]
    assert sitting.charter_diff("", "第一条")[0] == {"op": "ins", "text": "第一条"}


def test_resolution_passes_thresholds():
    from fractions import Fraction

    assert not sitting.resolution_passes(5, 10, Fraction(1, 2))
    assert sitting.resolution_passes(6, 10, Fraction(1, 2))
    assert sitting.resolution_passes(6, 9, Fraction(2, 3), strict=False)
    assert not sitting.resolution_passes(5, 9, Fraction(2, 3), strict=False)
    assert not sitting.resolution_passes(0, 0, Fraction(1, 2))


def test_document_models_str(congress, world):
    document = SessionDocument.objects.create(university=world.university, session=congress.session, title="T")
    assert str(document) == "T"
