import pytest
from django.urls import reverse

from tongxue.core.models import AccessEvent
from tongxue.elections import services
from tongxue.elections.models import Ballot, Election, Official, VoterRecord

from .conftest import A, F, X, make_election, marks

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_election(congress, chair):
    congress.check_in(*congress.delegates[:8])
    return services.open_election(chair, make_election(congress, chair))


def form(election, *values, write_ins=()):
    data = {f"mark-{k}": str(v) for k, v in marks(election, *values).items()}
    data["write_in"] = list(write_ins)
    return data


def test_detail_scope(client, open_election, world):
    url = reverse("elections:detail", args=[open_election.pk])
    client.force_login(world.student_b.user)
    assert client.get(url).status_code == 200
    client.force_login(world.other_admin)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_managing_is_refused_to_students_with_an_access_event(client, congress, chair, world):
    election = make_election(congress, chair)
    client.force_login(world.student_b.user)
    response = client.post(reverse("elections:open", args=[election.pk]))
    assert response.status_code == 403
    assert AccessEvent.objects.filter(actor=world.student_b.user).exists()
    assert client.get(reverse("elections:new", args=[congress.session.pk])).status_code == 403
    assert client.get(reverse("elections:print", args=[election.pk])).status_code == 403
    election.refresh_from_db()
    assert election.status == Election.Status.DRAFT


def test_chair_sets_up_and_runs_an_election_through_the_pages(client, congress, chair, world):
    client.force_login(chair)
    response = client.post(reverse("elections:new", args=[congress.session.pk]), {
        "title": "主席团选举", "kind": "presidium", "seats": 2, "mode": "online", "majority_base": "present",
        "min_surplus": "1/5"})
    election = Election.objects.get()
    assert response.status_code == 302
    numbers = "\n".join(d.student.student_no for d in congress.delegates[-3:])
    client.post(reverse("elections:candidates", args=[election.pk]), {"student_nos": numbers})
    assert election.listed.count() == 3
    assert client.get(reverse("elections:detail", args=[election.pk])).status_code == 200
    congress.check_in(*congress.delegates)
    client.post(reverse("elections:open", args=[election.pk]))
    election.refresh_from_db()
    assert election.status == "open" and election.issued == 9
    assert client.get(reverse("congress:session", args=[congress.session.pk])).status_code == 200


def test_vote_confirm_cast_and_double_submit(client, open_election, congress):
    voter = congress.delegates[0].student.user
    client.force_login(voter)
    assert client.get(reverse("elections:vote", args=[open_election.pk])).status_code == 200
    data = form(open_election, F, F, F)
    response = client.post(reverse("elections:vote_confirm", args=[open_election.pk]), data)
    assert response.status_code == 200 and b'data-testid="too-many"' in response.content
    assert not Ballot.objects.filter(is_cast=True).exists()       # the confirmation stores nothing
    data = form(open_election, F, A, X, write_ins=["李雷", ""])
    response = client.post(reverse("elections:vote_cast", args=[open_election.pk]), data)
    assert response.status_code == 200
    receipt = response.context["receipt"]
    ballot = Ballot.objects.get(is_cast=True)
    assert ballot.receipt == receipt and ballot.marks == "FA-" and ballot.write_ins == ["李雷"]
    again = client.post(reverse("elections:vote_cast", args=[open_election.pk]), form(open_election, A, A, A))
    assert again.status_code == 409
    assert Ballot.objects.filter(is_cast=True).count() == 1 and Ballot.objects.get(is_cast=True).marks == "FA-"
    # the page after voting does not show the receipt again
    page = client.get(reverse("elections:vote", args=[open_election.pk]))
    assert receipt.encode() not in page.content


