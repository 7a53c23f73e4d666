"""A session in preparation for the congress prep tests: the `world`'s school union with a
larger class A (10 students of grade 2024), college B with grades 2024 (2) and 2023 (5), and a
main association. Seats 6 → A-2024: 3, B-2024: 1, B-2023: 2."""
from dataclasses import dataclass

from django.utils import timezone

from tests import factories as f
from tongxue.congress import services, services_prep
from tongxue.congress.models import CommitteeMember, CongressSession


@dataclass
class Prep:
    world: object
    session: CongressSession
    class_a: object
    class_b23: object
    association: object
    classmates: list          # the 10 students of class A (student_a first)
    credentials: object       # account on the credentials committee

    def adopt(self, seats=6):
        result = services_prep.compute_apportionment(self.world.league_school, self.session, seats=seats)
        return services_prep.adopt_apportionment(self.world.league_school, result)


def make_prep(world) -> Prep:
    session = services.create_session(world.league_school, world.school_union,
                                      opens_on=timezone.localdate() + timezone.timedelta(days=60))
    class_a = world.student_a.student_class
    extra = [f.StudentFactory(student_class=class_a, name=f"甲{i}") for i in range(6)]
    classmates = [world.student_a, world.cadre_a, world.officer_a, world.class_rep_a.student, *extra]
    major_b = world.student_b.student_class.major
    class_b23 = f.StudentClassFactory(major=major_b, grade=2023, name="外语2301")
    for i in range(5):
        f.StudentFactory(student_class=class_b23, enrolment_year=2023, name=f"乙{i}")
    association = f.AssociationFactory(university=world.university, name="校学生社团联合会", is_main=True,
                                       member_count=300)
    credentials = f.UserFactory(university=world.university, login_id="T3001", full_name="资格审查")
    CommitteeMember.objects.create(university=world.university, session=session, user=credentials,
                                   role=CommitteeMember.Role.CREDENTIALS)
    return Prep(world=world, session=session, class_a=class_a, class_b23=class_b23, association=association,
                classmates=classmates, credentials=credentials)
