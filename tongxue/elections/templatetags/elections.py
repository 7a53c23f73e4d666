"""Sections that the elections app adds to the congress pages (registered in ElectionsConfig.ready):
each computes what it shows from the page's `session` and account, so that it fits any page."""
from django import template

from tongxue.congress.permissions import can_manage, delegate_of

from .. import services
from ..models import Election, VoterRecord

register = template.Library()


@register.inclusion_tag("elections/sections/_session.html", takes_context=True)
def session_elections(context, session):
    user = context["request"].user
    return {"session": session, "elections": list(Election.objects.filter(session=session).order_by("created", "pk")),
            "can_manage": can_manage(user, session), "my_delegate": delegate_of(user, session)}


@register.inclusion_tag("elections/sections/_delegate.html", takes_context=True)
def my_votes(context, session):
    """Elections the delegate voted in: only that they voted, never how nor their receipt."""
    user = context["request"].user
    delegate = delegate_of(user, session)
    records = VoterRecord.objects.filter(delegate=delegate).select_related("election") if delegate else []
    return {"session": session, "records": records}


@register.inclusion_tag("elections/sections/_projector.html")
def projector_elections(session):
    elections = Election.objects.filter(session=session, status__in=[Election.Status.OPEN, Election.Status.PUBLISHED])
    current = [(e, services.turnout(e)) for e in elections if e.status == Election.Status.OPEN]
    published = [(e, [r for r in services.result_rows(e) if r["elected"]]) for e in elections
                 if e.status == Election.Status.PUBLISHED]
    return {"current": current, "published": published[-3:]}
