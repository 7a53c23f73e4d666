"""Scope and privacy of training check-in and assessment (the fixed defects of review 2)."""
import pytest
from django.apps import apps
from django.db import connection

from tests import factories as f
from tongxue.cadres import assessment, contact, training
from tongxue.cadres.models import (
    AssessmentBallotReceipt, AssessmentScore, AssessmentStudentTally, TrainingAttendance,
)
from tongxue.core.models import AccessEvent, DegreeLevel
from tongxue.unions.models import Position, Union

pytestmark = pytest.mark.django_db

CHECK_IN = "/cadres/training/check-in/"


def _wrong_codes(session, n):
    return [c for c in (f"{k:06d}" for k in range(1000, 1000 + n + 1)) if c != session.check_in_code][:n]


def test_wrong_codes_lock_check_in_and_leave_a_trace(client, cw):
    client.force_login(cw.officer_a.user)
    for code in _wrong_codes(cw.session_a, 4):
        body = client.post(CHECK_IN, {"code": code}, HTTP_HX_REQUEST="true").content.decode()
        assert "没有使用该签到码的培训" in body
        assert "签到已锁定" not in body
    assert not AccessEvent.objects.exists()
    code = _wrong_codes(cw.session_a, 5)[-1]
    body = client.post(CHECK_IN, {"code": code}, HTTP_HX_REQUEST="true").content.decode()
    assert "签到已锁定" in body
    event = AccessEvent.objects.get()
    assert event.actor == cw.officer_a.user and event.path == CHECK_IN and event.remote_addr == "127.0.0.1"
    # the right code is refused too while locked, and nothing is recorded
    body = client.post(CHECK_IN, {"code": cw.session_a.check_in_code}, HTTP_HX_REQUEST="true").content.decode()
    assert "签到已锁定" in body
    assert not TrainingAttendance.objects.exists()
    assert AccessEvent.objects.count() == 1


def test_lockout_counts_per_ip_address_across_accounts(client, cw):
    officer2 = f.MembershipFactory(term=cw.union_a.current_term(), position=Position.PRESIDENT,
                                   student=f.StudentFactory(student_class=cw.class_a)).student
    codes = _wrong_codes(cw.session_a, 5)
    client.force_login(cw.officer_a.user)
    for code in codes[:3]:
        client.post(CHECK_IN, {"code": code}, HTTP_HX_REQUEST="true")
    client.force_login(officer2.user)
    for code in codes[3:]:
        client.post(CHECK_IN, {"code": code}, HTTP_HX_REQUEST="true")
    body = client.post(CHECK_IN, {"code": cw.session_a.check_in_code}, HTTP_HX_REQUEST="true").content.decode()
    assert "签到已锁定" in body and not TrainingAttendance.objects.exists()
    # another address is not locked for an account with fewer than 5 failures of its own
    client.force_login(cw.officer_a.user)
    r = client.post(CHECK_IN, {"code": cw.session_a.check_in_code}, HTTP_HX_REQUEST="true", REMOTE_ADDR="10.0.0.9")
    assert r.context["created"] is True


def test_lockout_per_account_in_the_service(cw):
    for code in _wrong_codes(cw.session_a, 4):
        with pytest.raises(training.CheckInError) as exc:
            training.check_in(cw.officer_a, code)
        assert not isinstance(exc.value, training.CheckInLocked)
    with pytest.raises(training.CheckInLocked):
        training.check_in(cw.officer_a, _wrong_codes(cw.session_a, 5)[-1])
    with pytest.raises(training.CheckInLocked):
        training.check_in(cw.officer_a, cw.session_a.check_in_code)
    training.check_in(cw.cadre_a, cw.session_a.check_in_code)  # another account is not affected


