"""Sections of the sitting on the session page and the delegate's page (registered in
apps.py through congress.sections)."""
from django import template

from .. import services_sitting as sitting
from ..permissions import delegate_of

register = template.Library()


@register.inclusion_tag("congress/sitting/_session_panel.html", takes_context=True)
def sitting_panel(context):
    session, user = context["session"], context["request"].user
    delegate = delegate_of(user, session)
    attendance = sitting.attendance_today(session, delegate)
    return {
        "session": session, "request": context["request"], "can_manage": context.get("can_manage"),
        "my_delegate": delegate, "attendance": attendance,
        "is_present": attendance is not None and attendance.checked_out is None,
        "current": sitting.current_item(session),
        "documents": sitting.documents_for(user, session).order_by("kind", "created")[:10],
        "resolutions": session.resolutions.exclude(status="draft").order_by("-opened_at", "-pk")[:5],
    }


@register.inclusion_tag("congress/sitting/_document_list.html", takes_context=True)
def delegate_documents(context):
    session, user = context["session"], context["request"].user
    return {"session": session, "documents": sitting.documents_for(user, session).order_by("kind", "created")}
