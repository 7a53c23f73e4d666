"""Recall of an elected member (rules.md §4): moved and supported by delegates up to the recall
share, decided by the congress with quorum and a majority of the delegates present."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tongxue.congress import services_council as council
from tongxue.congress.models import Recall
from tongxue.core.models import AccessEvent
from tongxue.unions.models import Membership

pytestmark = pytest.mark.django_db


def president(world):
    return Membership.objects.get(term__union=world.school_union, student=world.school_cadre, end_date__isnull=True)


def user(congress, i):
    return congress.delegates[i].student.user


def test_only_a_delegate_moves_and_only_a_current_presidium_member(congress, world):
    with pytest.raises(PermissionDenied):
        council.move_recall(world.league_school, congress.session, president(world), "失职")
    officer = Membership.objects.get(student=world.officer_a)
    with pytest.raises(ValidationError):
        council.move_recall(user(congress, 0), congress.session, officer, "失职")
    with pytest.raises(ValidationError):
        council.move_recall(user(congress, 0), congress.session, president(world), "  ")


def test_support_reaches_the_share_then_goes_to_the_congress(congress, world):
    assert council.supporters_needed(congress.session) == 3  # 1/3 of 9 seated
    recall = council.move_recall(user(congress, 0), congress.session, president(world), "长期不履职")
    assert recall.status == "collecting" and recall.supporters.count() == 1
    with pytest.raises(ValidationError):  # one motion at a time
        council.move_recall(user(congress, 1), congress.session, president(world), "again")
    recall = council.support_recall(user(congress, 1), recall)
    recall = council.support_recall(user(congress, 1), recall)  # twice: no change
    assert recall.status == "collecting" and recall.supporters.count() == 2
    recall = council.support_recall(user(congress, 2), recall)
    assert recall.status == "put_to_vote" and recall.put_to_vote_at
    with pytest.raises(ValidationError):
        council.support_recall(user(congress, 3), recall)
    with pytest.raises(PermissionDenied):
        council.support_recall(world.cadre_a.user, recall)


def _put_to_vote(congress, world):
    recall = council.move_recall(user(congress, 0), congress.session, president(world), "长期不履职")
    for i in (1, 2):
        recall = council.support_recall(user(congress, i), recall)
    return recall


def test_the_vote_needs_quorum_and_more_than_half_of_those_present(congress, world):
    recall = _put_to_vote(congress, world)
    congress.check_in(*congress.delegates[:5])
    with pytest.raises(ValidationError):  # 5 of 9 present, 6 needed
        council.decide_recall(world.league_school, recall, votes_for=5, votes_against=0, votes_abstain=0)
    congress.check_in(congress.delegates[5])
    with pytest.raises(PermissionDenied):
        council.decide_recall(user(congress, 0), recall, votes_for=6, votes_against=0, votes_abstain=0)
    with pytest.raises(ValidationError):
        council.decide_recall(world.league_school, recall, votes_for=6, votes_against=1, votes_abstain=0)
    recall = council.decide_recall(world.league_school, recall, votes_for=3, votes_against=2, votes_abstain=1)
    assert recall.status == "rejected" and recall.present == 6  # 3 of 6 is not more than half
    assert president(world).end_date is None


def test_a_passed_recall_ends_the_membership_with_an_audit_entry(congress, world):
    from auditlog.models import LogEntry

    recall = _put_to_vote(congress, world)
    congress.check_in(*congress.delegates[:6])
    membership = president(world)
    recall = council.decide_recall(world.league_school, recall, votes_for=4, votes_against=1, votes_abstain=1)
    assert recall.status == "passed"
    membership.refresh_from_db()
    assert membership.end_date and membership.end_reason == Membership.EndReason.RECALL == "recall"
    assert LogEntry.objects.get_for_object(membership).filter(changes__icontains="recall").exists()
    with pytest.raises(ValidationError):
        council.decide_recall(world.league_school, recall, votes_for=4, votes_against=1, votes_abstain=1)


def test_recall_pages_and_scope(client, congress, world):
    client.force_login(user(congress, 0))
    response = client.post(reverse("congress:recall_new", args=[congress.session.pk]),
                           {"membership": president(world).pk, "reason": "不履职"})
    recall = Recall.objects.get()
    assert response.status_code == 302
    client.force_login(user(congress, 1))
    assert client.get(reverse("congress:recall", args=[congress.session.pk, recall.pk])).status_code == 200
    client.post(reverse("congress:recall_support", args=[congress.session.pk, recall.pk]))
    assert recall.supporters.count() == 2
    client.force_login(world.cadre_a.user)
    assert client.get(reverse("congress:recalls", args=[congress.session.pk])).status_code == 200
    assert client.post(reverse("congress:recall_new", args=[congress.session.pk]),
                       {"membership": president(world).pk, "reason": "x"}).status_code == 403
    assert client.post(reverse("congress:recall_support", args=[congress.session.pk, recall.pk])).status_code == 403
    assert AccessEvent.objects.filter(path__contains="/recalls/").exists()
    client.force_login(world.other_admin)
    assert client.get(reverse("congress:recall", args=[congress.session.pk, recall.pk])).status_code == 404
