import json

import pytest

from tongxue.core.models import AccessEvent
from tongxue.elections import services
from tongxue.elections.models import Ballot

from .conftest import F, X, make_election, marks

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(congress, chair):
    congress.check_in(*congress.delegates[:8])
    return services.open_election(chair, make_election(congress, chair))


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_list_and_detail_scope(client, election, world):
    client.force_login(world.student_b.user)
    assert client.get("/api/v1/elections/").json()["results"][0]["id"] == election.pk
    detail = client.get(f"/api/v1/elections/{election.pk}/").json()
    assert detail["my_vote"]["can_vote"] is True and len(detail["candidates"]) == 3
    client.force_login(world.other_admin)
    assert client.get("/api/v1/elections/").json()["results"] == []
    assert client.get(f"/api/v1/elections/{election.pk}/").status_code == 404
    client.logout()
    assert client.get("/api/v1/elections/").status_code in (401, 403)


def test_cast_once_by_a_present_delegate(client, election, congress, world):
    url = f"/api/v1/elections/{election.pk}/cast/"
    body = {"marks": {k: str(v) for k, v in marks(election, F, X, F).items()}, "write_ins": []}
    client.force_login(world.cadre_a.user)                   # not a delegate
    assert post(client, url, body).status_code == 403
    assert AccessEvent.objects.filter(actor=world.cadre_a.user).exists()
    client.force_login(congress.delegates[8].student.user)  # absent
    assert post(client, url, body).status_code == 400
    client.force_login(congress.delegates[0].student.user)
    first = post(client, url, body)
    assert first.status_code == 201 and len(first.json()["receipt"]) == 8
    again = post(client, url, body)
    assert again.status_code == 409
    assert Ballot.objects.filter(is_cast=True).count() == 1
    assert client.get(f"/api/v1/elections/{election.pk}/").json()["my_vote"]["code"] == "voted"


def test_public_endpoints_only_for_published_results(client, election, congress, chair):
    assert client.get(f"/api/v1/elections/public/{election.pk}/").status_code == 404
    receipt = services.cast_ballot(congress.delegates[0].student.user, election, marks(election, F, F, X))
    for delegate in congress.delegates[1:6]:
        services.cast_ballot(delegate.student.user, election, marks(election, F, X, X))
    services.publish(chair, services.close_election(chair, election))
    public = client.get(f"/api/v1/elections/public/{election.pk}/").json()
    assert public["result"]["returned"] == 6 and public["result"]["elected"]
    ballots = client.get(f"/api/v1/elections/public/{election.pk}/ballots/", {"receipt": receipt}).json()
    assert [b["receipt"] for b in ballots["results"]] == [receipt]
    assert ballots["results"][0]["marks"] == "FF-"
    file = client.get(f"/api/v1/elections/public/{election.pk}/file/")
    assert file.status_code == 200 and json.loads(file.content)["format"] == "tongxue-ballots/1"
