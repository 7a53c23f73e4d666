"""Background tasks of the notifications app (Django tasks: database queue, Redis, or immediate)."""
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import timezone, translation

logger = logging.getLogger(__name__)


def recipient_address(user) -> str:
    """Where a notification is e-mailed: the account's address, else its student record's."""
    if user.email:
        return user.email
    # A missing reverse one-to-one raises an AttributeError subclass, hence getattr's default.
    student = getattr(user, "student", None)
    return student.email if student is not None else ""


def site_url() -> str:
    return getattr(settings, "TONGXUE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


@task
def send_notification_emails(notification_ids: list[int]) -> None:
    """E-mail each notification not e-mailed yet (so a retried job does not send twice) to its
    recipient; recipients without an address are skipped. A message that fails is logged and
    stays unsent; the others go out."""
    from .models import Notification

    notifications = (
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .select_related("recipient", "recipient__student")
        .order_by("pk")
    )
    with translation.override(settings.LANGUAGE_CODE):
        for notification in notifications:
            address = recipient_address(notification.recipient)
            if not address:
                continue
            text = notification.body
            if notification.url:
                text = f"{text}\n\n{site_url()}{notification.url}".lstrip("\n")
            try:
                EmailMessage(subject=notification.title, body=text, to=[address]).send()
            except Exception:
                logger.exception("E-mail of notification %s failed", notification.pk)
                continue
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())

