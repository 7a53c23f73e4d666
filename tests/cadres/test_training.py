"""Training: check-in by code (once, in the window), records, and the rule-engine figures."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tongxue.cadres import training
from tongxue.cadres.models import TrainingAttendance

pytestmark = pytest.mark.django_db


def test_check_in_twice_records_one_attendance(client, cw):
    client.force_login(cw.officer_a.user)
    for _ in range(2):
        response = client.post("/cadres/training/check-in/", {"code": cw.session_a.check_in_code}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
    assert TrainingAttendance.objects.filter(session=cw.session_a, student=cw.officer_a).count() == 1
    assert response.context["created"] is False
    assert "你已签到过“计院干部培训”。" in response.content.decode()


def test_first_check_in_says_checked_in_not_already(client, cw):
    client.force_login(cw.officer_a.user)
    response = client.post("/cadres/training/check-in/", {"code": cw.session_a.check_in_code}, HTTP_HX_REQUEST="true")
    assert response.context["created"] is True
    assert "你已签到过" not in response.content.decode()


@pytest.mark.parametrize("code", ["123", "abcdef", ""])
def test_malformed_code_is_refused_with_a_message(client, cw, code):
    client.force_login(cw.officer_a.user)
    response = client.post("/cadres/training/check-in/", {"code": code}, HTTP_HX_REQUEST="true")
    assert 'data-testid="check-in-error"' in response.content.decode()
    assert not TrainingAttendance.objects.exists()


def test_wrong_and_expired_codes_record_nothing(cw):
    wrong = "000000" if cw.session_a.check_in_code != "000000" else "111111"
    with pytest.raises(training.CheckInError):
        training.check_in(cw.officer_a, wrong)
    later = cw.session_a.check_in_closes + datetime.timedelta(minutes=1)
    with pytest.raises(training.CheckInError, match="不在签到时间内"):
        training.check_in(cw.officer_a, cw.session_a.check_in_code, now=later)
    assert not TrainingAttendance.objects.exists()


def test_code_of_another_university_is_unknown(cw):
    with pytest.raises(training.CheckInError):
        training.check_in(cw.other_student, cw.session_a.check_in_code)


def test_record_and_me_page_show_hours(client, cw):
    training.check_in(cw.officer_a, cw.session_a.check_in_code)
    client.force_login(cw.officer_a.user)
    assert "计院干部培训" in client.get("/me/").content.decode()
    attendances, hours = training.record(cw.officer_a)
    assert hours == Decimal("2.0") and len(attendances) == 1


def test_officer_cannot_create_a_session(cw):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        training.create_session(cw.officer_a.user, university=cw.university, union=cw.union_a, level="college",
                                title="x", starts_at=timezone.now(), place="y", hours=1)


def test_organiser_creates_a_session_through_the_form(client, cw):
    client.force_login(cw.cadre_a.user)
    response = client.post("/cadres/training/sessions/new/", {
        "title": "春季全员培训", "union": cw.union_a.pk, "starts_at": "2027-03-10T14:00", "place": "报告厅",
        "hours": "1.5"})
    assert response.status_code == 302
    session = cw.union_a.training_sessions.get(title="春季全员培训")
    assert session.season == "spring" and session.academic_year == 2026 and session.level == "college"
    assert len(session.check_in_code) == 6


def test_training_status_for_the_rule_engine(cw):
    spring = training.create_session(cw.cadre_a.user, university=cw.university, union=cw.union_a, level="college",
                                     title="春", starts_at=timezone.make_aware(datetime.datetime(2027, 3, 1, 14)),
                                     place="A", hours=Decimal("1.5"))
    autumn = training.create_session(cw.cadre_a.user, university=cw.university, union=cw.union_a, level="college",
                                     title="秋", starts_at=timezone.make_aware(datetime.datetime(2026, 10, 1, 14)),
                                     place="A", hours=Decimal("2"))
    training.check_in(cw.officer_a, spring.check_in_code, now=spring.starts_at)
    training.check_in(cw.officer_a, autumn.check_in_code, now=autumn.starts_at)
    training.check_in(cw.cadre_a, autumn.check_in_code, now=autumn.starts_at)
    status = training.training_status([cw.officer_a.pk, cw.cadre_a.pk, cw.student_a.pk], 2026)
    assert status[cw.officer_a.pk] == {"spring": True, "autumn": True, "hours": Decimal("3.5")}
    assert status[cw.cadre_a.pk] == {"spring": False, "autumn": True, "hours": Decimal("2")}
    assert status[cw.student_a.pk]["hours"] == 0


def test_required_training_before_appointment(cw):
    assert training.has_required_training(cw.student_a)  # nothing configured
    cw.session_a.required_for_appointment = True
    cw.session_a.save()
    assert not training.has_required_training(cw.student_a)
    assert training.has_required_training(cw.student_b)  # college A's session does not apply to college B
    training.check_in(cw.student_a, cw.session_a.check_in_code)
    assert training.has_required_training(cw.student_a)
