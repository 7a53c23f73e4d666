"""Channels carry stored notifications out of the platform: e-mail now, WeChat or SMS later.

A channel is a class with a `name` and `deliver(notifications)`, listed by dotted path in the
setting TONGXUE_NOTIFICATION_CHANNELS (default: e-mail only). `deliver` runs in the request
after the commit, so it should only enqueue work (a Django task) and return; whatever it
raises is logged by `services.deliver` and does not reach the caller. To add SMS, write

    class SmsChannel(Channel):
        name = "sms"
        def deliver(self, notifications):
            send_sms.enqueue([n.pk for n in notifications])   # a task of your own

and add its path to the setting.
"""
from .models import Notification


class Channel:
    """Base class of a notification channel."""

    name: str = ""

    def deliver(self, notifications: list[Notification]) -> None:
        raise NotImplementedError


class EmailChannel(Channel):
    """One e-mail per notification, sent by a background task (see `tasks.send_notification_emails`)."""

    name = "email"

    def deliver(self, notifications: list[Notification]) -> None:
        from .tasks import send_notification_emails

        send_notification_emails.enqueue([notification.pk for notification in notifications])
