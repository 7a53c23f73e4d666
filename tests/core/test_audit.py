"""The audit history: who changed which governance record, before and after, in scope."""
import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from tongxue.core.models import AccessEvent
from tongxue.unions import services

pytestmark = pytest.mark.django_db


def test_union_change_records_before_after_and_tenant(world):
    services.update_union(world.cadre_a.user, world.union_a, name="计算机学院学生会", declared_duties="服务同学")
    entry = LogEntry.objects.get_for_object(world.union_a).first()
    assert entry.changes_dict["declared_duties"] == ["", "服务同学"]
    assert entry.additional_data["university_id"] == world.university.pk
    assert entry.additional_data["college_id"] == world.college_a.pk


def test_change_through_the_page_is_attributed_and_shown_to_league(client, world):
    client.force_login(world.cadre_a.user)
    response = client.post(reverse("unions:edit", args=[world.union_a.pk]),
                           {"name": "计算机学院学生会", "declared_duties": "倾听同学心声"})
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(world.union_a).first()
    assert entry.actor == world.cadre_a.user
    for teacher in (world.league_school, world.league_a):
        client.force_login(teacher)
        assert "倾听同学心声" in client.get(reverse("audit")).content.decode()
    client.force_login(world.other_admin)
    assert "倾听同学心声" not in client.get(reverse("audit")).content.decode()


def test_college_league_teacher_sees_only_their_college_history(client, world):
    services.update_union(world.league_school, world.union_b, name="外国语学院学生会", declared_duties="外语角")
    client.force_login(world.league_a)
    assert "外语角" not in client.get(reverse("audit")).content.decode()


@pytest.mark.parametrize("account", ["student", "cadre", "party"])
def test_audit_history_is_not_for_students_cadres_or_party(client, world, account):
    client.force_login(world.accounts()[account])
    assert client.get(reverse("audit")).status_code == 403


def test_forbidden_action_is_refused_and_traced(client, world):
    client.force_login(world.officer_a.user)
    response = client.post(reverse("unions:edit", args=[world.union_a.pk]), {"name": "改名", "declared_duties": ""})
    assert response.status_code == 403
    world.union_a.refresh_from_db()
    assert world.union_a.name == "计算机学院学生会"
    event = AccessEvent.objects.get()
    assert event.actor == world.officer_a.user and event.path.endswith("/edit/")
    client.force_login(world.league_school)
    assert "/edit/" in client.get(reverse("audit")).content.decode()
