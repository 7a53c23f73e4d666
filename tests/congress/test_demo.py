"""The demo congress is consistent: elections recount, rules pass, resolutions follow the session's
rules, and the public pages show it."""
import json

import pytest
from django.core.management import call_command

from tongxue.congress.models import CharterVersion, CongressSession, FormalQuestion, Resolution, SessionDocument
from tongxue.core import demo
from tongxue.core.models import University
from tongxue.domain import reform_rules as rr
from tongxue.domain import tally
from tongxue.elections import services as election_services
from tongxue.elections.models import Ballot, Election, VoterRecord
from tongxue.rules import services as rule_services
from tongxue.unions.models import Union

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings):
    settings.AXES_ENABLED = False
    demo.build_demo(seed=2026, students=1500, small_students=120)
    return University.objects.get(code=demo.DEMO_CODES[0])


def _school(university):
    return Union.objects.get(university=university, level=Union.Level.SCHOOL, kind=Union.Kind.UNDERGRADUATE)


def test_published_elections_equal_a_recount_of_their_ballots(loaded, tmp_path):
    published = list(Election.objects.filter(university=loaded, status=Election.Status.PUBLISHED))
    assert len(published) >= 2
    for election in published:
        result = tally.count(election_services.election_spec(election), election_services.ballots_of(election))
        assert result.to_dict() == election.result
        assert election.ballots.filter(is_cast=True).count() == election.present == election.issued
        assert VoterRecord.objects.filter(election=election, has_voted=True).count() == election.present
        assert set(election.candidates.filter(is_elected=True).values_list("key", flat=True)) == set(
            election.result["elected"])
    school = Election.objects.get(session__union=_school(loaded), status=Election.Status.PUBLISHED)
    assert school.is_competitive and len(school.result["elected"]) == school.seats
    path = tmp_path / "ballots.json"
    path.write_text(election_services.published_file(school), encoding="utf-8")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["result"]["elected"] == school.result["elected"]
    call_command("tally", str(path))   # the recount command accepts the published file


def test_graduate_session_has_a_draft_election_ready_to_open(loaded):
    now = CongressSession.objects.get(university=loaded, status=CongressSession.Status.CONVENED)
    election = Election.objects.get(session=now)
    assert election.status == Election.Status.DRAFT and not election_services.candidate_problems(election)
    assert not Ballot.objects.filter(election=election).exists()
    assert now.documents.filter(published_at__isnull=False).count() == 2
    assert now.resolutions.filter(status=Resolution.Status.DRAFT).exists()


def test_school_and_college_presidia_were_elected_by_their_congress(loaded):
    findings = dict(rule_services.findings_for_university(loaded))
    school = _school(loaded)
    by_rule = {f.rule.id: f.status for f in findings[school]}
    assert by_rule["S10"] == rr.PASS and by_rule["S11"] == rr.PASS
    for union, union_findings in findings.items():
        for finding in union_findings:
            if finding.rule.id in ("C8", "S10"):
                assert finding.status in (rr.PASS, rr.NOT_RECORDED), (union.name, finding.rule.id)


def test_resolutions_and_charter_follow_the_session_rules(loaded):
    past = CongressSession.objects.get(union=_school(loaded), status=CongressSession.Status.CLOSED)
    resolutions = list(past.resolutions.all())
    assert len(resolutions) == 3 and all(r.passed for r in resolutions)
    for r in resolutions:
        assert r.votes.count() == r.votes_for + r.votes_against + r.votes_abstain <= r.present
        assert r.votes.filter(choice="for").count() == r.votes_for
        assert tally.resolution_passes(r.votes_for, r.present, past.share(r.share_field),
                                       strict=r.kind != Resolution.Kind.CHARTER)
    charter = past.resolutions.get(kind=Resolution.Kind.CHARTER)
    assert 3 * charter.votes_for >= 2 * charter.present
    versions = CharterVersion.objects.filter(union=past.union).order_by("number")
    assert [(v.number, v.status) for v in versions] == [(1, "superseded"), (2, "adopted")]
    assert versions[1].resolution_id == charter.pk and versions[1].adopted_on == past.opens_on
    assert set(past.documents.values_list("kind", flat=True)) == set(SessionDocument.REPORT_KINDS)
    assert 3 <= FormalQuestion.objects.filter(session=past).exclude(answer="").count() <= 5
    colleges = Union.objects.filter(university=loaded, level=Union.Level.COLLEGE)
    assert all(CharterVersion.objects.adopted().filter(union=u).exists() for u in colleges)


def test_public_pages_of_the_demo(loaded, client):
    school = _school(loaded)
    election = Election.objects.get(session__union=school, status=Election.Status.PUBLISHED)
    assert client.get(f"/public/elections/{election.pk}/").status_code == 200
    response = client.get(f"/public/elections/{election.pk}/ballots.json")
    assert response.status_code == 200
    assert json.loads(b"".join(response.streaming_content) if response.streaming else response.content)[
        "result"]["elected"] == election.result["elected"]
    page = client.get(f"/public/charter/{school.pk}/")
    assert page.status_code == 200 and "第十四条之一" in page.content.decode()
    assert client.get(f"/public/charter/{school.pk}/v1/").status_code == 200


def test_proposals_of_the_demo(loaded, client):
    from tongxue.proposals.models import CoSigner, Proposal

    past = CongressSession.objects.get(union=_school(loaded), status=CongressSession.Status.CLOSED)
    proposals = Proposal.objects.filter(session=past)
    assert proposals.count() == 25
    statuses = {status for status in proposals.values_list("status", flat=True)}
    assert statuses == {"answered", "accepted", "merged", "opinion", "not_accepted"}
    assert all(p.is_overdue for p in proposals.filter(status="accepted"))
    assert not proposals.filter(status__in=["accepted", "answered"], office__isnull=True).exists()
    assert not proposals.filter(status="merged", merged_into__isnull=True).exists()
    assert not proposals.filter(status="answered", satisfaction="").exists()
    for proposal in proposals:
        assert CoSigner.objects.filter(proposal=proposal).signed().count() >= past.min_cosigners
    assert sorted(proposals.values_list("number", flat=True)) == list(range(1, 26))
    now = CongressSession.objects.get(university=loaded, status=CongressSession.Status.CONVENED)
    assert {"draft", "submitted"} == set(Proposal.objects.filter(session=now).values_list("status", flat=True))
    response = client.get(f"/public/proposals/{past.pk}/")
    assert response.status_code == 200 and "关于延长图书馆考试周开放时间的提案" in response.content.decode()


def test_sessions_that_sat_went_through_their_timeline(loaded):
    from tongxue.congress.models import Milestone

    held = CongressSession.objects.filter(university=loaded, status__in=["closed", "convened"])
    milestones = Milestone.objects.filter(session__in=held)
    assert milestones.exists() and not milestones.filter(done_on__isnull=True).exists()
    assert all(m.done_on <= m.session.opens_on for m in milestones.select_related("session"))
