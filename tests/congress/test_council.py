"""The standing delegates' council (rules.md §3, §4): members from a closed session, meetings
that decide only with more than half of the members present, and the matters it may not take."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tongxue.congress import services_council as council
from tongxue.congress.models import CongressSession, CouncilMatter, CouncilMember
from tongxue.core.models import AccessEvent

pytestmark = pytest.mark.django_db
DAY = datetime.date(2027, 3, 1)


@pytest.fixture
def closed(congress):
    CongressSession.objects.filter(pk=congress.session.pk).update(status=CongressSession.Status.CLOSED)
    congress.session.refresh_from_db()
    return congress


def members(congress, actor, n=5):
    return [council.add_council_member(actor, congress.session, d) for d in congress.delegates[:n]]


def test_members_come_from_the_seated_delegates_of_a_closed_session(congress, world):
    with pytest.raises(ValidationError):
        council.add_council_member(world.league_school, congress.session, congress.delegates[0])
    CongressSession.objects.filter(pk=congress.session.pk).update(status=CongressSession.Status.CLOSED)
    congress.session.refresh_from_db()
    with pytest.raises(PermissionDenied):
        council.add_council_member(world.student_a.user, congress.session, congress.delegates[0])
    member = council.add_council_member(world.league_school, congress.session, congress.delegates[0])
    assert council.add_council_member(world.league_school, congress.session, congress.delegates[0]) == member


def test_a_meeting_decides_only_with_more_than_half_present(closed, world):
    chosen = members(closed, world.league_school, 5)
    short = council.record_meeting(world.league_school, closed.session, held_on=DAY, topic="学期工作", present=chosen[:2])
    matter = council.add_matter(world.league_school, short, CouncilMatter.Kind.REPORT, "听取主席团工作报告")
    with pytest.raises(ValidationError):
        council.record_council_vote(world.league_school, matter, votes_for=2, votes_against=0, votes_abstain=0)
    meeting = council.record_meeting(world.league_school, closed.session, held_on=DAY, topic="提案督办",
                                     present=chosen[:3])
    matter = council.add_matter(world.league_school, meeting, CouncilMatter.Kind.PROPOSALS, "督办提案答复")
    with pytest.raises(ValidationError):  # more votes than members present
        council.record_council_vote(world.league_school, matter, votes_for=3, votes_against=1, votes_abstain=0)
    matter = council.record_council_vote(world.league_school, matter, votes_for=2, votes_against=1, votes_abstain=0)
    assert matter.is_passed is True
    other = council.add_matter(world.league_school, meeting, CouncilMatter.Kind.OPINIONS, "征集意见")
    other = council.record_council_vote(world.league_school, other, votes_for=1, votes_against=1, votes_abstain=1)
    assert other.is_passed is False


@pytest.mark.parametrize("kind, rule", [
    (CouncilMatter.Kind.ELECT_PRESIDIUM, "§3"), (CouncilMatter.Kind.AMEND_CHARTER, "§4"),
    (CouncilMatter.Kind.DAILY_WORK, "§4"),
])
def test_forbidden_matters_are_refused_citing_the_rule(closed, world, kind, rule):
    chosen = members(closed, world.league_school, 3)
    meeting = council.record_meeting(world.league_school, closed.session, held_on=DAY, topic="x", present=chosen)
    with pytest.raises(ValidationError) as refused:
        council.add_matter(world.league_school, meeting, kind, "越权事项")
    assert refused.value.code == "forbidden" and rule in refused.value.messages[0]
    assert not CouncilMatter.objects.exists()


def test_council_pages_and_scope(client, closed, world):
    chosen = members(closed, world.league_school, 3)
    meeting = council.record_meeting(world.league_school, closed.session, held_on=DAY, topic="例会", present=chosen)
    client.force_login(world.student_b.user)
    assert client.get(reverse("congress:council", args=[closed.session.pk])).status_code == 200
    assert client.get(reverse("congress:council_meeting", args=[closed.session.pk, meeting.pk])).status_code == 200
    response = client.post(reverse("congress:council_matter_new", args=[closed.session.pk, meeting.pk]),
                           {"kind": "report", "title": "x"})
    assert response.status_code == 403 and AccessEvent.objects.filter(path__contains="/council/").exists()
    client.force_login(world.other_admin)
    assert client.get(reverse("congress:council", args=[closed.session.pk])).status_code == 404
    client.force_login(world.league_school)
    response = client.post(reverse("congress:council_matter_new", args=[closed.session.pk, meeting.pk]),
                           {"kind": "amend_charter", "title": "修改章程"}, follow=True)
    assert response.status_code == 200
    assert any("§4" in str(message) for message in response.context["messages"])
    assert not CouncilMatter.objects.exists()
    client.post(reverse("congress:council_matter_new", args=[closed.session.pk, meeting.pk]),
                {"kind": "report", "title": "听取报告"})
    matter = CouncilMatter.objects.get()
    client.post(reverse("congress:council_matter_vote", args=[closed.session.pk, meeting.pk, matter.pk]),
                {"votes_for": 2, "votes_against": 0, "votes_abstain": 1})
    matter.refresh_from_db()
    assert matter.is_passed
    assert CouncilMember.objects.count() == 3