def test_check_in_refuses_students_outside_the_session_scope(client, cw):
    with pytest.raises(training.CheckInError, match="你不能签到"):
        training.check_in(cw.student_b, cw.session_a.check_in_code)   # plain student of college B
    with pytest.raises(training.CheckInError):
        training.check_in(cw.cadre_b, cw.session_a.check_in_code)     # cadre of college B's union
    with pytest.raises(training.CheckInError):
        training.check_in(cw.student_a, cw.session_a.check_in_code)   # college A, but not a cadre
    client.force_login(cw.student_b.user)
    body = client.post(CHECK_IN, {"code": cw.session_a.check_in_code}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="check-in-error"' in body and "你不能签到" in body
    assert not TrainingAttendance.objects.exists()
    assert training.check_in(cw.officer_a, cw.session_a.check_in_code)[1]


def test_school_level_session_is_for_cadres_of_any_union(cw):
    session = training.create_session(cw.univ_admin, university=cw.university, union=None, level="school",
                                       title="全校干部培训", starts_at=cw.session_a.starts_at, place="礼堂", hours="1")
    assert training.check_in(cw.cadre_b, session.check_in_code)[1]
    assert training.check_in(cw.school_cadre, session.check_in_code)[1]
    with pytest.raises(training.CheckInError):
        training.check_in(cw.student_b, session.check_in_code)


def test_required_session_is_open_to_the_candidates_it_is_required_of(cw):
    cw.session_a.required_for_appointment = True
    cw.session_a.save()
    assert training.check_in(cw.student_a, cw.session_a.check_in_code)[1]   # served by union A
    with pytest.raises(training.CheckInError):
        training.check_in(cw.student_b, cw.session_a.check_in_code)         # not served by union A


def _cast_ballots(cw, n=4):
    cadres = list(assessment.cadres_of(cw.round_a))
    voters = [f.StudentFactory(student_class=cw.class_a, name=f"投票{i}") for i in range(n)]
    for i, voter in enumerate(voters):
        # each voter rates a different subset with distinctive scores
        chosen = cadres[: 1 + i % len(cadres)]
        assessment.cast_ballot(voter.user, cw.round_a, {m.pk: (10 + i, 50 + i) for m in chosen})
    return cadres, voters


def test_no_table_links_a_ballot_receipt_to_scores(cw):
    cadres, voters = _cast_ballots(cw)
    assert AssessmentBallotReceipt.objects.filter(round=cw.round_a).count() == len(voters)
    # no per-ballot row anywhere: the only rows about students-served ratings are one tally per cadre
    assert not AssessmentScore.objects.filter(source="students").exists()
    tallies = AssessmentStudentTally.objects.filter(round=cw.round_a)
    assert tallies.count() == len(cadres)
    assert {t.membership_id for t in tallies} == {m.pk for m in cadres}
    # receipts say only who voted, in which round; tallies carry no time and no rater
    receipt_fields = {fld.name for fld in AssessmentBallotReceipt._meta.concrete_fields}
    tally_fields = {fld.name for fld in AssessmentStudentTally._meta.concrete_fields}
    assert receipt_fields == {"id", "university", "round", "student"}
    assert tally_fields == {"id", "university", "round", "membership", "count", "performance_sum", "conduct_sum"}
    # no table of the project stores one of the individual scores given
    given = {10 + i for i in range(len(voters))}
    for model in apps.get_models():
        if model._meta.db_table.startswith("cadres_") and model is not AssessmentStudentTally:
            for fld in model._meta.concrete_fields:
                if fld.get_internal_type() in {"PositiveSmallIntegerField", "PositiveIntegerField",
                                               "IntegerField", "SmallIntegerField"}:
                    values = set(model.objects.values_list(fld.attname, flat=True))
                    assert not (values & given) or model is AssessmentScore, (model, fld.name)
    # tally rows were created for every cadre at once, before any ballot: their rowid / id order is
    # the cadres' order, independent of the ballots
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT membership_id FROM {AssessmentStudentTally._meta.db_table} "
                           "WHERE round_id = %s ORDER BY rowid", [cw.round_a.pk])
            assert [r[0] for r in cursor.fetchall()] == [m.pk for m in cadres]


def test_results_use_the_tallies(cw):
    cadres, voters = _cast_ballots(cw, n=2)
    first = cadres[0]
    tally = AssessmentStudentTally.objects.get(round=cw.round_a, membership=first)
    assert (tally.count, tally.performance_sum, tally.conduct_sum) == (2, 10 + 11, 50 + 51)
    result = next(r for r in assessment.results(cw.round_a) if r.membership == first)
    assert result.counts["students"] == 2
    assert result.values["students"] == pytest.approx(((10 + 11) / 2 + (50 + 51) / 2) / 2)


