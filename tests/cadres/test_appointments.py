"""Appointment with live limits: refusals name the rule, League teachers override with a reason."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests import factories as f
from tongxue.cadres.appointments import appoint
from tongxue.core.models import PoliticalStatus
from tongxue.rules.models import Override
from tongxue.rules.services import RuleViolation
from tongxue.unions.models import Membership, Position

pytestmark = pytest.mark.django_db


def full_union(world, n=30):
    term = world.union_a.current_term()
    department = term.departments.first()
    for _ in range(n - 2):
        f.MembershipFactory(term=term, department=department,
                            student=f.StudentFactory(student_class=world.student_a.student_class))
    return department


def test_president_appoints_an_officer(world):
    department = world.union_a.current_term().departments.first()
    membership = appoint(world.cadre_a.user, world.union_a, world.student_a, Position.OFFICER, department)
    assert membership.term == world.union_a.current_term() and membership.department == department


def test_31st_staff_member_is_refused_naming_the_rule(world):
    department = full_union(world)
    with pytest.raises(RuleViolation) as refused:
        appoint(world.cadre_a.user, world.union_a, world.student_a, Position.OFFICER, department)
    assert str(refused.value) == "不符合指标 C3：二级学生会组织工作人员不超过 30 人（实有 31 人）"
    assert not Membership.objects.filter(student=world.student_a).exists()


def test_a_cadre_cannot_override(world):
    department = full_union(world)
    with pytest.raises(RuleViolation):
        appoint(world.cadre_a.user, world.union_a, world.student_a, Position.OFFICER, department,
                override_reason="我想要")


def test_league_teacher_overrides_with_a_reason(world):
    department = full_union(world)
    with pytest.raises(RuleViolation):
        appoint(world.league_a, world.union_a, world.student_a, Position.OFFICER, department, override_reason="  ")
    membership = appoint(world.league_a, world.union_a, world.student_a, Position.OFFICER, department,
                         override_reason="换届交接期间临时增补")
    override = Override.objects.get()
    assert (override.rule_id, override.membership, override.reason) == ("C3", membership, "换届交接期间临时增补")


def test_fourth_presidium_member_and_masses_are_refused(world):
    for _ in range(2):
        f.MembershipFactory(term=world.union_a.current_term(), position=Position.VICE_PRESIDENT,
                            student=f.StudentFactory(student_class=world.student_a.student_class))
    with pytest.raises(RuleViolation, match="C4"):
        appoint(world.cadre_a.user, world.union_a, world.student_a, Position.VICE_PRESIDENT)
    world.student_a.political_status = PoliticalStatus.MASSES
    world.student_a.save()
    with pytest.raises(RuleViolation, match="C6"):
        appoint(world.cadre_a.user, world.union_a, world.student_a, Position.OFFICER,
                world.union_a.current_term().departments.first())


def test_titles_outside_the_set_are_refused(world):
    with pytest.raises(RuleViolation, match="C5"):
        appoint(world.cadre_a.user, world.union_a, world.student_a, "secretary_general")
    with pytest.raises(RuleViolation, match="S6"):
        appoint(world.school_cadre.user, world.school_union, world.student_a, "centre_director")


def test_permission_and_scope(world):
    department = world.union_a.current_term().departments.first()
    with pytest.raises(PermissionDenied):
        appoint(world.officer_a.user, world.union_a, world.student_a, Position.OFFICER, department)
    with pytest.raises(ValidationError):
        appoint(world.cadre_a.user, world.union_a, world.student_b, Position.OFFICER, department)


def test_page_refuses_with_the_rule_message_and_offers_override_to_league(client, world):
    department = full_union(world)
    url = reverse("cadres:appoint", args=[world.union_a.pk])
    data = {"student_no": world.student_a.student_no, "position": "officer", "department": department.pk}
    client.force_login(world.cadre_a.user)
    response = client.post(url, data)
    assert response.status_code == 422
    assert "不符合指标 C3" in response.content.decode() and "override_reason" not in response.content.decode()
    client.force_login(world.league_a)
    assert "override_reason" in client.get(url).content.decode()
    response = client.post(url, {**data, "override_reason": "临时增补"})
    assert response.status_code == 302 and Override.objects.filter(rule_id="C3").exists()


def test_page_refuses_an_unknown_title_with_the_rule_message(client, world):
    client.force_login(world.cadre_a.user)
    response = client.post(reverse("cadres:appoint", args=[world.union_a.pk]),
                           {"student_no": world.student_a.student_no, "position": "secretary_general"})
    assert response.status_code == 200
    assert "C5" in str(response.context["form"].errors["position"])


def test_union_page_shows_the_appoint_button_to_managers_only(client, world):
    url = reverse("unions:detail", args=[world.union_a.pk])
    client.force_login(world.cadre_a.user)
    assert 'data-testid="appoint"' in client.get(url).content.decode()
    client.force_login(world.officer_a.user)
    assert 'data-testid="appoint"' not in client.get(url).content.decode()
    assert client.get(reverse("cadres:appoint", args=[world.union_a.pk])).status_code == 403


def _required_session(world):
    import datetime as dt

    from django.utils import timezone

    from tongxue.cadres.models import TrainingSession
    from tongxue.unions.models import Union

    starts = timezone.now() - dt.timedelta(days=10)
    return TrainingSession.objects.create(
        university=world.university, level=Union.Level.COLLEGE, union=world.union_a, title="任前培训",
        starts_at=starts, place="报告厅", hours=2, check_in_opens=starts, check_in_closes=starts,
        required_for_appointment=True)


def test_required_training_must_be_attended_before_appointment(world):
    from tongxue.cadres.models import TrainingAttendance

    session = _required_session(world)
    department = world.union_a.current_term().departments.first()
    with pytest.raises(ValidationError) as refused:
        appoint(world.league_a, world.union_a, world.student_a, Position.OFFICER, department,
                override_reason="急需")
    assert "任职前必修培训" in str(refused.value)
    assert not Membership.objects.filter(student=world.student_a).exists()
    TrainingAttendance.objects.create(university=world.university, session=session, student=world.student_a)
    assert appoint(world.cadre_a.user, world.union_a, world.student_a, Position.OFFICER, department)


def test_a_failing_latest_assessment_blocks_the_next_appointment(world, monkeypatch):
    from decimal import Decimal

    from tongxue.cadres import assessment

    department = world.union_a.current_term().departments.first()
    monkeypatch.setattr(assessment, "latest_assessment", lambda student: ("fail", Decimal("41")))
    with pytest.raises(ValidationError):
        appoint(world.cadre_a.user, world.union_a, world.student_a, Position.OFFICER, department)
    monkeypatch.setattr(assessment, "latest_assessment", lambda student: ("pass", Decimal("70")))
    assert appoint(world.cadre_a.user, world.union_a, world.student_a, Position.OFFICER, department)
