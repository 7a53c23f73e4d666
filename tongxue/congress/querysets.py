"""Who sees and who runs a congress session (one mechanism, used by every view and endpoint).

* Everyone of the university sees its sessions, agendas and seated delegates: the congress is
  the students' own body and its work is public (results also appear on public pages).
* A session is run by those who manage its union (its leading cadres, the League teachers who
  guide it, administrators — `Union.objects.manageable_by`) and by its preparatory committee.
"""
from django.db import models

from tongxue.core.querysets import ScopedQuerySet
from tongxue.core.scope import scope_of


class CongressSessionQuerySet(ScopedQuerySet):
    def manageable_by(self, user):
        from tongxue.unions.models import Union

        if not user or not user.is_authenticated:
            return self.none()
        scope = scope_of(user)
        if scope.all_universities:
            return self
        unions = Union.objects.manageable_by(user).values("pk")
        return self.filter(
            models.Q(union_id__in=unions)
            | models.Q(pk__in=_committee_session_ids(user))
        ).filter(university_id__in=scope.university_ids)


def _committee_session_ids(user, roles=None):
    from .models import CommitteeMember

    members = CommitteeMember.objects.filter(user=user)
    if roles:
        members = members.filter(role__in=roles)
    return members.values("session_id")


class SessionChildQuerySet(ScopedQuerySet):
    """Records of a session (committee, attendance, agenda …): visible with the session."""

    def visible_to(self, user):
        from .models import CongressSession

        return self.filter(session__in=CongressSession.objects.visible_to(user))


class DelegateQuerySet(SessionChildQuerySet):
    def seated(self):
        return self.filter(status="seated")
