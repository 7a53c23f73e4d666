"""Proposal pages and their scope: 200 for who may, 403 (logged) for a forbidden action, 404 out of scope."""
import pytest
from django.urls import reverse

from tongxue.core.models import AccessEvent
from tongxue.proposals import services
from tongxue.proposals.models import Proposal

pytestmark = pytest.mark.django_db


def test_session_page_shows_the_proposals_section(client, desk):
    desk.submitted()
    client.force_login(desk.user(0))
    page = client.get(reverse("congress:session", args=[desk.session.pk]))
    assert page.status_code == 200
    assert b'data-testid="proposals-section"' in page.content and b'data-count="submitted"' in page.content
    assert b'data-testid="between-sessions"' in page.content


def test_drafting_and_the_full_flow_over_http(client, desk):
    client.force_login(desk.user(0))
    response = client.post(reverse("proposals:new", args=[desk.session.pk]), {
        "title": "图书馆延长开放", "category": "teaching", "reason": "考试周座位不够。", "suggestion": "开放到23点。"})
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and proposal.status == "draft"
    for i in (1, 2):
        client.post(reverse("proposals:invite", args=[proposal.pk]), {"delegate": desk.congress.delegates[i].pk})
    response = client.post(reverse("proposals:submit", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == "draft"  # not yet co-signed: refused with a message, not an error page
    for i in (1, 2):
        client.force_login(desk.user(i))
        assert client.post(reverse("proposals:cosign", args=[proposal.pk])).status_code == 302
    client.force_login(desk.user(0))
    client.post(reverse("proposals:submit", args=[proposal.pk]))
    client.force_login(desk.committee)
    client.post(reverse("proposals:decide", args=[proposal.pk]), {"decision": "accept", "office": desk.office.pk})
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.office == desk.office
    client.force_login(desk.office_staff)
    inbox = client.get(reverse("proposals:office"))
    assert inbox.status_code == 200 and f'data-proposal="{proposal.pk}"'.encode() in inbox.content
    client.post(reverse("proposals:answer", args=[proposal.pk]), {"answer": "考试周开放到23点。"})
    client.force_login(desk.user(0))
    client.post(reverse("proposals:rate", args=[proposal.pk]), {"satisfaction": "satisfied", "comment": "好"})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.satisfaction) == ("answered", "satisfied")


@pytest.mark.parametrize("who, expected", [
    ("proposer", 200), ("invited", 200), ("other_delegate", 404), ("league_school", 404), ("other_admin", 404),
])
def test_a_draft_is_seen_by_its_proposer_and_invited_cosigners(client, desk, world, who, expected):
    proposal = services.draft_proposal(desk.user(0), desk.session, title="草稿", reason="r", suggestion="s")
    services.invite_cosigner(desk.user(0), proposal, desk.congress.delegates[1])
    users = {"proposer": desk.user(0), "invited": desk.user(1), "other_delegate": desk.user(2),
             "league_school": world.league_school, "other_admin": world.other_admin}
    client.force_login(users[who])
    assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == expected


@pytest.mark.parametrize("who, expected", [
    ("student", 200), ("office", 200), ("committee", 200), ("other_admin", 404),
])
def test_a_submitted_proposal_is_seen_in_the_university(client, desk, world, who, expected):
    proposal = desk.submitted()
    users = {"student": world.officer_a.user, "office": desk.office_staff, "committee": desk.committee,
             "other_admin": world.other_admin}
    client.force_login(users[who])
    assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == expected
    assert client.get(reverse("proposals:session", args=[desk.session.pk])).status_code == expected


def test_forbidden_actions_are_403_and_logged(client, desk, world):
    proposal = desk.submitted()
    client.force_login(desk.user(3))
    assert client.post(reverse("proposals:decide", args=[proposal.pk]),
                       {"decision": "reject", "note": "x"}).status_code == 403
    assert AccessEvent.objects.filter(path__contains="/decide/").exists()
    services.accept_proposal(desk.committee, proposal, desk.office)
    client.force_login(desk.other_office_staff)
    assert client.post(reverse("proposals:answer", args=[proposal.pk]), {"answer": "x"}).status_code == 403
    client.force_login(desk.user(1))
    assert client.post(reverse("proposals:rate", args=[proposal.pk]), {"satisfaction": "satisfied"}).status_code == 403
    client.force_login(world.cadre_a.user)
    assert client.get(reverse("proposals:new", args=[desk.session.pk])).status_code == 403
    assert client.get(reverse("proposals:office")).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "accepted"


def test_public_list_without_login_shows_name_and_college_not_student_no(client, desk):
    proposal = services.accept_proposal(desk.committee, desk.submitted(), desk.office)
    services.answer_proposal(desk.office_staff, proposal, "已延长到24点。")
    services.rate_answer(desk.user(0), proposal, "satisfied")
    draft = services.draft_proposal(desk.user(3), desk.session, title="未提交的草稿", reason="r", suggestion="s")
    page = client.get(reverse("public_proposals:list", args=[desk.session.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    student = desk.congress.delegates[0].student
    assert student.name in text and student.college.name in text and student.student_no not in text
    assert "后勤保障处" in text and "已延长到24点。" in text and 'data-satisfaction="satisfied"' in text
    assert f'data-proposal="{draft.pk}"' not in text
    assert client.get(reverse("public_proposals:list", args=[99999])).status_code == 404


def test_overdue_is_flagged_in_the_office_inbox(client, desk):
    import datetime

    proposal = services.accept_proposal(desk.committee, desk.submitted(), desk.office,
                                        today=datetime.date(2020, 1, 1))
    client.force_login(desk.office_staff)
    page = client.get(reverse("proposals:office"))
    assert f'data-proposal="{proposal.pk}" data-overdue="yes"'.encode() in page.content


def test_delegate_section_lists_my_proposals_and_cosignatures(rf, desk):
    from django.template.loader import render_to_string

    proposal = desk.submitted()
    request = rf.get("/")
    request.user = desk.user(1)
    html = render_to_string("proposals/_delegate_section.html", {"session": desk.session, "request": request})
    assert f'data-cosign="{proposal.pk}"' in html
    request.user = desk.user(0)
    html = render_to_string("proposals/_delegate_section.html", {"session": desk.session, "request": request})
    assert f'data-proposal="{proposal.pk}"' in html
