"""The case flow (issue 4): intake, double submit, routing, transfer, answer, rating, merge, escalation."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied

from tests import factories as f
from tongxue.notifications.models import Notification
from tongxue.rights import services
from tongxue.rights.models import Case, CaseEvent, CaseSupporter, Level, RoutingRule
from tongxue.rights.privacy import submitter_for

from .conftest import MONDAY

HOUR = datetime.timedelta(hours=1)


def submit(world, desk, student=None, identity=Case.Identity.HIDDEN, text="3号楼热水器坏了三天", now=MONDAY, **kw):
    student = student or world.student_a
    return services.submit_case(student.user, category=kw.pop("category", desk.dorm), title="宿舍没有热水",
                                description=text, place="3号楼", identity=identity, now=now, **kw)


def test_a_case_goes_to_the_students_college_union_and_its_president(world, desk):
    case = submit(world, desk).case
    assert (case.level, case.union, case.handler) == (Level.COLLEGE, world.union_a, world.cadre_a.user)
    assert case.status == Case.Status.SUBMITTED
    assert case.submitter == world.student_a and case.college == world.college_a
    assert Notification.objects.filter(recipient=world.cadre_a.user, kind="case_submitted").count() == 1


def test_routing_rule_sends_a_category_to_the_class_representative(world, desk):
    RoutingRule.objects.create(university=world.university, category=desk.dorm, level=Level.CLASS)
    case = submit(world, desk).case
    assert (case.level, case.union, case.handler) == (Level.CLASS, None, world.class_rep_a)


def test_routing_falls_back_up_when_the_level_has_no_body(world, desk):
    RoutingRule.objects.create(university=world.university, category=desk.dorm, level=Level.CLASS)
    case = submit(world, desk, student=world.student_b).case   # class B has no representative
    assert (case.level, case.union) == (Level.COLLEGE, world.union_b)


def test_double_submit_within_a_minute_creates_one_case(world, desk):
    first = submit(world, desk)
    again = submit(world, desk, text=" 3号楼热水器坏了三天 ", now=MONDAY + datetime.timedelta(seconds=40))
    assert first.created and not again.created and again.case.pk == first.case.pk
    later = submit(world, desk, now=MONDAY + datetime.timedelta(seconds=61))
    assert later.created
    assert Case.objects.count() == 2


def test_anonymous_case_stores_no_link_to_the_student(world, desk):
    result = submit(world, desk, identity=Case.Identity.ANONYMOUS)
    case = result.case
    assert case.submitter is None and result.follow_token
    assert not CaseEvent.objects.filter(case=case, actor__isnull=False).exists()
    # the double-submit key is erased by the sweep after ten minutes
    services.escalate_overdue(MONDAY + datetime.timedelta(minutes=11))
    case.refresh_from_db()
    assert case.dedup_key == ""
    assert submitter_for(world.cadre_a.user, case) is None


def test_full_flow_with_transfer_office_answer_and_unsatisfied_reopen(world, desk):
    case = submit(world, desk).case
    cadre = world.cadre_a.user
    services.accept_case(cadre, case, now=MONDAY + HOUR)
    services.transfer_case(cadre, case, desk.logistics, note="请后勤处理", now=MONDAY + 2 * HOUR)
    case.refresh_from_db()
    assert case.status == Case.Status.TRANSFERRED and case.office == desk.logistics
    # another office cannot answer it
    with pytest.raises(PermissionDenied):
        services.answer_case(desk.other_office_user, case, "已修")
    services.answer_case(desk.office_user, case, "已安排维修师傅更换热水器。", now=MONDAY + 3 * HOUR)
    case.refresh_from_db()
    assert case.status == Case.Status.ANSWERED and case.answered_by_office == desk.logistics
    assert Notification.objects.filter(recipient=world.student_a.user, kind="case_answered").exists()
    services.rate_case(world.student_a.user, case, Case.Satisfaction.UNSATISFIED, "还是没有热水")
    case.refresh_from_db()
    assert case.status == Case.Status.REOPENED and case.is_flagged and case.reopen_count == 1
    assert Notification.objects.filter(recipient=world.league_a, kind="case_reopened").exists()
    services.answer_case(cadre, case, "已再次督促后勤，今天修好。")
    services.rate_case(world.student_a.user, case, Case.Satisfaction.UNSATISFIED, "还是不行")
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.reopen_count == 1   # reopened once only


def test_satisfied_rating_closes(world, desk):
    case = submit(world, desk).case
    services.answer_case(world.cadre_a.user, case, "已解决")
    services.rate_case(world.student_a.user, case, Case.Satisfaction.SATISFIED)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.closed_at is not None


def test_only_the_submitter_or_the_follow_link_rates(world, desk):
    case = submit(world, desk).case
    services.answer_case(world.cadre_a.user, case, "已解决")
    with pytest.raises(PermissionDenied):
        services.rate_case(world.student_b.user, case, Case.Satisfaction.SATISFIED)
    anonymous = submit(world, desk, identity=Case.Identity.ANONYMOUS, text="另一件事")
    services.answer_case(world.cadre_a.user, anonymous.case, "已解决")
    with pytest.raises(PermissionDenied):
        services.rate_case(world.student_a.user, anonymous.case, Case.Satisfaction.SATISFIED, token="wrong")
    services.rate_case(None, anonymous.case, Case.Satisfaction.BASIC, token=anonymous.follow_token)
    anonymous.case.refresh_from_db()
    assert anonymous.case.status == Case.Status.CLOSED


def test_students_of_another_college_cannot_handle(world, desk):
    case = submit(world, desk).case
    for user in (world.student_b.user, world.school_cadre.user, desk.office_user, world.other_admin):
        with pytest.raises(PermissionDenied):
            services.accept_case(user, case)
    services.accept_case(world.officer_a.user, case)   # any cadre of the handling union


def test_invalid_transition_is_refused_and_changes_nothing(world, desk):
    case = submit(world, desk).case
    with pytest.raises(services.CaseError):
        services.close_case(world.cadre_a.user, case)
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED


def test_join_counts_once_and_merge_moves_students(world, desk):
    case = submit(world, desk).case
    assert services.join_case(world.student_b.user, case)
    assert not services.join_case(world.student_b.user, case)
    assert not services.join_case(world.student_a.user, case)   # the submitter
    case.refresh_from_db()
    assert case.supporter_count == 1
    other = f.StudentFactory(student_class=world.student_a.student_class)
    duplicate = submit(world, desk, student=other, text="热水器坏了，没热水").case
    services.merge_case(world.cadre_a.user, duplicate, case)
    case.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.status == Case.Status.MERGED and duplicate.merged_into == case
    assert case.supporter_count == 2
    assert set(CaseSupporter.objects.filter(case=case).values_list("student_id", flat=True)) == {
        world.student_b.pk, other.pk}
    services.answer_case(world.cadre_a.user, case, "已修好")
    for student in (world.student_a, world.student_b, other):
        assert Notification.objects.filter(recipient=student.user, kind="case_answered").exists()


def test_a_finished_case_cannot_be_joined(world, desk):
    case = submit(world, desk).case
    services.answer_case(world.cadre_a.user, case, "已解决")
    services.rate_case(world.student_a.user, case, Case.Satisfaction.SATISFIED)
    with pytest.raises(services.CaseError) as refused:
        services.join_case(world.student_b.user, case)
    assert refused.value.code == "join_closed"
    assert not CaseSupporter.objects.filter(case=case).exists()


def test_sensitive_category_is_not_public_and_can_be_withheld(world, desk):
    assert not submit(world, desk, category=desk.health).case.is_public
    case = submit(world, desk, text="其他").case
    with pytest.raises(services.CaseError):
        services.set_public(world.cadre_a.user, case, False, "")
    services.set_public(world.cadre_a.user, case, False, "涉及个人安全")
    case.refresh_from_db()
    assert not case.is_public


def test_overdue_case_escalates_once_to_the_next_level_and_the_league_teacher(world, desk):
    case = submit(world, desk).case          # Monday 10:00, accept due Tuesday 24:00
    assert services.escalate_overdue(MONDAY + datetime.timedelta(days=1, hours=13)).escalated == []
    result = services.escalate_overdue(MONDAY + datetime.timedelta(days=2, hours=1))
    assert result.escalated == [(case.pk, "accept")]
    case.refresh_from_db()
    assert (case.level, case.union, case.handler) == (Level.SCHOOL, world.school_union, world.school_cadre.user)
    assert case.is_flagged and case.escalated_stages == ["accept"]
    assert Notification.objects.filter(recipient=world.league_a, kind="case_escalated").exists()
    again = services.escalate_overdue(MONDAY + datetime.timedelta(days=2, hours=2))
    assert again.escalated == []
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ESCALATED).count() == 1


def test_a_calendar_gap_is_reported_not_guessed(world, desk):
    late = datetime.datetime(2026, 12, 28, 10, 0, tzinfo=MONDAY.tzinfo)
    case = submit(world, desk, now=late).case
    result = services.escalate_overdue(late + datetime.timedelta(days=30))
    assert world.university.pk in result.gaps and result.escalated == []
    case.refresh_from_db()
    assert case.escalated_stages == []
    assert Notification.objects.filter(recipient=world.univ_admin, kind="calendar_gap").count() == 1


def test_offline_case_needs_consent(world, desk):
    with pytest.raises(services.CaseError):
        services.log_offline_case(world.cadre_a.user, student=world.student_a, consent=False, source="stall",
                                  category=desk.dorm, title="食堂太贵", description="二食堂菜价上涨")
    case = services.log_offline_case(world.cadre_a.user, student=world.student_a, consent=True, source="stall",
                                     category=desk.dorm, title="食堂太贵", description="二食堂菜价上涨")
    assert case.channel == Case.Channel.OFFLINE and case.submitter == world.student_a
    assert case.logged_by == world.cadre_a.user
    with pytest.raises(PermissionDenied):
        services.log_offline_case(world.student_b.user, student=None, consent=True, source="stall",
                                  category=desk.dorm, title="x", description="y")
