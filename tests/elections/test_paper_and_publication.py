import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from tongxue.domain import tally
from tongxue.elections import services
from tongxue.elections.models import Candidate, Election, Official

from .conftest import A, F, X, make_election, marks

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(congress, chair, world):
    congress.check_in(*congress.delegates)
    election = make_election(congress, chair, seats=2, candidates=3, mode=Election.Mode.PAPER)
    services.add_official(chair, election, world.league_school, Official.Role.TELLER_A)
    services.add_official(chair, election, congress.delegates[0].student.user,
                          Official.Role.TELLER_B)
    services.add_official(chair, election, congress.delegates[1].student.user, Official.Role.SCRUTINEER)
    election = services.open_election(chair, election)
    return services.close_election(chair, election)


def enter(election, user, sheets):
    for number, (vote, write_ins) in sheets.items():
        services.enter_sheet(user, election, number, marks(election, *vote), write_ins)


def test_scrutineer_is_a_delegate_who_is_not_a_candidate(congress, chair, world):
    election = make_election(congress, chair, mode=Election.Mode.PAPER)
    with pytest.raises(ValidationError):
        services.add_official(chair, election, congress.delegates[-1].student.user, Official.Role.SCRUTINEER)
    with pytest.raises(ValidationError):
        services.add_official(chair, election, world.league_a, Official.Role.SCRUTINEER)
    with pytest.raises(ValidationError):   # the same person cannot make both entries
        services.add_official(chair, election, world.league_school, Official.Role.TELLER_A)
        services.add_official(chair, election, world.league_school, Official.Role.TELLER_B)
    with pytest.raises(PermissionDenied):
        services.add_official(world.student_a.user, election, world.student_b.user, Official.Role.SCRUTINEER)


def test_mismatch_blocks_the_count_until_corrected(paper, chair, congress, world):
    teller_a, teller_b = world.league_school, congress.delegates[0].student.user
    sheets = {1: ((F, F, X), []), 2: ((F, X, A), []), 3: ((X, F, F), ["王小明"])}
    enter(paper, teller_a, sheets)
    enter(paper, teller_b, {1: ((F, F, X), []), 2: ((F, A, A), [])})      # sheet 2 differs, 3 missing
    problems = {m["sheet"]: m["reason"] for m in services.mismatches(paper)}
    assert problems == {2: "differ", 3: "once"}
    with pytest.raises(ValidationError):
        services.accept_count(chair, paper)
    with pytest.raises(PermissionDenied):       # only tellers enter
        services.enter_sheet(congress.delegates[1].student.user, paper, 2, marks(paper, F, X, A))
    enter(paper, teller_b, {2: ((F, X, A), []), 3: ((X, F, F), ["王小明"])})
    assert services.mismatches(paper) == []
    election = services.accept_count(chair, paper)
    assert election.status == Election.Status.COUNTED
    assert (election.result["returned"], election.result["void_ballots"]) == (3, 1)   # sheet 3: 3 "for"


def test_publication_waits_for_every_scrutineer(paper, chair, congress, world):
    enter(paper, world.league_school, {1: ((F, F, X), [])})
    enter(paper, congress.delegates[0].student.user, {1: ((F, F, X), [])})
    election = services.accept_count(chair, paper)
    with pytest.raises(ValidationError):
        services.publish(chair, election)
    with pytest.raises(PermissionDenied):
        services.sign_off(congress.delegates[2].student.user, election)
    services.sign_off(congress.delegates[1].student.user, election)
    election = services.publish(chair, election)
    assert election.status == Election.Status.PUBLISHED


def test_more_returned_than_issued_is_void_and_repeated(congress, chair, world):
    congress.check_in(*congress.delegates)
    election = make_election(congress, chair, seats=1, candidates=2, mode=Election.Mode.PAPER)
    services.add_official(chair, election, world.league_school, Official.Role.TELLER_A)
    services.add_official(chair, election, congress.delegates[0].student.user, Official.Role.TELLER_B)
    election = services.close_election(chair, services.open_election(chair, election, issued=2))
    for user in (world.league_school, congress.delegates[0].student.user):
        enter(election, user, {n: ((F, X), []) for n in (1, 2, 3)})
    election = services.accept_count(chair, election)
    assert election.status == Election.Status.VOID and election.result["is_void"]
    assert election.result["elected"] == []
    again = services.repeat_election(chair, election)
    assert again.status == Election.Status.DRAFT and again.follow_up == "repeat" and again.runoff_of == election
    assert list(again.listed.values_list("key", flat=True)) == list(election.listed.values_list("key", flat=True))


def test_published_file_recounts_to_the_stored_result(congress, chair, tmp_path):
    congress.check_in(*congress.delegates)
    election = services.open_election(chair, make_election(congress, chair, seats=2, candidates=3))
    votes = [(F, F, X)] * 4 + [(F, X, A)] * 2 + [(F, F, F), (A, A, A)]
    for delegate, vote in zip(congress.delegates, votes):
        services.cast_ballot(delegate.student.user, election, marks(election, *vote), ["李雷"] if vote == (A, A, A) else [])
    election = services.publish(chair, services.close_election(chair, election))
    text = services.published_file(election)
    path = tmp_path / "ballots.json"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("tally", str(path), "--json", stdout=out)
    recount = json.loads(out.getvalue())
    assert recount["matches_published"] is True
    assert recount["result"] == json.loads(json.dumps(election.result))
    spec, ballots = tally.load_published(text)
    assert len(ballots) == 8 and {b.receipt for b in ballots} == set(
        election.ballots.filter(is_cast=True).values_list("receipt", flat=True))
    elected = set(Candidate.objects.filter(election=election, is_elected=True).values_list("key", flat=True))
    assert elected == set(election.result["elected"])
    assert {f"s{s.pk}" for s in services.elected_students(congress.session.union)} == elected


def test_presidium_candidates_show_the_approval_chain(congress, chair, world):
    from django.utils import timezone

    from tongxue.cadres.models import Application, PositionType, Recruitment

    term = world.school_union.current_term()
    now = timezone.now()
    recruitment = Recruitment.objects.create(university=world.university, union=world.school_union, term=term,
                                             title="主席团", opens_at=now, closes_at=now)
    approved = congress.delegates[4].student
    Application.objects.create(university=world.university, recruitment=recruitment, student=approved,
                               position_type=PositionType.PRESIDIUM, statement="x", is_eligible_at_submission=True,
                               status=Application.Status.PASSED, submitted_at=now)
    election = services.create_election(chair, congress.session, title="主席团", seats=1)
    services.set_candidates(chair, election, [approved, congress.delegates[5].student])
    chain = {c.student_id: c.went_through_chain for c in election.listed}
    assert chain == {approved.pk: True, congress.delegates[5].student_id: False}
    assert list(services.approved_presidium_students(congress.session)) == [approved]
