"""Who sees which proposal (one mechanism for pages and the API).

* A submitted proposal is public (the whole list with its status is published, issue 5 item 5):
  everyone who sees the session sees it.
* A draft is seen by its proposer and the delegates invited to co-sign it.
"""
from django.db import models

from tongxue.core.querysets import ScopedQuerySet


def _own_delegate_ids(user):
    from tongxue.congress.models import Delegate

    student = getattr(user, "student", None) if user and user.is_authenticated else None
    if student is None:
        return Delegate.objects.none().values("pk")
    return Delegate.objects.filter(student=student).values("pk")


class ProposalQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from tongxue.congress.models import CongressSession

        from .models import CoSigner

        if not user or not user.is_authenticated:
            return self.none()
        mine = _own_delegate_ids(user)
        return self.filter(session__in=CongressSession.objects.visible_to(user)).filter(
            ~models.Q(status="draft") | models.Q(proposer__in=mine)
            | models.Q(pk__in=CoSigner.objects.filter(delegate__in=mine).values("proposal_id"))
        )

    def public(self):
        return self.exclude(status="draft")

    def for_offices(self, office_ids):
        return self.filter(office_id__in=office_ids).exclude(status="draft")


class CoSignerQuerySet(ScopedQuerySet):
    def signed(self):
        return self.filter(signed_at__isnull=False)
