import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tongxue.congress import services_prep as sp
from tongxue.congress.models import (
    Apportionment, ClassCandidate, ClassMeeting, Delegate, DelegateObjection, Milestone,
)

from .prep_world import make_prep

pytestmark = pytest.mark.django_db


@pytest.fixture
def prep(world):
    return make_prep(world)


def test_new_session_has_the_default_timeline(prep):
    kinds = list(prep.session.milestones.values_list("kind", flat=True))
    assert kinds == ["start", "seats", "election", "review", "notice", "convene"]
    assert prep.session.milestones.get(kind="convene").due_on == prep.session.opens_on


def test_timeline_edit_is_for_managers(prep, world):
    milestone = prep.session.milestones.get(kind="seats")
    sp.save_milestone(world.league_school, prep.session, milestone, due_on=datetime.date(2026, 12, 1))
    assert Milestone.objects.get(pk=milestone.pk).due_on == datetime.date(2026, 12, 1)
    with pytest.raises(PermissionDenied):
        sp.save_milestone(world.student_a.user, prep.session, milestone, name="x")
    added = sp.save_milestone(world.league_school, prep.session, name="代表培训")
    assert added.kind == "other" and added.label == "代表培训"


def test_roster_units_and_floor(prep):
    live = sp.roster(prep.session)
    sizes = {u["key"]: u["size"] for u in live.units}
    a, b = prep.world.college_a.pk, prep.world.college_b.pk
    assert sizes == {f"c{a}-g2024": 10, f"c{b}-g2024": 2, f"c{b}-g2023": 5}
    assert (live.served, live.share_seats, live.floor(1)) == (17, 1, 3)
    assert [x.pk for x in live.associations] == [prep.association.pk]


def test_compute_apportionment(prep, world):
    result = sp.compute_apportionment(world.league_school, prep.session, seats=6, association_seats=2)
    seats = {u.key: u.seats for u in result.units.all()}
    a, b = world.college_a.pk, world.college_b.pk
    assert seats == {f"c{a}-g2024": 3, f"c{b}-g2024": 1, f"c{b}-g2023": 2, f"a{prep.association.pk}": 2}
    assert (result.seats, result.total, result.is_adopted) == (6, 8, False)
    unit = result.units.get(key=f"c{a}-g2024")
    assert unit.quota == "60/17" and unit.label.startswith(world.college_a.name)
    default = sp.compute_apportionment(world.league_school, prep.session)
    assert default.seats == 3   # the floor: 3 college grades with at least one seat each


def test_compute_refuses_below_the_floor_and_non_managers(prep, world):
    with pytest.raises(ValidationError) as error:
        sp.compute_apportionment(world.league_school, prep.session, seats=2)
    assert "seats" in error.value.error_dict
    with pytest.raises(PermissionDenied):
        sp.compute_apportionment(world.student_a.user, prep.session)
    assert not Apportionment.objects.exists()


def test_sainte_lague_option(prep, world):
    result = sp.compute_apportionment(world.league_school, prep.session, seats=6, minimum=0, method="sainte_lague")
    assert result.method == "sainte_lague" and sum(u.seats for u in result.units.filter(association=None)) == 6


def test_only_one_adopted(prep, world):
    first = prep.adopt()
    second = sp.compute_apportionment(world.league_school, prep.session, seats=9)
    sp.adopt_apportionment(world.league_school, second)
    assert list(Apportionment.objects.filter(is_adopted=True)) == [second]
    assert not Apportionment.objects.get(pk=first.pk).is_adopted
    assert prep.session.milestones.get(kind="seats").done_on == timezone.localdate()
    with pytest.raises(PermissionDenied):
        sp.adopt_apportionment(world.student_a.user, first)


def test_class_seats_share_the_unit(prep):
    prep.adopt()
    seats = {s.student_class.pk: (s.seats, s.size) for s in sp.class_seats(sp.adopted(prep.session))}
    assert seats[prep.class_a.pk] == (3, 10)
    assert seats[prep.class_b23.pk] == (2, 5)


def nominate_all(prep, count, actor=None):
    meeting = sp.plan_meeting(actor or prep.world.class_rep_a, prep.session, prep.class_a)
    for student in prep.classmates[:count]:
        sp.nominate(actor or prep.world.class_rep_a, meeting, student)
    return meeting


def votes_for(meeting, *counts):
    candidates = list(meeting.candidates.order_by("pk"))
    return {c.pk: n for c, n in zip(candidates, counts)}


