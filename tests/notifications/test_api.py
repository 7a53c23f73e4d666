"""/api/v1/notifications/: the account's own notifications and marking them read."""
import pytest
from rest_framework.test import APIClient

from tongxue.notifications.models import Notification

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_anonymous_is_refused():
    assert api().get("/api/v1/notifications/").status_code in (401, 403)
    assert api().post("/api/v1/notifications/read/", {"all": True}, format="json").status_code in (401, 403)


def test_list_shows_only_own_newest_first_and_filters_unread(two_accounts, make_notification):
    a, b = two_accounts
    old = make_notification(a, title="旧", read=True)
    new = make_notification(a, title="新", url="/rights/cases/1/")
    make_notification(b, title="别人的")
    rows = api(a).get("/api/v1/notifications/").json()["results"]
    assert [(r["id"], r["title"], r["is_read"]) for r in rows] == [(new.pk, "新", False), (old.pk, "旧", True)]
    assert rows[0]["url"] == "/rights/cases/1/" and rows[0]["kind"] == "case_accepted"
    assert [r["id"] for r in api(a).get("/api/v1/notifications/?unread=1").json()["results"]] == [new.pk]


def test_another_accounts_notification_is_a_404(two_accounts, make_notification, world):
    a, b = two_accounts
    notification = make_notification(a)
    assert api(a).get(f"/api/v1/notifications/{notification.pk}/").status_code == 200
    for intruder in (b, world.univ_admin, world.fed_admin):
        assert api(intruder).get(f"/api/v1/notifications/{notification.pk}/").status_code == 404
        assert api(intruder).get("/api/v1/notifications/").json()["results"] == []


def test_mark_some_read_ignores_other_accounts_ids(two_accounts, make_notification):
    a, b = two_accounts
    mine, also_mine = make_notification(a), make_notification(a)
    theirs = make_notification(b)
    response = api(a).post("/api/v1/notifications/read/", {"ids": [mine.pk, theirs.pk]}, format="json")
    assert response.status_code == 200 and response.json() == {"marked": 1, "unread": 1}
    assert set(Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True)) == {
        also_mine.pk, theirs.pk,
    }


def test_mark_all_read(two_accounts, make_notification):
    a, b = two_accounts
    make_notification(a), make_notification(a), make_notification(b)
    response = api(a).post("/api/v1/notifications/read/", {"all": True}, format="json")
    assert response.json() == {"marked": 2, "unread": 0}
    assert Notification.objects.filter(recipient=b, read_at__isnull=True).count() == 1


def test_mark_read_needs_ids_or_all(two_accounts):
    response = api(two_accounts[0]).post("/api/v1/notifications/read/", {}, format="json")
    assert response.status_code == 400