def test_vote_refused_to_non_delegates_absent_delegates_and_get(client, open_election, congress, world):
    url = reverse("elections:vote_cast", args=[open_election.pk])
    client.force_login(world.cadre_a.user)
    assert client.get(reverse("elections:vote", args=[open_election.pk])).status_code == 403
    assert client.post(url, form(open_election, F, X, X)).status_code == 403
    assert AccessEvent.objects.filter(actor=world.cadre_a.user).exists()
    client.force_login(congress.delegates[8].student.user)       # never checked in
    response = client.post(url, form(open_election, F, X, X))
    assert response.context["code"] == "refused"
    client.force_login(congress.delegates[0].student.user)
    assert client.get(url).status_code == 405
    assert not Ballot.objects.filter(is_cast=True).exists()
    assert not VoterRecord.objects.filter(has_voted=True).exists()


def test_public_result_without_login_and_search_by_receipt(client, open_election, congress, chair):
    url = reverse("public_elections:result", args=[open_election.pk])
    assert client.get(url).status_code == 404                    # not published yet
    receipts = [services.cast_ballot(d.student.user, open_election, marks(open_election, F, F, X))
                for d in congress.delegates[:6]]
    services.publish(chair, services.close_election(chair, open_election))
    response = client.get(url)
    assert response.status_code == 200 and len(response.context["ballots"]) == 6
    response = client.get(url, {"receipt": receipts[2].lower()})
    assert [b["receipt"] for b in response.context["ballots"]] == [receipts[2]]
    download = client.get(reverse("public_elections:file", args=[open_election.pk]))
    assert download.status_code == 200 and b"tongxue-ballots/1" in download.content


def test_paper_pages(client, congress, chair, world):
    congress.check_in(*congress.delegates)
    election = make_election(congress, chair, mode=Election.Mode.PAPER)
    services.add_official(chair, election, world.league_school, Official.Role.TELLER_A)
    services.add_official(chair, election, congress.delegates[0].student.user, Official.Role.TELLER_B)
    client.force_login(chair)
    response = client.get(reverse("elections:print", args=[election.pk]), {"copies": 4})
    assert response.status_code == 200 and response.content.count(b'data-testid="sheet"') == 4
    assert b"student_no" not in response.content and congress.delegates[0].student.student_no.encode() not in response.content
    election = services.close_election(chair, services.open_election(chair, election))
    response = client.post(reverse("elections:paper", args=[election.pk]), {"sheet": 1, **form(election, F, X, A)})
    assert response.status_code == 302
    client.force_login(congress.delegates[0].student.user)
    client.post(reverse("elections:paper", args=[election.pk]), {"sheet": 1, **form(election, F, F, A)})
    page = client.get(reverse("elections:mismatches", args=[election.pk]))
    assert page.status_code == 200 and len(page.context["rows"]) == 1 and len(page.context["rows"][0]["diffs"]) == 1
    client.force_login(world.student_b.user)
    assert client.get(reverse("elections:paper", args=[election.pk])).status_code == 403
    assert client.get(reverse("elections:mismatches", args=[election.pk])).status_code == 403


def test_delegate_and_projector_sections_render(rf, open_election, congress, chair):
    from django.template.loader import render_to_string

    from tongxue.congress import sections

    services.cast_ballot(congress.delegates[0].student.user, open_election, marks(open_election, F, X, X))
    assert "elections/sections/delegate.html" in sections.templates(sections.DELEGATE_SECTIONS)
    request = rf.get("/")
    request.user = congress.delegates[0].student.user
    html = render_to_string("elections/sections/delegate.html", {"session": congress.session}, request=request)
    assert 'data-testid="my-votes"' in html and open_election.title in html
    projector = render_to_string("elections/sections/projector.html", {"session": congress.session}, request=request)
    assert 'data-cast="1"' in projector and 'data-issued="8"' in projector
    request.user = chair
    session_html = render_to_string("elections/sections/session.html", {"session": congress.session}, request=request)
    assert 'data-testid="new-election"' in session_html


def test_strike_one_candidate_off(client, congress, chair):
    election = make_election(congress, chair, candidates=3)
    client.force_login(chair)
    struck = congress.delegates[-1].student
    client.post(reverse("elections:candidates", args=[election.pk]), {"remove": struck.pk})
    assert set(election.listed.values_list("student_id", flat=True)) == {d.student_id for d in congress.delegates[-3:-1]}
