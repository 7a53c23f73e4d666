"""What the session page's preparation sections show (they are included by the base session
page, which knows nothing of the preparation models)."""
from django import template
from django.utils import timezone

from tongxue.congress import services_prep

register = template.Library()


@register.simple_tag(takes_context=True)
def prep_summary(context, session):
    request = context.get("request")
    kept = getattr(request, "_congress_prep_summary", None)
    if kept and kept[0] == session.pk:
        return kept[1]  # the three sections of one page share it
    summary = _summary(request, session)
    if request is not None:
        request._congress_prep_summary = (session.pk, summary)
    return summary


def _summary(request, session):
    user = getattr(request, "user", None)
    notice = getattr(session, "delegate_notice", None) if hasattr(session, "delegate_notice") else None
    return {
        "milestones": list(session.milestones.all()),
        "adopted": services_prep.adopted(session),
        "counts": services_prep.delegate_counts(session),
        "notice": notice,
        "notice_running": bool(notice and notice.is_running(timezone.now())),
        "can_review": bool(user) and services_prep.can_review(user, session),
        "today": timezone.localdate(),
    }


@register.filter
def percent(value):
    """A fraction as a percentage with one decimal ("61.5%")."""
    from fractions import Fraction

    if value is None or value == "":
        return ""
    return f"{float(Fraction(value)) * 100:.1f}%"


@register.filter
def decimal(value, places=3):
    """An exact quota ("123/45") as a decimal number."""
    from fractions import Fraction

    if value is None or value == "":
        return ""
    return f"{float(Fraction(value)):.{int(places)}f}"
