"""Selection services (tongxue.cadres.selection): chain order per position type, roles, notice,
objections and appointment through the live limits."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests import factories as f
from tongxue.cadres import selection
from tongxue.cadres.models import Application, ApprovalStep, Capacity, PositionType, PublicNotice, Recruitment, Stage
from tongxue.core import workcalendar
from tongxue.core.models import OfficialCalendarYear
from tongxue.domain.workdays import SHANGHAI
from tongxue.rules.services import RuleViolation, findings_for
from tongxue.unions.models import Membership, Position

from .selection_fixtures import STAND_IN, presidium_chain, run_chain, sw  # noqa: F401

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def apply(w, student=None, kind=PositionType.PRESIDIUM, **kw):
    student = student or w.student_a
    return selection.apply(student.user, w.recruitment, position_type=kind, statement="我愿意为同学服务。",
                           department=w.department if kind == PositionType.DEPARTMENT else None, **kw)


def test_apply_records_the_eligibility_snapshot(sw):
    application = apply(sw)
    assert application.is_eligible_at_submission and not application.needs_review
    assert application.status == Application.Status.SUBMITTED


def test_an_ineligible_student_may_apply_and_is_flagged_for_human_review(sw):
    application = apply(sw, sw.student_b)  # no academic record
    assert not application.is_eligible_at_submission and application.needs_review
    assert application.eligibility_reasons[0]["code"] == "no_academic_record"
    with pytest.raises(ValidationError):  # the recommender must write why
        selection.decide_step(sw.league_b, application, approve=True)
    selection.decide_step(sw.league_b, application, approve=True, comment="学业记录待补，经核实成绩优良")


def test_double_apply_gives_one_application(sw):
    apply(sw)
    with pytest.raises(ValidationError):
        apply(sw)
    assert Application.objects.count() == 1


def test_apply_only_while_open_and_only_served_students(sw):
    with pytest.raises(ValidationError):
        apply(sw, now=sw.recruitment.closes_at + DAY)
    with pytest.raises(PermissionDenied):
        apply(sw, sw.other_student)
    with pytest.raises(PermissionDenied):
        selection.apply(sw.league_a, sw.recruitment, position_type=PositionType.PRESIDIUM, statement="x")


def test_presidium_chain_order_is_enforced(sw):
    application = apply(sw)
    # the college Party organisation cannot agree before the college League organisation recommends
    for early in (sw.party_a, sw.party, sw.league_school):
        with pytest.raises(PermissionDenied):
            selection.decide_step(early, application, approve=True, comment="x")
    with pytest.raises(PermissionDenied):  # another college's League teacher
        selection.decide_step(sw.league_b, application, approve=True)
    selection.decide_step(sw.league_a, application, approve=True)
    with pytest.raises(PermissionDenied):  # recommending twice
        selection.decide_step(sw.league_a, application, approve=True)
    selection.decide_step(sw.party_a, application, approve=True)
    selection.decide_step(sw.party, application, approve=True)  # student affairs
    with pytest.raises(PermissionDenied):  # one person signs a joint review once
        selection.decide_step(sw.party, application, approve=True)
    application.refresh_from_db()
    assert application.status == Application.Status.REVIEWING
    selection.decide_step(sw.league_school, application, approve=True)
    assert selection.pending(application) == (Stage.PARTY_COMMITTEE, [Capacity.PARTY_COMMITTEE])
    selection.decide_step(sw.party, application, approve=True)
    application.refresh_from_db()
    assert application.status == Application.Status.PASSED
    assert [s.capacity for s in application.steps.order_by("decided_at", "pk")] == [
        "college_league", "college_party", "student_affairs", "school_league", "party_committee"]


def test_department_chain_is_shorter(sw):
    application = apply(sw, kind=PositionType.DEPARTMENT)
    selection.decide_step(sw.league_a, application, approve=True)
    with pytest.raises(PermissionDenied):  # no college Party stage for department members
        selection.decide_step(sw.party_a, application, approve=True)
    run_chain(sw, application, [sw.league_school, sw.party])
    assert application.status == Application.Status.PASSED


def test_reject_ends_the_application(sw):
    application = apply(sw)
    with pytest.raises(ValidationError):
        selection.decide_step(sw.league_a, application, approve=False)  # a reason is required
    selection.decide_step(sw.league_a, application, approve=False, comment="未通过学院团委推荐")
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    with pytest.raises(PermissionDenied):
        selection.decide_step(sw.party_a, application, approve=True)


def test_withdraw_only_by_the_applicant(sw):
    application = apply(sw)
    with pytest.raises(PermissionDenied):
        selection.withdraw(sw.student_b.user, application)
    assert selection.withdraw(sw.student_a.user, application).status == Application.Status.WITHDRAWN


def test_interview_scores_one_per_scorer_by_managers(sw):
    application = apply(sw)
    selection.score_interview(sw.league_school, application, score=80)
    selection.score_interview(sw.league_school, application, score=85)
    selection.score_interview(sw.school_cadre.user, application, score=90)
    assert sorted(application.scores.values_list("score", flat=True)) == [85, 90]
    with pytest.raises(PermissionDenied):
        selection.score_interview(sw.league_a, application, score=90)  # not a manager of the school union
    with pytest.raises(ValidationError):
        selection.score_interview(sw.league_school, application, score=101)


def passed(sw, student=None):
    application = apply(sw, student)
    return run_chain(sw, application, presidium_chain(sw))


def test_notice_only_after_the_chain(sw):
    application = apply(sw)
    with pytest.raises(ValidationError):
        selection.publish_notice(sw.league_school, sw.recruitment)
    run_chain(sw, application, presidium_chain(sw))
    with pytest.raises(PermissionDenied):
        selection.publish_notice(sw.student_a.user, sw.recruitment)
    notice = selection.publish_notice(sw.league_school, sw.recruitment, now=sw.now)
    assert list(notice.applications.all()) == [application]
    assert notice.ends == selection.notice_end(sw.now, 5, sw.university.pk) > notice.starts


def beijing(day, hour=0):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def test_the_notice_period_skips_official_holidays_and_university_closures(sw):
    starts = beijing(datetime.date(2026, 9, 30), 10)  # Wednesday before National Day (Oct 1–7)
    # Sep 30, Oct 8, Oct 9, Oct 10 (a make-up Saturday), Oct 12
    assert selection.notice_end(starts, 5, sw.university.pk) == beijing(datetime.date(2026, 10, 13))
    workcalendar.add_override(sw.univ_admin, sw.university, datetime.date(2026, 10, 12), "closure", "校庆")
    assert selection.notice_end(starts, 5, sw.university.pk) == beijing(datetime.date(2026, 10, 14))
    assert selection.notice_end(starts, 5, sw.other_university.pk) == beijing(datetime.date(2026, 10, 13))
    # an ordinary week: Monday to Friday
    assert selection.notice_end(beijing(datetime.date(2026, 3, 2), 9), 5) == beijing(datetime.date(2026, 3, 7))


def test_a_notice_reaching_a_year_without_holiday_data_is_refused(sw):
    OfficialCalendarYear.objects.filter(note=STAND_IN).delete()
    run_chain(sw, apply(sw), presidium_chain(sw))
    december = beijing(datetime.date(2026, 12, 28), 10)
    status = Recruitment.objects.get(pk=sw.recruitment.pk).status
    with pytest.raises(ValidationError) as refused:
        selection.publish_notice(sw.league_school, sw.recruitment, now=december)
    assert "2027 年的节假日安排尚未录入" in refused.value.messages[0]
    sw.recruitment.refresh_from_db()
    assert sw.recruitment.status == status and not PublicNotice.objects.exists()
    workcalendar.import_official_days(sw.fed_admin, "2027-01-01 holiday 元旦")
    workcalendar.set_official_year(sw.fed_admin, 2027, is_complete=True)
    notice = selection.publish_notice(sw.league_school, sw.recruitment, now=december)
    # Dec 28, 29, 30, 31, (Jan 1 holiday), Jan 4
    assert notice.ends == beijing(datetime.date(2027, 1, 5))


def test_objection_only_during_the_notice(sw):
    application = passed(sw)
    notice = selection.publish_notice(sw.league_school, sw.recruitment, now=sw.now)
    objection = selection.file_objection(sw.student_b.user, notice, application, "此人曾缺席例会", now=sw.now)
    with pytest.raises(ValidationError):
        selection.file_objection(sw.student_b.user, notice, application, "迟到的异议", now=notice.ends)
    with pytest.raises(PermissionDenied):
        selection.file_objection(sw.other_student.user, notice, application, "外校", now=sw.now)
    with pytest.raises(PermissionDenied):
        selection.answer_objection(sw.student_a.user, objection, "无")
    selection.answer_objection(sw.league_school, objection, "经核实，缺席系请假。")
    objection.refresh_from_db()
    assert objection.is_answered and objection.answered_by == sw.league_school


def test_appointment_only_after_the_notice_with_objections_answered(sw):
    application = passed(sw)
    notice = selection.publish_notice(sw.league_school, sw.recruitment, now=sw.now)
    objection = selection.file_objection(sw.student_b.user, notice, application, "异议", now=sw.now)
    with pytest.raises(ValidationError):
        selection.appoint_from_notice(sw.league_school, application, now=sw.now)  # notice still running
    with pytest.raises(ValidationError):
        selection.appoint_from_notice(sw.league_school, application, now=notice.ends)  # unanswered
    selection.answer_objection(sw.league_school, objection, "已核实")
    with pytest.raises(PermissionDenied):
        selection.appoint_from_notice(sw.student_b.user, application, now=notice.ends)
    membership = selection.appoint_from_notice(sw.league_school, application, now=notice.ends)
    application.refresh_from_db()
    assert application.status == Application.Status.APPOINTED and application.membership == membership
    assert membership.position == Position.VICE_PRESIDENT


def test_appointment_goes_through_the_live_limits(sw):
    # the school union already has a president; fill the presidium to its limit of 5
    for _ in range(4):
        f.MembershipFactory(term=sw.school_union.current_term(), position=Position.VICE_PRESIDENT)
    application = passed(sw)
    notice = selection.publish_notice(sw.league_school, sw.recruitment, now=sw.now)
    with pytest.raises(RuleViolation):
        selection.appoint_from_notice(sw.league_school, application, now=notice.ends)
    application.refresh_from_db()
    assert application.status == Application.Status.PASSED
    selection.appoint_from_notice(sw.league_school, application, now=notice.ends,
                                  override_reason="学代会选举产生，经校党委同意")
    assert Membership.objects.filter(student=sw.student_a, end_date__isnull=True).exists()


def s9(union):
    return next(f for f in findings_for(union) if f.rule.id == "S9")


def test_s9_counts_selected_staff_and_fails_direct_appointments(sw):
    Membership.objects.filter(student=sw.school_cadre).update(start_date=datetime.date(2020, 9, 1))
    assert s9(sw.school_union).status == "not_recorded"  # the president predates the first recruitment
    application = passed(sw)
    notice = selection.publish_notice(sw.league_school, sw.recruitment, now=sw.now)
    selection.appoint_from_notice(sw.league_school, application, now=notice.ends)
    from tongxue.cadres.appointments import appoint

    direct = appoint(sw.league_school, sw.school_union, sw.student_b, Position.OFFICER, sw.department)
    finding = s9(sw.school_union)
    assert finding.status == "fail"
    assert sw.student_b.name in " ".join(finding.outcome.evidence)
    assert sw.student_a.name not in " ".join(finding.outcome.evidence)
    direct.delete()
    assert s9(sw.school_union).status == "not_recorded"  # the president still has no record
    Membership.objects.filter(student=sw.school_cadre).delete()
    assert s9(sw.school_union).status == "pass"


def test_approval_steps_carry_actor_and_time(sw):
    application = apply(sw)
    step = selection.decide_step(sw.league_a, application, approve=True, now=sw.now)
    assert (step.actor, step.decided_at, step.stage) == (sw.league_a, sw.now, Stage.COLLEGE_LEAGUE)
    assert ApprovalStep.objects.count() == 1
