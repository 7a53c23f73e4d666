import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from tongxue.elections import services
from tongxue.elections.models import Ballot, Candidate, Election, VoterRecord

from .conftest import A, F, X, make_election, marks

pytestmark = pytest.mark.django_db


def test_candidates_are_listed_in_surname_stroke_order(congress, chair, world):
    election = services.create_election(chair, congress.session, title="主席团", seats=1)
    students = [d.student for d in congress.delegates[2:5]]
    for student, name in zip(students, ["张伟", "丁一", "王芳"]):
        student.name = name
        student.save()
    services.set_candidates(chair, election, students)
    assert [c.name for c in election.listed] == ["丁一", "王芳", "张伟"]   # 2, 4, 7 strokes


def test_competitive_election_needs_the_minimum_surplus(congress, chair):
    election = make_election(congress, chair, seats=5, candidates=5)        # uncontested: fine
    assert services.candidate_problems(election) == [] and not election.is_competitive
    election = make_election(congress, chair, seats=4, candidates=5, min_surplus="1/2")   # needs 2 extra
    assert services.candidate_problems(election)
    with pytest.raises(ValidationError):
        congress.check_in(*congress.delegates)
        services.open_election(chair, election)
    election = make_election(congress, chair, seats=3, candidates=5)
    assert election.is_competitive and services.candidate_problems(election) == []


def test_only_the_committee_sets_up_an_election(congress, chair, world):
    with pytest.raises(PermissionDenied):
        services.create_election(world.student_a.user, congress.session, title="x", seats=1)
    election = make_election(congress, chair)
    with pytest.raises(PermissionDenied):
        services.open_election(world.student_a.user, election)


def test_open_issues_one_blank_ballot_per_delegate_present(congress, chair):
    congress.check_in(*congress.delegates[:6])
    election = make_election(congress, chair)
    election = services.open_election(chair, election)
    assert (election.issued, election.present, election.due) == (6, 6, 9)
    assert Ballot.objects.filter(election=election, is_cast=False).count() == 6
    assert VoterRecord.objects.filter(election=election, has_voted=False).count() == 6
    assert len(set(Ballot.objects.values_list("receipt", flat=True))) == 6


def test_the_stored_ballot_carries_no_link_to_the_voter(congress, chair):
    fields = {f.name: f for f in Ballot._meta.get_fields()}
    assert set(fields) == {"id", "university", "election", "receipt", "is_cast", "marks", "write_ins"}
    assert not any(isinstance(f, (models.DateTimeField, models.DateField)) for f in fields.values())
    relations = {f.related_model for f in fields.values() if f.is_relation}
    assert relations == {Election, Ballot._meta.get_field("university").related_model}
    assert isinstance(fields["id"], models.UUIDField)

    congress.check_in(*congress.delegates)
    election = services.open_election(chair, make_election(congress, chair))
    before = list(Ballot.objects.filter(election=election).order_by("pk").values_list("pk", "receipt"))
    receipts = [services.cast_ballot(d.student.user, election, marks(election, F, X, A)) for d in congress.delegates]
    after = list(Ballot.objects.filter(election=election).order_by("pk").values_list("pk", "receipt"))
    # casting fills ballots created before anyone voted: no row, id or receipt comes from a vote
    assert before == after and set(receipts) == {r for _pk, r in before}
    assert not LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Ballot)).exists()
    assert not LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(VoterRecord)).exists()
    assert VoterRecord.objects.filter(election=election, has_voted=True).count() == 9


def test_one_vote_per_delegate_and_only_when_present(congress, chair, world):
    congress.check_in(*congress.delegates[:7])
    election = services.open_election(chair, make_election(congress, chair))
    voter = congress.delegates[0].student.user
    receipt = services.cast_ballot(voter, election, marks(election, F, F, A))
    assert len(receipt) == 8
    with pytest.raises(services.AlreadyVoted):
        services.cast_ballot(voter, election, marks(election, A, A, A))
    assert Ballot.objects.filter(election=election, is_cast=True).count() == 1
    assert Ballot.objects.get(receipt=receipt).marks.count("F") == 2
    # absent: never checked in (not issued a ballot)
    with pytest.raises(ValidationError):
        services.cast_ballot(congress.delegates[8].student.user, election, marks(election, F, X, X))
    # left the hall after the vote opened
    congress.session.attendances.filter(delegate=congress.delegates[1]).update(checked_out=timezone.now())
    with pytest.raises(ValidationError):
        services.cast_ballot(congress.delegates[1].student.user, election, marks(election, F, X, X))
    # not a delegate at all
    with pytest.raises(PermissionDenied):
        services.cast_ballot(world.cadre_a.user, election, marks(election, F, X, X))
    assert Ballot.objects.filter(election=election, is_cast=True).count() == 1


