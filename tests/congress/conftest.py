"""Fixtures for congress, proposals and elections tests: the `world` plus a school congress
session with seated delegates (some checked in today)."""
from dataclasses import dataclass

import pytest
from django.utils import timezone

from tests import factories as f
from tongxue.congress import services
from tongxue.congress.models import Attendance, CongressSession, Delegate


@dataclass
class Congress:
    session: CongressSession
    delegates: list          # seated Delegate rows, delegates[0] is world.student_a
    world: object

    def check_in(self, *delegates, sitting=None):
        now = timezone.now()
        for delegate in delegates:
            Attendance.objects.create(university_id=delegate.university_id, session=self.session, delegate=delegate,
                                      sitting=sitting or timezone.localdate(), checked_in=now)


def make_congress(world, *, seated=9, status=CongressSession.Status.CONVENED) -> Congress:
    session = services.create_session(world.league_school, world.school_union, opens_on=timezone.localdate())
    CongressSession.objects.filter(pk=session.pk).update(status=status)
    session.refresh_from_db()
    students = [world.student_a, world.student_b] + [
        f.StudentFactory(student_class=world.student_a.student_class if i % 2 else world.student_b.student_class)
        for i in range(seated - 2)]
    delegates = [
        Delegate.objects.create(university=world.university, session=session, student=student, number=i + 1,
                                student_class=student.student_class, status=Delegate.Status.SEATED)
        for i, student in enumerate(students)
    ]
    return Congress(session=session, delegates=delegates, world=world)


@pytest.fixture
def congress(world) -> Congress:
    return make_congress(world)