def test_nominations(prep, world):
    prep.adopt()
    meeting = sp.plan_meeting(world.student_a.user, prep.session, prep.class_a)
    assert (meeting.seats, meeting.class_size) == (3, 10)
    sp.nominate(world.student_a.user, meeting, world.officer_a)
    with pytest.raises(PermissionDenied):
        sp.nominate(world.student_b.user, meeting, world.student_a)
    with pytest.raises(ValidationError):
        sp.nominate(world.student_a.user, meeting, world.student_b)
    sp.nominate(world.student_a.user, meeting, world.officer_a)   # twice: still one
    assert ClassCandidate.objects.count() == 1


def test_record_below_quorum_saves_nothing(prep, world):
    prep.adopt()
    meeting = nominate_all(prep, 4)
    with pytest.raises(ValidationError) as error:
        sp.record_meeting(world.class_rep_a, meeting, held_on=timezone.localdate(), present=6,
                          votes=votes_for(meeting, 6, 5, 5, 1))
    assert "present" in error.value.error_dict and "7" in " ".join(error.value.messages)
    meeting.refresh_from_db()
    assert meeting.status == "planned" and meeting.present is None
    assert not Delegate.objects.exists()
    assert not ClassCandidate.objects.filter(votes__isnull=False).exists()


def test_record_needs_the_candidate_surplus(prep, world):
    prep.adopt()
    meeting = nominate_all(prep, 3)
    with pytest.raises(ValidationError) as error:
        sp.record_meeting(world.class_rep_a, meeting, held_on=timezone.localdate(), present=8,
                          votes=votes_for(meeting, 8, 8, 8))
    assert "4" in " ".join(error.value.messages)
    assert not Delegate.objects.exists()


def test_record_elects_by_majority_of_present(prep, world):
    prep.adopt()
    meeting = nominate_all(prep, 5)
    delegates = sp.record_meeting(world.class_rep_a, meeting, held_on=timezone.localdate(), present=8,
                                  votes=votes_for(meeting, 7, 6, 4, 3, 2), minutes="全班投票")
    # 4 of 8 is not more than half: only two of the three seats are filled
    assert len(delegates) == 2
    assert {d.student for d in delegates} == set(prep.classmates[:2])
    assert all(d.status == "elected" and d.source == "class" and d.seat_key == f"c{world.college_a.pk}-g2024"
               for d in delegates)
    assert "2" in sp.meeting_outcome(ClassMeeting.objects.get())
    with pytest.raises(ValidationError):   # a second submission
        sp.record_meeting(world.class_rep_a, meeting, held_on=timezone.localdate(), present=8,
                          votes=votes_for(meeting, 7, 6, 4, 3, 2))
    assert Delegate.objects.count() == 2 and ClassMeeting.objects.count() == 1


def test_tie_at_the_last_seat_needs_a_run_off(prep, world):
    prep.adopt()
    meeting = nominate_all(prep, 4)
    with pytest.raises(ValidationError) as error:
        sp.record_meeting(world.class_rep_a, meeting, held_on=timezone.localdate(), present=8,
                          votes=votes_for(meeting, 8, 7, 6, 6))
    assert "votes" in error.value.error_dict
    assert not Delegate.objects.exists()


def test_who_records(prep, world):
    prep.adopt()
    meeting = nominate_all(prep, 4)
    with pytest.raises(PermissionDenied):
        sp.record_meeting(world.student_a.user, meeting, held_on=timezone.localdate(), present=8,
                          votes=votes_for(meeting, 8, 8, 8, 1))
    assert sp.can_record_meeting(world.league_school, prep.session, prep.class_a)
    assert sp.can_record_meeting(world.class_rep_a, prep.session, prep.class_a)
    assert not sp.can_record_meeting(world.class_rep_a, prep.session, prep.class_b23)


def test_small_class_lists_every_student(prep, world):
    prep.adopt(seats=20)
    seat = next(s for s in sp.class_seats(sp.adopted(prep.session)) if s.student_class.pk == prep.class_b23.pk)
    assert seat.seats == seat.size == 5      # capped at the class size
    assert sp.required_candidates(prep.session, seat.seats, seat.size) == 5   # not ⌈5 × 1.2⌉ = 6


def elect(prep, count=5, votes=(8, 7, 6, 3, 2)):
    prep.adopt()
    meeting = nominate_all(prep, count)
    return sp.record_meeting(prep.world.class_rep_a, meeting, held_on=timezone.localdate(), present=8,
                             votes=votes_for(meeting, *votes))


