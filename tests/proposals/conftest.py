"""Fixtures for proposals: the congress session of tests/congress plus a logistics office."""
from dataclasses import dataclass

import pytest

from tests import factories as f
from tests.congress.conftest import Congress, make_congress
from tongxue.congress.models import CommitteeMember
from tongxue.proposals import services
from tongxue.rights.models import Office


@pytest.fixture(autouse=True)
def _run_on_commit_at_once(monkeypatch):
    """Tests run inside one transaction that never commits: run on-commit work (notifications) at once."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@dataclass
class Desk:
    congress: Congress
    office: Office
    office_staff: object
    other_office_staff: object
    committee: object        # proposal committee member (a student account)

    @property
    def session(self):
        return self.congress.session

    def user(self, i: int):
        return self.congress.delegates[i].student.user

    def submitted(self, title="宿舍热水供应时间延长", cosigners=(1, 2)):
        proposal = services.draft_proposal(self.user(0), self.session, title=title, reason="热水只供应到22点。",
                                           suggestion="延长到24点。", category="logistics")
        for i in cosigners:
            services.invite_cosigner(self.user(0), proposal, self.congress.delegates[i])
            services.cosign(self.user(i), proposal)
        return services.submit_proposal(self.user(0), proposal)


@pytest.fixture
def desk(world) -> Desk:
    congress = make_congress(world)
    office = Office.objects.create(university=world.university, code="logistics", name="后勤保障处")
    other = Office.objects.create(university=world.university, code="academic", name="教务处")
    staff = f.UserFactory(university=world.university, login_id="H1001", full_name="后勤老师")
    office.staff.add(staff)
    other_staff = f.UserFactory(university=world.university, login_id="J1001", full_name="教务老师")
    other.staff.add(other_staff)
    committee = f.StudentFactory(student_class=world.student_b.student_class, name="提案委员").user
    CommitteeMember.objects.create(university=world.university, session=congress.session, user=committee,
                                   role=CommitteeMember.Role.PROPOSALS)
    return Desk(congress=congress, office=office, office_staff=staff, other_office_staff=other_staff,
                committee=committee)
