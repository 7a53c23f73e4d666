"""The unread-notification count for the navbar badge: one COUNT query, and only when a page
actually shows it to a signed-in account."""
from django.utils.functional import SimpleLazyObject

from .services import unread_count


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
