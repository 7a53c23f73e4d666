"""Direct contact: cadres log contacts; coverage shows who reached which class this month."""
import datetime

import pytest

from tongxue.cadres import contact
from tongxue.cadres.models import ContactLog
from tongxue.unions.models import Membership

pytestmark = pytest.mark.django_db


def test_cadre_logs_a_contact_and_coverage_shows_it(client, cw):
    from tests import factories as f

    other_class = f.StudentClassFactory(major=cw.class_a.major, name="计科2402")
    client.force_login(cw.officer_a.user)
    response = client.post("/cadres/contact/", {
        "membership": Membership.objects.get(student=cw.officer_a).pk, "date": cw.today.isoformat(),
        "channel": "face", "student_class": cw.class_a.pk, "raised": "宿舍热水不稳定", "case_ref": ""})
    assert response.status_code == 302
    assert ContactLog.objects.count() == 1
    rows = {r.student_class.name: r for r in contact.coverage(cw.union_a, cw.month)}
    assert rows[cw.class_a.name].is_reached and rows[cw.class_a.name].last_by == "孙七"
    assert not rows[other_class.name].is_reached
    assert cw.class_b.name not in rows


def test_contact_needs_a_class_or_dorm_and_no_future_date(client, cw):
    client.force_login(cw.officer_a.user)
    membership = Membership.objects.get(student=cw.officer_a).pk
    response = client.post("/cadres/contact/", {"membership": membership, "date": cw.today.isoformat(),
                                                "channel": "face", "raised": "x"})
    assert response.status_code == 200
    future = (cw.today + datetime.timedelta(days=2)).isoformat()
    response = client.post("/cadres/contact/", {"membership": membership, "date": future, "channel": "face",
                                                "dorm": "3号楼", "raised": "x"})
    assert response.status_code == 200 and not ContactLog.objects.exists()


def test_a_cadre_cannot_log_as_someone_else(client, cw):
    client.force_login(cw.officer_a.user)
    response = client.post("/cadres/contact/", {
        "membership": Membership.objects.get(student=cw.cadre_a).pk, "date": cw.today.isoformat(),
        "channel": "face", "dorm": "3号楼", "raised": "x"})
    assert response.status_code == 200 and not ContactLog.objects.exists()


def test_manager_assigns_a_class(client, cw):
    client.force_login(cw.cadre_a.user)
    response = client.post(f"/cadres/contact/coverage/{cw.union_a.pk}/assign/", {
        "membership": Membership.objects.get(student=cw.officer_a).pk, "student_class": cw.class_a.pk,
        "starts_on": cw.month.isoformat()})
    assert response.status_code == 302
    rows = {r.student_class.name: r for r in contact.coverage(cw.union_a, cw.month)}
    assert rows[cw.class_a.name].assigned == ["孙七"]
    client.force_login(cw.officer_a.user)
    assert client.post(f"/cadres/contact/coverage/{cw.union_a.pk}/assign/", {}).status_code == 403
