"""Data for the proposals sections included in the congress pages (congress.sections)."""
from django import template
from django.db.models import Count

from tongxue.congress.permissions import delegate_of

from ..models import CoSigner, Proposal

register = template.Library()


@register.simple_tag
def proposal_counts(session, user):
    """(status label, count) for the session's proposals the account sees, and the total."""
    rows = (Proposal.objects.visible_to(user).filter(session=session).values("status")
            .annotate(n=Count("pk")).order_by())
    counts = {row["status"]: row["n"] for row in rows}
    return {"rows": [(value, label, counts[value]) for value, label in Proposal.Status.choices if value in counts],
            "total": sum(counts.values())}


@register.simple_tag
def my_proposals(session, user):
    """The account's own proposals at the session and the ones it was asked to co-sign."""
    delegate = delegate_of(user, session)
    if delegate is None:
        return {"delegate": None, "own": [], "cosigned": []}
    own = Proposal.objects.filter(session=session, proposer=delegate).order_by("-created")
    cosigned = (CoSigner.objects.filter(proposal__session=session, delegate=delegate)
                .select_related("proposal").order_by("-invited_at"))
    return {"delegate": delegate, "own": own, "cosigned": cosigned}


BADGES = {
    "draft": "light", "submitted": "info", "accepted": "primary", "answered": "success", "merged": "secondary",
    "opinion": "warning", "not_accepted": "dark",
}


@register.filter
def badge(status: str) -> str:
    """Bootstrap colour of a proposal status badge."""
    return BADGES.get(status, "light")
