from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tongxue.congress import services
from tongxue.congress.models import CommitteeMember, CongressSession
from tongxue.core.models import AccessEvent

pytestmark = pytest.mark.django_db


def test_create_session_numbers_in_order_and_makes_the_creator_chair(world):
    first = services.create_session(world.cadre_a.user, world.union_a, opens_on=date(2026, 12, 1))
    second = services.create_session(world.league_a, world.union_a, opens_on=date(2027, 12, 1))
    assert (first.number, second.number) == (1, 2)
    assert CommitteeMember.objects.get(session=first).user == world.cadre_a.user
    assert first.share("quorum").numerator == 2 and first.share("quorum").denominator == 3


def test_create_session_refuses_who_does_not_manage_the_union(world):
    with pytest.raises(PermissionDenied):
        services.create_session(world.student_a.user, world.school_union, opens_on=date(2026, 12, 1))
    with pytest.raises(PermissionDenied):
        services.create_session(world.league_a, world.union_b, opens_on=date(2026, 12, 1))
    assert not CongressSession.objects.exists()


def test_assembly_only_for_a_small_college(world):
    with pytest.raises(ValidationError):
        services.create_session(world.league_school, world.school_union, opens_on=date(2026, 12, 1),
                                kind=CongressSession.Kind.ASSEMBLY)
    session = services.create_session(world.league_a, world.union_a, opens_on=date(2026, 12, 1),
                                      kind=CongressSession.Kind.ASSEMBLY)
    assert session.kind == "assembly"


def test_status_flow(world):
    session = services.create_session(world.league_school, world.school_union, opens_on=date(2026, 12, 1))
    with pytest.raises(ValidationError):
        services.move_session(world.league_school, session, CongressSession.Status.CLOSED)
    services.move_session(world.league_school, session, CongressSession.Status.CONVENED)
    session = services.move_session(world.league_school, session, CongressSession.Status.CLOSED)
    assert session.status == "closed" and session.closes_on is not None
    with pytest.raises(PermissionDenied):
        services.move_session(world.student_a.user, session, CongressSession.Status.CONVENED)


def test_quorum_counts_seated_delegates_checked_in_and_not_left(congress):
    q = services.quorum(congress.session)
    assert (q.seated, q.present, q.needed, q.has_quorum) == (9, 0, 6, False)
    congress.check_in(*congress.delegates[:6])
    assert services.quorum(congress.session).has_quorum
    from django.utils import timezone
    congress.session.attendances.filter(delegate=congress.delegates[0]).update(checked_out=timezone.now())
    q = services.quorum(congress.session)
    assert (q.present, q.has_quorum) == (5, False)


def test_session_pages_scope(client, world, congress):
    url = reverse("congress:session", args=[congress.session.pk])
    client.force_login(world.student_b.user)
    assert client.get(reverse("congress:sessions")).status_code == 200
    assert client.get(url).status_code == 200
    assert client.get(reverse("congress:session_edit", args=[congress.session.pk])).status_code == 403
    assert AccessEvent.objects.filter(path__contains="/edit/").exists()
    client.force_login(world.other_admin)
    assert client.get(url).status_code == 404
    client.force_login(world.league_school)
    response = client.get(url)
    assert response.status_code == 200 and b'data-present="0"' in response.content


def test_create_session_page(client, world):
    client.force_login(world.league_a)
    response = client.post(reverse("congress:session_new"), {
        "union": world.union_a.pk, "kind": "congress", "opens_on": "2026-12-10", "venue": "报告厅",
        "seat_share": "1/100", "quorum": "2/3", "resolution_share": "1/2", "charter_share": "2/3",
        "non_cadre_share": "3/5", "class_meeting_quorum": "2/3", "candidate_surplus": "1/5", "recall_share": "1/3",
        "min_cosigners": 2, "proposal_answer_days": 30})
    session = CongressSession.objects.get()
    assert response.status_code == 302 and session.venue == "报告厅"
    response = client.post(reverse("congress:session_new"), {"union": world.union_b.pk, "kind": "congress",
                                                              "opens_on": "2026-12-10"})
    assert response.status_code == 200 and CongressSession.objects.count() == 1  # union B is not League A's
    bad = client.post(reverse("congress:session_edit", args=[session.pk]), {
        "opens_on": "2026-12-10", "seat_share": "abc", "quorum": "2/3", "resolution_share": "1/2",
        "charter_share": "2/3", "non_cadre_share": "3/5", "class_meeting_quorum": "2/3", "candidate_surplus": "1/5",
        "recall_share": "1/3", "min_cosigners": 2, "proposal_answer_days": 30})
    assert bad.status_code == 200
    session.refresh_from_db()
    assert session.seat_share == "1/100"


def test_last_session_feeds_the_self_assessment(world):
    from tongxue.rules.services import findings_for

    def s11():
        return next(f for f in findings_for(world.school_union, "2026-2027") if f.rule.id == "S11")

    assert s11().status == "not_recorded"
    session = services.create_session(world.league_school, world.school_union, opens_on=date(2026, 10, 20))
    assert s11().status == "not_recorded"  # prepared, not held
    CongressSession.objects.filter(pk=session.pk).update(status=CongressSession.Status.CLOSED)
    finding = s11()
    assert finding.status == "pass" and "2026年10月20日" in finding.outcome.figure


def test_a_closed_session_shows_the_attendance_of_its_last_sitting(congress):
    import datetime

    day = congress.session.opens_on - datetime.timedelta(days=3)
    congress.check_in(*congress.delegates[:7], sitting=day)
    assert services.quorum(congress.session).present == 0  # in session: today's hall is empty
    CongressSession.objects.filter(pk=congress.session.pk).update(status=CongressSession.Status.CLOSED)
    congress.session.refresh_from_db()
    q = services.quorum(congress.session)
    assert (q.sitting, q.present, q.has_quorum) == (day, 7, True)
