import pytest
from django.utils import timezone

from tests.congress.prep_world import make_prep
from tongxue.congress import services_prep as sp

pytestmark = pytest.mark.django_db


@pytest.fixture
def seated(world):
    prep = make_prep(world)
    prep.adopt()
    meeting = sp.plan_meeting(world.class_rep_a, prep.session, prep.class_a)
    for student in prep.classmates[:4]:
        sp.nominate(world.class_rep_a, meeting, student)
    votes = dict(zip(meeting.candidates.order_by("pk").values_list("pk", flat=True), [8, 1, 1, 1]))
    delegate = sp.record_meeting(world.class_rep_a, meeting, held_on=timezone.localdate(), present=8, votes=votes)[0]
    sp.review_delegate(prep.credentials, delegate, seat=True)
    return prep


def test_congress_api_scope_and_public_fields(client, world, seated):
    session = seated.session
    client.force_login(world.student_b.user)
    sessions = client.get("/api/v1/congress/sessions/").json()
    assert [s["id"] for s in sessions["results"]] == [session.pk]
    apportionments = client.get(f"/api/v1/congress/apportionments/?session={session.pk}&adopted=1").json()
    assert apportionments["count"] == 1 and len(apportionments["results"][0]["units"]) == 4
    delegates = client.get(f"/api/v1/congress/delegates/?session={session.pk}").json()["results"]
    assert [d["name"] for d in delegates] == [world.student_a.name]
    assert "student_no" not in delegates[0] and "phone" not in delegates[0] and "student" not in delegates[0]
    client.force_login(world.other_admin)
    assert client.get(f"/api/v1/congress/sessions/{session.pk}/").status_code == 404
    assert client.get("/api/v1/congress/delegates/").json()["count"] == 0
    client.logout()
    assert client.get("/api/v1/congress/sessions/").status_code in (401, 403)
