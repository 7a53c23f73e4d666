"""S10/C8: the self-assessment reads whether the presidium was elected by the congress."""
import pytest

from tongxue.elections.models import Candidate, Election
from tongxue.rules.services import findings_for
from tongxue.unions.models import Position

pytestmark = pytest.mark.django_db


def s10(world):
    return next(f for f in findings_for(world.school_union) if f.rule.id == "S10")


def publish(congress, students, *, elected):
    election = Election.objects.create(university=congress.world.university, session=congress.session,
                                       title="主席团选举", seats=len(students), status=Election.Status.PUBLISHED)
    for i, student in enumerate(students):
        Candidate.objects.create(university=election.university, election=election, student=student,
                                 name=student.name, key=f"c{i}", order=i, is_elected=student in elected)
    return election


def test_presidium_elected_by_the_congress(world, congress):
    assert s10(world).status == "not_recorded"
    president = world.school_cadre  # the school union's president
    assert president.memberships.get().position == Position.PRESIDENT
    other = congress.delegates[3].student
    election = publish(congress, [president, other], elected=[other])
    assert s10(world).status == "fail"  # the sitting president was not elected
    Candidate.objects.filter(election=election, student=president).update(is_elected=True)
    assert s10(world).status == "pass"
    Election.objects.filter(pk=election.pk).update(status=Election.Status.COUNTED)
    assert s10(world).status == "not_recorded"  # only published results count
