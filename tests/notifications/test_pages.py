"""/notifications/: one's own notifications only; opening marks read and follows the link;
"mark all read"; the unread badge in the navbar."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tongxue.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_login_required(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_inbox_lists_own_notifications_newest_first_with_unread_highlighted(client, two_accounts, make_notification):
    a, b = two_accounts
    make_notification(a, title="旧的已读", read=True)
    make_notification(a, title="新的未读")
    make_notification(b, title="别人的通知")
    client.force_login(a)
    page = client.get("/notifications/").content.decode()
    assert "别人的通知" not in page
    assert page.index("新的未读") < page.index("旧的已读")
    unread = page[page.index("新的未读") - 600:page.index("新的未读")]
    assert 'data-unread="1"' in unread and "list-group-item-warning" in unread

    only_unread = client.get("/notifications/?unread=1").content.decode()
    assert "新的未读" in only_unread and "旧的已读" not in only_unread


def test_inbox_is_paginated(client, two_accounts, make_notification):
    a, _ = two_accounts
    for i in range(25):
        make_notification(a, title=f"第{i}条")
    client.force_login(a)
    first = client.get("/notifications/").content.decode()
    second = client.get("/notifications/?page=2").content.decode()
    assert first.count('data-testid="notification"') == 20 and second.count('data-testid="notification"') == 5
    assert "第24条" in first and "第0条" in second


def test_opening_marks_read_and_follows_the_link(client, two_accounts, make_notification):
    a, _ = two_accounts
    notification = make_notification(a, url="/rights/cases/3/")
    client.force_login(a)
    response = client.get(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/rights/cases/3/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_without_a_link_opening_returns_to_the_inbox(client, two_accounts, make_notification):
    a, _ = two_accounts
    notification = make_notification(a)
    client.force_login(a)
    assert client.get(f"/notifications/{notification.pk}/open/")["Location"] == "/notifications/"


def test_an_off_site_link_stored_by_hand_is_not_followed(client, two_accounts, make_notification):
    a, _ = two_accounts
    notification = make_notification(a, url="//evil.example/")
    client.force_login(a)
    assert client.get(f"/notifications/{notification.pk}/open/")["Location"] == "/notifications/"


def test_nobody_else_can_open_a_notification(client, two_accounts, make_notification, world):
    a, b = two_accounts
    notification = make_notification(a, url="/rights/cases/3/")
    for intruder in (b, world.univ_admin, world.fed_admin):
        client.force_login(intruder)
        assert client.get(f"/notifications/{notification.pk}/open/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_marks_only_ones_own(client, two_accounts, make_notification):
    a, b = two_accounts
    make_notification(a), make_notification(a), make_notification(b)
    client.force_login(a)
    assert client.get("/notifications/read/").status_code == 405
    response = client.post("/notifications/read/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert not Notification.objects.filter(recipient=a, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=b, read_at__isnull=True).count() == 1


def test_unread_badge_shows_the_count_with_one_query(client, two_accounts, make_notification):
    a, b = two_accounts
    make_notification(a), make_notification(a), make_notification(a, read=True), make_notification(b)
    client.force_login(a)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert 'data-testid="unread-badge">2</span>' in page
    assert sum('"notifications_notification"' in q["sql"] for q in queries.captured_queries) == 1

    client.post("/notifications/read/")
    page = client.get("/").content.decode()
    assert 'data-testid="notifications-link"' in page and 'data-testid="unread-badge"' not in page


def test_no_badge_and_no_query_for_visitors(client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert 'data-testid="notifications-link"' not in page
    assert not any("notifications_notification" in q["sql"] for q in queries.captured_queries)


def test_page_is_in_chinese(client, two_accounts):
    client.force_login(two_accounts[0])
    page = client.get("/notifications/").content.decode()
    assert "暂无通知" in page
