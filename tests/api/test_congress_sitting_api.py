"""The congress sitting API: check-in by code, quorum, resolutions and votes, with scope."""
import pytest
from rest_framework.test import APIClient

from tests.congress.conftest import make_congress
from tongxue.congress import services_sitting as sitting
from tongxue.congress.models import Attendance, ResolutionVote
from tongxue.core.models import AccessEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(world):
    congress = make_congress(world)
    congress.session = sitting.set_check_in_open(world.league_school, congress.session, True)
    return congress


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_check_in_and_quorum(world, hall):
    session = hall.session
    url = f"/api/v1/congress/sessions/{session.pk}/check-in/"
    assert api().post(url, {"code": session.check_in_code}).status_code in (401, 403)
    response = api(world.officer_a.user).post(url, {"code": session.check_in_code}, format="json")
    assert response.status_code == 403 and AccessEvent.objects.filter(path=url).exists()
    assert api(world.other_admin).post(url, {"code": session.check_in_code}).status_code == 404
    client = api(world.student_a.user)
    assert client.post(url, {"code": "12345"}, format="json").status_code == 400
    first = client.post(url, {"code": session.check_in_code}, format="json")
    second = client.post(url, {"code": session.check_in_code}, format="json")
    assert first.status_code == second.status_code == 200
    assert first.json()["changed"] and not second.json()["changed"] and first.json()["quorum"]["present"] == 1
    assert Attendance.objects.count() == 1
    token = sitting.check_in_token(session)
    assert api(world.student_b.user).post(url, {"token": token}, format="json").json()["method"] == "qr"
    quorum = api(world.officer_a.user).get(f"/api/v1/congress/sessions/{session.pk}/quorum/")
    assert quorum.status_code == 200 and quorum.json() == {"seated": 9, "present": 2, "needed": 6,
                                                           "has_quorum": False}
    assert api(world.other_admin).get(f"/api/v1/congress/sessions/{session.pk}/quorum/").status_code == 404


def test_wrong_codes_lock_with_429(world, hall):
    url = f"/api/v1/congress/sessions/{hall.session.pk}/check-in/"
    wrong = "000000" if hall.session.check_in_code != "000000" else "111111"
    client = api(world.student_a.user)
    codes = [client.post(url, {"code": wrong}, format="json").status_code
             for _ in range(sitting.THROTTLE.max_failures)]
    assert codes[-1] == 429 and set(codes[:-1]) == {400}


def test_resolutions_and_votes(world, hall):
    resolution = sitting.create_resolution(world.league_school, hall.session, title="决议")
    hall.check_in(*hall.delegates[:6])
    sitting.open_vote(world.league_school, resolution)
    listing = api(world.officer_a.user).get("/api/v1/congress/resolutions/", {"session": hall.session.pk})
    assert listing.status_code == 200 and [r["id"] for r in listing.json()["results"]] == [resolution.pk]
    assert api(world.other_admin).get("/api/v1/congress/resolutions/").json()["results"] == []
    assert api(world.other_admin).get(f"/api/v1/congress/resolutions/{resolution.pk}/").status_code == 404
    url = f"/api/v1/congress/resolutions/{resolution.pk}/vote/"
    assert api(world.officer_a.user).post(url, {"choice": "for"}, format="json").status_code == 403
    assert api(hall.delegates[8].student.user).post(url, {"choice": "for"}, format="json").status_code == 400
    client = api(world.student_a.user)
    assert client.post(url, {"choice": "against"}, format="json").json()["my_vote"] == "against"
    assert client.post(url, {"choice": "for"}, format="json").json()["my_vote"] == "for"
    assert client.post(url, {"choice": "maybe"}, format="json").status_code == 400
    assert ResolutionVote.objects.count() == 1
    sitting.close_vote(world.league_school, resolution)
    detail = client.get(f"/api/v1/congress/resolutions/{resolution.pk}/").json()
    assert (detail["status"], detail["votes_for"], detail["present"], detail["passed"]) == ("closed", 1, 6, False)
    assert client.post(url, {"choice": "for"}, format="json").status_code == 400
