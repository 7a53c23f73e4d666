"""Notify accounts of what happened to them; read and count their notifications.

`notify()` is what other apps call after a state change (issue 4, item 7: every status change of
a case reaches the student and the handlers). The rows are written only once the caller's
transaction commits, so a rolled-back change never announces itself; then every configured
channel (`TONGXUE_NOTIFICATION_CHANNELS`, e-mail by default) gets the new rows. In-app storage
always happens, whatever the channels do.
"""
import logging
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from .models import Notification

logger = logging.getLogger(__name__)

DEFAULT_CHANNELS = ["tongxue.notifications.channels.EmailChannel"]


def _render(text, params: Mapping | None) -> str:
    """The text in the platform's default language, with its %(name)s placeholders filled.

    Formatting happens here, after translation, because `gettext_lazy(...) % params` would be
    translated at once, in the language of whoever caused the change.
    """
    text = str(text)
    if params:
        text = text % {key: str(value) if isinstance(value, Promise) else value for key, value in params.items()}
    return text


def notify(
    recipients: Iterable,
    *,
    kind: str,
    title,
    body="",
    url: str = "",
    university_id: int | None = None,
    params: Mapping | None = None,
) -> None:
    """Tell `recipients` (accounts; None and inactive accounts are skipped, duplicates sent once)
    that something happened.

    `title` and `body` may be lazy translations; they are stored in settings.LANGUAGE_CODE (so
    in Chinese), with `params` filled into their %(name)s placeholders after translation. `url`
    is a path on this site ("/rights/cases/12/"). `university_id` defaults to each recipient's
    own university (None for federation administrators).

    Nothing is written or sent before the caller's transaction commits, and nothing at all if it
    rolls back. Outside a transaction the rows are written at once.
    """
    url = str(url)
    if url and (not url.startswith("/") or url.startswith("//")):
        raise ValueError(f"A notification links to a path on this site, not {url!r}.")
    users, seen = [], set()
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        users.append(user)
    if not users:
        return
    with translation.override(settings.LANGUAGE_CODE):
        title_text = " ".join(_render(title, params).split())[:200]
        body_text = _render(body, params)

    def create() -> None:
        created = Notification.objects.bulk_create([
            Notification(
                recipient=user, kind=kind, title=title_text, body=body_text, url=url,
                university_id=university_id if university_id is not None else user.university_id,
            )
            for user in users
        ])
        deliver(created)

    transaction.on_commit(create, robust=True)


def configured_channels() -> list:
    """One instance of each channel in TONGXUE_NOTIFICATION_CHANNELS (a broken path is logged)."""
    channels = []
    for path in getattr(settings, "TONGXUE_NOTIFICATION_CHANNELS", DEFAULT_CHANNELS):
        try:
            channels.append(import_string(path)())
        except Exception:
            logger.exception("Notification channel %s could not be loaded", path)
    return channels


def deliver(notifications: list[Notification]) -> None:
    """Hand stored notifications to every channel. A failing channel is logged and skipped:
    it never stops the other channels nor the change that caused the notification."""
    if not notifications:
        return
    for channel in configured_channels():
        try:
            channel.deliver(list(notifications))
        except Exception:
            logger.exception("Notification channel %s failed for %d notification(s)",
                             getattr(channel, "name", type(channel).__name__), len(notifications))


def mark_read(user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read — those with `ids`, or all. Ids of other
    accounts' notifications are ignored. Returns how many were marked."""
    notifications = Notification.objects.visible_to(user).unread()
    if ids is not None:
        notifications = notifications.filter(pk__in=list(ids))
    return notifications.update(read_at=timezone.now())


def unread_count(user) -> int:
    """The user's unread notifications (one COUNT query; 0 for anonymous visitors)."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.visible_to(user).unread().count()
