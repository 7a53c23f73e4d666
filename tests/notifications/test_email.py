"""The e-mail channel: one message per notification, through the task queue (immediate in tests)."""
import pytest
from django.core import mail

from tests import factories as f
from tongxue.notifications import services
from tongxue.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _email_only(settings):
    settings.TONGXUE_NOTIFICATION_CHANNELS = ["tongxue.notifications.channels.EmailChannel"]
    settings.TONGXUE_SITE_URL = "https://tongxue.example.edu.cn/"


def test_each_recipient_gets_one_email_with_the_absolute_link(django_capture_on_commit_callbacks):
    teacher = f.UserFactory(email="teacher@example.edu.cn")
    student = f.StudentFactory(email="student@example.edu.cn").user  # no account address: the roster's
    nobody = f.UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([teacher, student, nobody], kind="case_accepted", title="诉求已受理",
                        body="您的诉求已受理。", url="/rights/cases/7/")
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("student@example.edu.cn", "诉求已受理"), ("teacher@example.edu.cn", "诉求已受理"),
    ]
    assert mail.outbox[0].body == "您的诉求已受理。\n\nhttps://tongxue.example.edu.cn/rights/cases/7/"
    emailed = dict(Notification.objects.values_list("recipient_id", "emailed_at"))
    assert emailed[teacher.pk] and emailed[student.pk] and emailed[nobody.pk] is None


def test_a_notification_is_emailed_once(django_capture_on_commit_callbacks):
    from tongxue.notifications.tasks import send_notification_emails

    user = f.UserFactory(email="a@example.edu.cn")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([user], kind="k", title="t", body="b")
    send_notification_emails.enqueue(list(Notification.objects.values_list("pk", flat=True)))  # a retried job
    assert len(mail.outbox) == 1


class RefusingBackend:
    """A mail server that refuses one address and accepts the others (kept in `sent`)."""

    sent: list = []

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        for message in messages:
            if message.to == ["broken@example.edu.cn"]:
                raise OSError("550 mailbox unavailable")
            RefusingBackend.sent.append(message.to[0])
        return len(messages)


def test_a_refused_message_stays_unsent_and_the_others_go_out(settings, django_capture_on_commit_callbacks):
    RefusingBackend.sent = []
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    broken = f.UserFactory(email="broken@example.edu.cn")
    fine = f.UserFactory(email="fine@example.edu.cn")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([broken, fine], kind="k", title="t")
    assert RefusingBackend.sent == ["fine@example.edu.cn"]
    emailed = dict(Notification.objects.values_list("recipient_id", "emailed_at"))
    assert emailed[broken.pk] is None and emailed[fine.pk] is not None