def test_review_seats_numbers_and_marks_cadres(prep, world):
    first, second, third = sorted(elect(prep), key=lambda d: d.pk)
    assert third.student == world.officer_a
    seated = sp.review_delegate(prep.credentials, third, seat=True)
    assert (seated.status, seated.number, seated.is_cadre) == ("seated", 1, True)
    assert sp.review_delegate(prep.credentials, first, seat=True).number == 2
    with pytest.raises(ValidationError):
        sp.review_delegate(prep.credentials, second, seat=False)     # a rejection needs a note
    rejected = sp.review_delegate(prep.credentials, second, seat=False, note="不在籍")
    assert rejected.status == "rejected" and rejected.number is None
    with pytest.raises(PermissionDenied):
        sp.review_delegate(world.student_b.user, first, seat=True)
    with pytest.raises(ValidationError):
        sp.review_delegate(prep.credentials, first, seat=True)       # reviewed already


def test_substitution(prep, world):
    delegate = sp.review_delegate(prep.credentials, elect(prep)[0], seat=True)
    with pytest.raises(ValidationError):   # another college
        sp.substitute_delegate(prep.credentials, delegate, world.student_b, "生病")
    with pytest.raises(ValidationError):   # no reason
        sp.substitute_delegate(prep.credentials, delegate, prep.classmates[9], "")
    new = sp.substitute_delegate(prep.credentials, delegate, prep.classmates[9], "出国交流")
    delegate.refresh_from_db()
    assert delegate.status == "replaced" and new.replaces == delegate and new.status == "seated"
    assert new.number == 2 and new.seat_key == delegate.seat_key


def test_association_delegate(prep, world):
    prep.adopt()
    delegate = sp.add_association_delegate(world.league_school, prep.session, prep.association, world.student_b)
    assert (delegate.source, delegate.seat_key) == ("association", f"a{prep.association.pk}")
    with pytest.raises(ValidationError):   # its one seat is taken
        sp.add_association_delegate(world.league_school, prep.session, prep.association, world.school_cadre)
    with pytest.raises(PermissionDenied):
        sp.add_association_delegate(world.student_a.user, prep.session, prep.association, world.school_cadre)


def test_composition(prep, world):
    for d in elect(prep):
        sp.review_delegate(prep.credentials, d, seat=True)
    report = sp.composition_report(prep.session)
    # student_a, cadre_a (college A president) and officer_a: one non-cadre of three, below 3/5
    assert (report.delegates, report.non_cadre, report.meets_non_cadre) == (3, 1, False)
    genders = {row.value: (row.delegates, row.body) for row in report.attributes["gender"]}
    assert sum(b for _d, b in genders.values()) == 17
    assert {row.value for row in report.attributes["ethnicity"]} == {"汉族"}


def test_notice_and_objections(prep, world):
    with pytest.raises(ValidationError):   # nobody seated yet
        sp.publish_notice(world.league_school, prep.session)
    for d in elect(prep):
        sp.review_delegate(prep.credentials, d, seat=True)
    now = timezone.now()
    notice = sp.publish_notice(world.league_school, prep.session, now=now)
    assert notice.ends > now and notice.working_days == 5
    with pytest.raises(ValidationError):
        sp.publish_notice(world.league_school, prep.session)
    objection = sp.file_objection(None, prep.session, "此人不在本班上课")
    assert objection.author is None
    with pytest.raises(ValidationError):
        sp.file_objection(None, prep.session, "  ")
    with pytest.raises(PermissionDenied):
        sp.answer_objection(world.student_a.user, objection, "好")
    sp.answer_objection(prep.credentials, objection, "经核实，符合条件。")
    assert DelegateObjection.objects.get().is_answered
    with pytest.raises(ValidationError):
        sp.file_objection(None, prep.session, "迟到的异议", now=notice.ends + datetime.timedelta(seconds=1))


def test_seated_delegate_is_notified(prep, world, django_capture_on_commit_callbacks):
    from tongxue.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        delegate = sp.review_delegate(prep.credentials, elect(prep)[0], seat=True)
    kinds = set(Notification.objects.filter(recipient=delegate.student.user).values_list("kind", flat=True))
    assert kinds == {"congress_elected", "congress_seated"}


def test_adopting_again_updates_planned_meetings(prep, world):
    prep.adopt(seats=6)
    meeting = nominate_all(prep, 2)
    prep.adopt(seats=12)
    meeting.refresh_from_db()
    assert meeting.seats > 3 and meeting.candidates.count() == 2
