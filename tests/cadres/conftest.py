import datetime

import pytest
from django.utils import timezone

from tests import factories as f
from tongxue.cadres import assessment, training
from tongxue.unions.models import Position


@pytest.fixture
def cw(world):
    """The `world`, plus a president of college B's union, a training session and an
    assessment round of college A's union, and a class of each college."""
    world.cadre_b = f.MembershipFactory(term=world.union_b.current_term(), position=Position.PRESIDENT,
                                        student=f.StudentFactory(student_class=world.student_b.student_class,
                                                                 name="钱十一")).student
    world.session_a = training.create_session(
        world.cadre_a.user, university=world.university, union=world.union_a, level="college", title="计院干部培训",
        starts_at=timezone.now(), place="学生活动中心", hours="2.0",
    )
    world.round_a = assessment.create_round(world.league_a, world.union_a, label="2026-2027 第一学期",
                                            weights={"self": 10, "peer": 20, "supervisor": 30, "league": 20,
                                                     "students": 20},
                                            thresholds={"excellent": 90, "good": 80, "pass": 60})
    world.class_a = world.student_a.student_class
    world.class_b = world.student_b.student_class
    world.today = timezone.localdate()
    world.month = datetime.date(world.today.year, world.today.month, 1)
    return world