def test_close_counts_by_domain_tally_with_void_ballots(congress, chair):
    congress.check_in(*congress.delegates)
    election = services.open_election(chair, make_election(congress, chair, seats=2, candidates=3))
    votes = [(F, F, X)] * 5 + [(F, X, A)] * 2 + [(F, F, F)] + [(A, A, A)]   # one ballot marks 3 "for" for 2 seats
    for delegate, vote in zip(congress.delegates, votes):
        services.cast_ballot(delegate.student.user, election, marks(election, *vote))
    election = services.close_election(chair, election)
    result = election.result
    assert election.status == Election.Status.COUNTED
    assert (result["issued"], result["returned"], result["valid"], result["void_ballots"]) == (9, 9, 8, 1)
    assert result["threshold"] == 5     # more than half of 9 present
    first, second, third = services.result_rows(election)
    assert (first["for"], second["for"], third["for"]) == (7, 5, 0)
    assert result["elected"] == [first["key"], second["key"]]


def test_write_in_counts_and_too_many_for_is_void(congress, chair):
    congress.check_in(*congress.delegates)
    election = services.open_election(chair, make_election(congress, chair, seats=1, candidates=2))
    warnings, votes = services.ballot_problems(election, marks(election, F, X), ["李雷"])
    assert votes == 2 and warnings
    for delegate in congress.delegates[:5]:
        services.cast_ballot(delegate.student.user, election, marks(election, X, X), ["李雷"])
    services.cast_ballot(congress.delegates[5].student.user, election, marks(election, F, X), ["李雷"])
    election = services.close_election(chair, election)
    assert election.result["void_ballots"] == 1
    assert election.result["elected"] == ["write-in:李雷"]
    election = services.publish(chair, election)
    winner = Candidate.objects.get(election=election, is_elected=True)
    assert winner.is_write_in and winner.name == "李雷" and winner.student is None


def test_seats_go_to_the_highest_counts(congress, chair):
    congress.check_in(*congress.delegates)
    election = services.open_election(chair, make_election(congress, chair, seats=2, candidates=3))
    votes = [(F, F, X)] * 5 + [(F, X, F)] * 4
    for delegate, vote in zip(congress.delegates, votes):
        services.cast_ballot(delegate.student.user, election, marks(election, *vote))
    election = services.close_election(chair, election)
    result = election.result
    rows = services.result_rows(election)
    assert [r["for"] for r in rows] == [9, 5, 4]
    assert result["elected"] == [rows[0]["key"], rows[1]["key"]] and result["runoff"] == []


def test_runoff_is_created_in_one_step(congress, chair):
    congress.check_in(*congress.delegates)
    election = services.open_election(chair, make_election(congress, chair, seats=2, candidates=3))
    votes = [(F, F, X)] * 3 + [(F, X, F)] * 3 + [(F, F, X), (F, X, F), (X, F, F)]
    for delegate, vote in zip(congress.delegates, votes):
        services.cast_ballot(delegate.student.user, election, marks(election, *vote))
    election = services.close_election(chair, election)
    rows = services.result_rows(election)
    assert [r["for"] for r in rows] == [8, 5, 5]
    assert election.result["runoff"] == [rows[1]["key"], rows[2]["key"]]
    runoff = services.create_runoff(chair, election)
    assert runoff.seats == 1 and runoff.follow_up == Election.FollowUp.RUNOFF and runoff.runoff_of == election
    assert sorted(runoff.listed.values_list("key", flat=True)) == sorted(election.result["runoff"])
    assert services.candidate_problems(runoff) == []
    with pytest.raises(ValidationError):
        services.create_runoff(chair, election)


def test_unfilled_seats_decision_is_recorded(congress, chair):
    congress.check_in(*congress.delegates)
    election = services.open_election(chair, make_election(congress, chair, seats=2, candidates=3))
    votes = [(F, X, X)] * 6 + [(X, F, X)] * 2 + [(X, X, F)]
    for delegate, vote in zip(congress.delegates, votes):
        services.cast_ballot(delegate.student.user, election, marks(election, *vote))
    election = services.close_election(chair, election)
    assert election.result["unfilled"] == 1
    new = services.decide_unfilled(chair, election, "revote", note="举手表决")
    election.refresh_from_db()
    assert election.unfilled_decision == "revote" and election.unfilled_note == "举手表决"
    assert new.seats == 1 and new.listed.count() == 2 and new.follow_up == "revote"
    with pytest.raises(ValidationError):
        services.decide_unfilled(chair, election, "vacant")


def test_cannot_vote_when_the_session_is_not_in_session(congress, chair):
    congress.check_in(*congress.delegates)
    election = services.open_election(chair, make_election(congress, chair))
    congress.session.status = "closed"
    congress.session.save()
    with pytest.raises(ValidationError):
        services.cast_ballot(congress.delegates[0].student.user, election, marks(election, F, X, X))
