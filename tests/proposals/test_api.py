"""/api/v1/proposals/: the same scopes as the pages; the public list without login."""
import pytest
from rest_framework.test import APIClient

from tongxue.core.models import AccessEvent
from tongxue.proposals import services

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_list_and_detail_follow_the_scope(desk, world):
    submitted = desk.submitted()
    draft = services.draft_proposal(desk.user(3), desk.session, title="草稿", reason="r", suggestion="s")
    ids = {row["id"] for row in api(world.officer_a.user).get("/api/v1/proposals/").json()["results"]}
    assert submitted.pk in ids and draft.pk not in ids
    assert api(desk.user(3)).get(f"/api/v1/proposals/{draft.pk}/").status_code == 200
    assert api(world.officer_a.user).get(f"/api/v1/proposals/{draft.pk}/").status_code == 404
    assert api(world.other_admin).get(f"/api/v1/proposals/{submitted.pk}/").status_code == 404
    detail = api(desk.user(5)).get(f"/api/v1/proposals/{submitted.pk}/").json()
    assert detail["status"] == "submitted" and detail["cosigners_signed"] == 2
    assert "student_no" not in detail["proposer"]
    assert api().get("/api/v1/proposals/").status_code in (401, 403)


def test_cosign_and_withdraw(desk):
    proposal = services.draft_proposal(desk.user(0), desk.session, title="t", reason="r", suggestion="s")
    services.invite_cosigner(desk.user(0), proposal, desk.congress.delegates[1])
    first = api(desk.user(1)).post(f"/api/v1/proposals/{proposal.pk}/cosign/")
    again = api(desk.user(1)).post(f"/api/v1/proposals/{proposal.pk}/cosign/")
    assert first.status_code == again.status_code == 200 and again.json()["cosigners_signed"] == 1
    # not invited: 403, logged
    assert api(desk.user(0)).post(f"/api/v1/proposals/{proposal.pk}/cosign/").status_code == 403
    assert AccessEvent.objects.filter(path__contains="/cosign/").exists()
    assert api(desk.user(1)).post(f"/api/v1/proposals/{proposal.pk}/withdraw/").json()["cosigners_signed"] == 0
    services.cosign(desk.user(1), proposal)
    services.invite_cosigner(desk.user(0), proposal, desk.congress.delegates[2])
    services.cosign(desk.user(2), proposal)
    services.submit_proposal(desk.user(0), proposal)
    refused = api(desk.user(1)).post(f"/api/v1/proposals/{proposal.pk}/withdraw/")
    assert refused.status_code == 400


def test_public_list_without_login(desk):
    proposal = services.accept_proposal(desk.committee, desk.submitted(), desk.office)
    services.draft_proposal(desk.user(4), desk.session, title="草稿", reason="r", suggestion="s")
    rows = api().get(f"/api/v1/proposals/public/{desk.session.pk}/").json()["results"]
    assert [row["id"] for row in rows] == [proposal.pk]
    assert rows[0]["office_name"] == "后勤保障处" and rows[0]["answer_due"]
    student = desk.congress.delegates[0].student
    assert rows[0]["proposer"] == {"name": student.name, "college": student.college.name}
    assert api().get(f"/api/v1/proposals/public/{desk.session.pk}/{proposal.pk}/").status_code == 200
    assert api().get("/api/v1/proposals/public/99999/").status_code == 404