def test_cadres_do_not_rate_as_students_served(client, cw):
    own = assessment.cadres_of(cw.round_a).get(student=cw.cadre_a)
    officer = assessment.cadres_of(cw.round_a).get(student=cw.officer_a)
    assert not assessment.may_cast_ballot(cw.cadre_a.user, cw.round_a)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        assessment.cast_ballot(cw.cadre_a.user, cw.round_a, {own.pk: (100, 100)})
    with pytest.raises(PermissionDenied):
        assessment.cast_ballot(cw.officer_a.user, cw.round_a, {own.pk: (100, 100)})
    assert not AssessmentStudentTally.objects.filter(count__gt=0).exists()
    assert cw.round_a not in assessment.ballot_rounds(cw.cadre_a.user)
    assert own not in assessment.ballot_cadres(cw.cadre_a.user, cw.round_a)
    assert officer in assessment.ballot_cadres(cw.cadre_a.user, cw.round_a)
    client.force_login(cw.cadre_a.user)
    assert client.get(f"/cadres/assessment/{cw.round_a.pk}/ballot/").status_code == 403
    # a plain student of college A still casts a ballot
    assessment.cast_ballot(cw.student_a.user, cw.round_a, {own.pk: (70, 70)})


def test_union_cadres_never_read_the_unions_results(client, cw):
    term = cw.union_a.current_term()
    dept = f.DepartmentFactory(term=term, name="学习部")
    deputy = f.MembershipFactory(term=term, position=Position.DEPUTY_HEAD, department=dept,
                                 student=f.StudentFactory(student_class=cw.class_a, name="郑十")).student
    president = assessment.cadres_of(cw.round_a).get(student=cw.cadre_a)
    assessment.cast_ballot(cw.student_a.user, cw.round_a, {president.pk: (42, 42)})
    for user in (deputy.user, cw.cadre_a.user, cw.officer_a.user):
        client.force_login(user)
        r = client.get(f"/cadres/assessment/{cw.round_a.pk}/")
        assert r.status_code in (200, 403)
        assert "42.0" not in r.content.decode() and 'data-testid="results"' not in r.content.decode()
    client.force_login(cw.league_a)
    body = client.get(f"/cadres/assessment/{cw.round_a.pk}/").content.decode()
    assert "赵六" in body and "42.0" in body
    client.force_login(cw.univ_admin)
    assert "42.0" in client.get(f"/cadres/assessment/{cw.round_a.pk}/").content.decode()
    # closed: still not the union's page for its cadres, but each sees their own result
    assessment.close_round(cw.league_a, cw.round_a)
    client.force_login(deputy.user)
    assert 'data-testid="results"' not in client.get(f"/cadres/assessment/{cw.round_a.pk}/").content.decode()
    client.force_login(cw.cadre_a.user)
    assert 'data-testid="results"' not in client.get(f"/cadres/assessment/{cw.round_a.pk}/").content.decode()
    assert "42.00" in client.get("/cadres/assessment/").content.decode()


def test_graduate_union_serves_graduate_students_and_their_classes(cw):
    grad_union = f.UnionFactory(university=cw.university, name="示范大学研究生会", level=Union.Level.SCHOOL,
                                kind=Union.Kind.GRADUATE)
    grad_class = f.StudentClassFactory(major=f.MajorFactory(college=cw.college_a), name="计科研2401")
    grad = f.StudentFactory(student_class=grad_class, degree_level=DegreeLevel.MASTER, name="研一")
    assert set(grad_union.served_students()) == {grad}
    assert list(contact.area_classes(grad_union)) == [grad_class]
    assert list(grad_union.served_students()) == [grad]
    assert set(assessment.students_served(grad_union)) == {grad}
    # the undergraduate unions do not serve the graduate class or student
    assert grad_class not in contact.area_classes(cw.school_union)
    assert grad_class not in contact.area_classes(cw.union_a)
    assert cw.class_a in contact.area_classes(cw.school_union)
    assert grad not in cw.union_a.served_students()
