"""notify(), mark_read() and unread_count(): rows after commit only, once per account, in Chinese,
and handed to every channel — a failing channel stops neither the others nor the caller."""
import pytest
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from tests import factories as f
from tongxue.notifications import services
from tongxue.notifications.channels import Channel
from tongxue.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    university = f.UniversityFactory()
    return [f.UserFactory(university=university) for _ in range(3)]


@pytest.fixture(autouse=True)
def _no_channels(settings):
    settings.TONGXUE_NOTIFICATION_CHANNELS = []


def test_rows_are_written_only_when_the_transaction_commits(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(users[:2], kind="case_accepted", title="已受理", body="您的诉求已受理", url="/rights/cases/1/")
        assert not Notification.objects.exists()
    for callback in callbacks:
        callback()
    rows = Notification.objects.order_by("recipient_id")
    assert [(n.recipient, n.kind, n.title, n.body, n.url, n.read_at) for n in rows] == [
        (user, "case_accepted", "已受理", "您的诉求已受理", "/rights/cases/1/", None) for user in users[:2]
    ]
    assert {n.university_id for n in rows} == {users[0].university_id}


def test_nothing_is_written_when_the_transaction_rolls_back(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.notify(users, kind="case_accepted", title="已受理")
            raise RuntimeError("the state change failed")
    assert callbacks == []
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_rows_are_written_at_once():
    user = f.UserFactory()
    services.notify([user], kind="k", title="t")
    assert Notification.objects.get().recipient == user


def test_none_inactive_and_repeated_recipients_are_skipped(users, django_capture_on_commit_callbacks):
    inactive = f.UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([users[0], None, users[0], inactive, users[1], users[0]], kind="k", title="t")
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted([users[0].pk, users[1].pk])


def test_no_recipient_schedules_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        services.notify([None], kind="k", title="t")
    assert callbacks == []


def test_lazy_text_is_stored_in_the_default_language(users, django_capture_on_commit_callbacks):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.notify([users[0]], kind="k", title=gettext_lazy("Home"), body=gettext_lazy("Unions"))
    notification = Notification.objects.get()
    assert (notification.title, notification.body) == ("首页", "学生会组织")


def test_params_are_filled_after_translation(users, django_capture_on_commit_callbacks):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.notify([users[0]], kind="k", title=gettext_lazy("Home") + "", body="%(name)s: %(what)s",
                        params={"name": "张三", "what": gettext_lazy("Unions")})
    assert Notification.objects.get().body == "张三: 学生会组织"


def test_explicit_university_wins_and_federation_accounts_have_none(users, django_capture_on_commit_callbacks):
    fed = f.UserFactory(university=None, login_id="fed")
    other = f.UniversityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([fed], kind="k", title="t")
        services.notify([users[0]], kind="k", title="t", university_id=other.pk)
    assert Notification.objects.get(recipient=fed).university_id is None
    assert Notification.objects.get(recipient=users[0]).university_id == other.pk


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "rights/cases/1/"])
def test_links_must_be_paths_on_this_site(users, url):
    with pytest.raises(ValueError):
        services.notify([users[0]], kind="k", title="t", url=url)


class Recording(Channel):
    name = "recording"
    received: list = []

    def deliver(self, notifications):
        Recording.received.append([n.pk for n in notifications])


class Broken(Channel):
    name = "broken"

    def deliver(self, notifications):
        raise ConnectionError("the SMS gateway is down")


def test_a_failing_channel_breaks_neither_the_others_nor_the_caller(
    users, settings, django_capture_on_commit_callbacks, caplog
):
    Recording.received = []
    settings.TONGXUE_NOTIFICATION_CHANNELS = [
        f"{__name__}.Broken", "no.such.Channel", f"{__name__}.Recording",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(users, kind="k", title="t")
    ids = sorted(Notification.objects.values_list("pk", flat=True))
    assert len(ids) == 3
    assert [sorted(batch) for batch in Recording.received] == [ids]
    assert "broken" in caplog.text and "no.such.Channel" in caplog.text


def test_mark_read_touches_only_the_users_own_notifications(users, django_capture_on_commit_callbacks):
    a, b = users[:2]
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([a, b], kind="k", title="one")
        services.notify([a, b], kind="k", title="two")
    a_ids = list(Notification.objects.filter(recipient=a).values_list("pk", flat=True))
    b_ids = list(Notification.objects.filter(recipient=b).values_list("pk", flat=True))
    assert services.unread_count(a) == services.unread_count(b) == 2

    assert services.mark_read(a, ids=[a_ids[0], *b_ids]) == 1
    assert services.unread_count(a) == 1 and services.unread_count(b) == 2
    assert services.mark_read(a) == 1
    assert services.mark_read(a) == 0
    assert services.unread_count(a) == 0 and services.unread_count(b) == 2
