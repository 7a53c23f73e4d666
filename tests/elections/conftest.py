"""Fixtures for election tests: the congress of tests/congress (9 seated delegates) and helpers to
run an election."""
import pytest

from tests.congress.conftest import Congress, make_congress
from tongxue.domain.tally import Mark
from tongxue.elections import services
from tongxue.elections.models import Election

F, A, X = Mark.FOR, Mark.AGAINST, Mark.ABSTAIN


@pytest.fixture
def congress(world) -> Congress:
    return make_congress(world)


@pytest.fixture
def chair(world):
    return world.league_school


def make_election(congress, chair, *, seats=2, candidates=3, mode=Election.Mode.ONLINE, **kwargs) -> Election:
    """An election whose candidates are the last `candidates` delegates."""
    election = services.create_election(chair, congress.session, title="主席团选举", seats=seats, mode=mode, **kwargs)
    services.set_candidates(chair, election, [d.student for d in congress.delegates[-candidates:]])
    election.refresh_from_db()
    return election


def keys(election):
    return list(election.listed.values_list("key", flat=True))


def marks(election, *values):
    return dict(zip(keys(election), values))
