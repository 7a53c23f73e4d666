"""Preparing a congress session (rules.md §4, defaults in §8; issue 5 items 1–3): the timeline,
the seat apportionment from the live roster, class meetings electing delegates, the credentials
committee's review, the public notice of the delegate list with objections, and substitutions.

Each state change is one function: it checks permission, writes in one transaction (nothing is
saved when it refuses) and leaves an audit entry through the models registered in audit.py.
The arithmetic is in `tongxue.domain.apportion` (pure functions, property-tested).
"""
from __future__ import annotations

import datetime
import math
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongxue.core.codes import ETHNICITIES
from tongxue.core.models import Gender, Student, StudentClass
from tongxue.core.scope import scope_of
from tongxue.domain import apportion as ap
from tongxue.domain.workdays import CalendarGap, end_of_day, local_day, ONE_DAY
from tongxue.unions.models import Association, Membership, Union

from .models import (
    Apportionment, ClassCandidate, ClassMeeting, CommitteeMember, CongressSession, Delegate, DelegateNotice,
    DelegateObjection, Milestone, SeatUnit,
)
from .permissions import can_manage, has_committee_role, require_manage

def _notify_delegate(delegate: Delegate, kind: str, title, **params) -> None:
    """Tell the student (after the transaction commits, see notifications.services.notify)."""
    from tongxue.notifications.services import notify

    session = delegate.session
    notify([delegate.student.user], kind=f"congress_{kind}", title=title,
           body=gettext_lazy("%(union)s, %(session)s"), url=reverse("congress:session", args=[session.pk]),
           university_id=session.university_id,
           params={"union": session.union.name, "session": session.title, **params})


# ---------------------------------------------------------------- timeline

# (kind, days before the opening day the step is due; None: the day the session is created)
DEFAULT_MILESTONES = [
    (Milestone.Kind.START, None),
    (Milestone.Kind.SEATS, 42),
    (Milestone.Kind.ELECTION, 28),
    (Milestone.Kind.REVIEW, 18),
    (Milestone.Kind.NOTICE, 14),
    (Milestone.Kind.CONVENE, 0),
]


def create_default_milestones(session: CongressSession) -> list[Milestone]:
    """The usual six steps (筹备启动, 名额分配, 代表选举, 资格审查, 代表名单公示, 大会召开), due
    at fixed distances before the opening day and never before today."""
    if session.milestones.exists():
        return list(session.milestones.all())
    today = timezone.localdate()
    rows = []
    for order, (kind, before) in enumerate(DEFAULT_MILESTONES, start=1):
        due = today if before is None else max(today, session.opens_on - datetime.timedelta(days=before))
        rows.append(Milestone(university_id=session.university_id, session=session, order=order * 10, kind=kind,
                              due_on=due))
    return Milestone.objects.bulk_create(rows)


def on_session_saved(sender, instance, created, raw=False, **kwargs):
    """post_save of CongressSession: a new session starts with the default timeline."""
    if created and not raw:
        create_default_milestones(instance)


@transaction.atomic
def save_milestone(actor, session: CongressSession, milestone: Milestone | None = None, *, name: str = "",
                   due_on=None, done_on=None, kind: str | None = None) -> Milestone:
    require_manage(actor, session)
    if milestone is None:
        last = session.milestones.aggregate(n=Max("order"))["n"] or 0
        if not name.strip():
            raise ValidationError({"name": _("Name the step.")})
        milestone = Milestone(university_id=session.university_id, session=session, order=last + 10,
                              kind=kind or Milestone.Kind.OTHER)
    elif milestone.session_id != session.pk:
        raise PermissionDenied
    milestone.name = name.strip()
    milestone.due_on = due_on
    milestone.done_on = done_on
    milestone.save()
    return milestone


@transaction.atomic
def delete_milestone(actor, milestone: Milestone) -> None:
    require_manage(actor, milestone.session)
    milestone.delete()


# ---------------------------------------------------------------- seat apportionment

def unit_key(college_id: int, grade: int) -> str:
    return f"c{college_id}-g{grade}"


def association_key(association_id: int) -> str:
    return f"a{association_id}"


@dataclass(frozen=True)
class Roster:
    """The live figures an apportionment starts from."""
    served: int
    units: list[dict]          # {"key", "label", "college_id", "grade", "size"}, by college then grade
    associations: list[Association]
    share_seats: int           # ⌈served × seat_share⌉

    def floor(self, minimum: int) -> int:
        """The fewest seats the colleges and grades may share."""
        return max(self.share_seats, len(self.units) * minimum)


def roster(session: CongressSession) -> Roster:
    """Colleges × grades (enrolment year) of the students the union serves, with their sizes,
    and the university's main associations."""
    served = session.union.served_students()
    rows = (served.values("college_id", "college__name", "enrolment_year")
            .annotate(size=Count("pk")).order_by("college__code", "college__name", "enrolment_year"))
    units = [{
        "key": unit_key(row["college_id"], row["enrolment_year"]),
        "label": _("%(college)s, grade %(grade)s") % {"college": row["college__name"], "grade": row["enrolment_year"]},
        "college_id": row["college_id"], "grade": row["enrolment_year"], "size": row["size"],
    } for row in rows]
    total = sum(u["size"] for u in units)
    associations = list(Association.objects.filter(university_id=session.university_id, is_main=True)
                        .order_by("name"))
    if session.union.level == Union.Level.COLLEGE:
        # a college congress seats the main associations of that college only
        associations = [a for a in associations if a.college_id == session.union.college_id]
    return Roster(served=total, units=units, associations=associations,
                  share_seats=ap.seats_for_share(total, session.share("seat_share")))


def compute_apportionment(actor, session: CongressSession, *, seats: int | None = None, minimum: int = 1,
                          association_seats: int = 1,
                          method: str = Apportionment.Method.LARGEST_REMAINDER) -> Apportionment:
    """Compute and store an apportionment (not yet adopted). `seats` (the colleges' and grades'
    seats) is raised to the floor: ⌈served × seat_share⌉ and `minimum` per unit."""
    require_manage(actor, session)
    if minimum < 0 or association_seats < 0 or (seats is not None and seats < 0):
        raise ValidationError(_("Seat numbers cannot be negative."))
    live = roster(session)
    if not live.units:
        raise ValidationError(_("The union serves no enrolled students yet: import the roster first."))
    floor = live.floor(minimum)
    if seats is not None and seats < floor:
        raise ValidationError({"seats": _(
            "At least %(floor)s seats: %(share)s for %(served)s students served (%(percent)s) and %(minimum)s for "
            "each of the %(units)s colleges' grades.") % {
            "floor": floor, "share": live.share_seats, "served": live.served,
            "percent": session.seat_share, "minimum": minimum, "units": len(live.units)}})
    seats = floor if seats is None else seats
    try:
        allocations = ap.apportion([ap.Unit(u["key"], u["size"], minimum) for u in live.units], seats,
                                   ap.Method(method))
    except ap.ApportionmentError as error:
        raise ValidationError(str(error)) from error
    with transaction.atomic():
        now = timezone.now()
        result = Apportionment.objects.create(
            university_id=session.university_id, session=session, method=method, served=live.served, seats=seats,
            minimum=minimum, association_seats=association_seats,
            total=seats + association_seats * len(live.associations), computed_at=now, computed_by=actor)
        rows = [
            SeatUnit(university_id=session.university_id, apportionment=result, order=i, key=a.key,
                     label=unit["label"][:150], college_id=unit["college_id"], grade=unit["grade"], size=a.size,
                     quota=str(a.quota), seats=a.seats)
            for i, (unit, a) in enumerate(zip(live.units, allocations))
        ]
        rows += [
            SeatUnit(university_id=session.university_id, apportionment=result, order=len(rows) + i,
                     key=association_key(assoc.pk), label=assoc.name[:150], association=assoc,
                     size=assoc.member_count, quota="", seats=association_seats)
            for i, assoc in enumerate(live.associations)
        ]
        SeatUnit.objects.bulk_create(rows)
    return result


@transaction.atomic
def adopt_apportionment(actor, apportionment: Apportionment) -> Apportionment:
    """Adopt one apportionment for the session; the one adopted before is set aside."""
    session = apportionment.session
    require_manage(actor, session)
    CongressSession.objects.select_for_update().get(pk=session.pk)
    apportionment = Apportionment.objects.get(pk=apportionment.pk)
    if apportionment.is_adopted:
        return apportionment
    if session.class_meetings.filter(status=ClassMeeting.Status.RECORDED).exists():
        raise ValidationError(_("Class meetings have already elected delegates on the adopted seats; the "
                                "apportionment can no longer change."))
    session.apportionments.filter(is_adopted=True).update(is_adopted=False)
    apportionment.is_adopted = True
    apportionment.adopted_at = timezone.now()
    apportionment.adopted_by = actor
    apportionment.save()
    # meetings still being prepared take the new seats; a class left without a seat loses its meeting
    seats = {seat.student_class.pk: seat for seat in class_seats(apportionment)}
    for meeting in session.class_meetings.filter(status=ClassMeeting.Status.PLANNED):
        seat = seats.get(meeting.student_class_id)
        if seat is None or seat.seats == 0:
            meeting.delete()
        else:
            meeting.seat_key, meeting.seats, meeting.class_size = seat.seat_key, seat.seats, seat.size
            meeting.save(update_fields=["seat_key", "seats", "class_size"])
    Milestone.objects.filter(session=session, kind=Milestone.Kind.SEATS, done_on__isnull=True).update(
        done_on=timezone.localdate())
    return apportionment


def adopted(session: CongressSession) -> Apportionment | None:
    return session.apportionments.filter(is_adopted=True).first()


GENDER_LABELS = dict(Gender.choices)


def composition_report(session: CongressSession) -> ap.CompositionReport:
    """Seated delegates against the students the union serves: gender and ethnicity (reported),
    and the share of delegates who are not school- or college-level cadres (at least
    `non_cadre_share`)."""
    served = session.union.served_students()
    body = {
        "gender": {str(GENDER_LABELS.get(row["gender"], row["gender"])): row["n"]
                   for row in served.values("gender").annotate(n=Count("pk")).order_by("-n", "gender")},
        "ethnicity": {ETHNICITIES.get(row["ethnicity"], row["ethnicity"]): row["n"]
                      for row in served.values("ethnicity").annotate(n=Count("pk")).order_by("-n", "ethnicity")},
    }
    delegates = [
        {"gender": str(GENDER_LABELS.get(d["student__gender"], d["student__gender"])),
         "ethnicity": ETHNICITIES.get(d["student__ethnicity"], d["student__ethnicity"]), "is_cadre": d["is_cadre"]}
        for d in session.delegates.filter(status=Delegate.Status.SEATED).values(
            "student__gender", "student__ethnicity", "is_cadre")
    ]
    return ap.composition(delegates, body, session.share("non_cadre_share"))


def export_rows(apportionment: Apportionment) -> tuple[list[str], list[list]]:
    headers = [_("Unit"), _("Students"), _("Exact quota"), _("Exact quota (fraction)"), _("Seats")]
    rows = []
    for unit in apportionment.units.all():
        quota = unit.quota_fraction
        rows.append([unit.label, unit.size, round(float(quota), 4) if quota is not None else "",
                     unit.quota or _("fixed"), unit.seats])
    rows.append([_("Total"), apportionment.served, "", "", apportionment.total])
    return headers, rows


# ---------------------------------------------------------------- class meetings

@dataclass(frozen=True)
class ClassSeat:
    student_class: StudentClass
    seat_key: str
    size: int
    seats: int


def class_seats(apportionment: Apportionment | None) -> list[ClassSeat]:
    """Each unit's seats shared among its classes by class size (largest remainder): a class's
    size counts the unit's students in it."""
    if apportionment is None:
        return []
    session = apportionment.session
    units = {u.key: u for u in apportionment.units.filter(association__isnull=True)}
    rows = (session.union.served_students().values("college_id", "enrolment_year", "student_class_id")
            .annotate(size=Count("pk")).order_by("student_class_id"))
    by_unit: dict[str, list[tuple[int, int]]] = {}
    for row in rows:
        key = unit_key(row["college_id"], row["enrolment_year"])
        if key in units:
            by_unit.setdefault(key, []).append((row["student_class_id"], row["size"]))
    classes = StudentClass.objects.in_bulk({cid for members in by_unit.values() for cid, _size in members})
    result = []
    for key, members in by_unit.items():
        shares = ap.apportion([ap.Unit(str(cid), size) for cid, size in members], units[key].seats)
        for (cid, size), share in zip(members, shares):
            # a class never has more seats than students (possible only with very many seats)
            result.append(ClassSeat(classes[cid], key, size, min(share.seats, size)))
    result.sort(key=lambda s: (s.seat_key, s.student_class.name))
    return result


def class_seat(session: CongressSession, student_class: StudentClass) -> ClassSeat | None:
    for seat in class_seats(adopted(session)):
        if seat.student_class.pk == student_class.pk:
            return seat
    return None


def required_candidates(session: CongressSession, seats: int, class_size: int) -> int:
    """Candidates a class lists: ⌈seats × (1 + surplus)⌉, or every student when the class is
    smaller than that (and at least the seats)."""
    wanted = math.ceil(seats * (1 + session.share("candidate_surplus")))
    return min(wanted, max(class_size, seats))


def required_present(session: CongressSession, class_size: int) -> int:
    return math.ceil(session.share("class_meeting_quorum") * class_size)


def is_class_representative(user, student_class: StudentClass) -> bool:
    return bool(user and user.is_authenticated and student_class.pk in scope_of(user).student_class_ids)


def can_record_meeting(user, session: CongressSession, student_class: StudentClass) -> bool:
    """The class representative of the class, and those who run the session."""
    return is_class_representative(user, student_class) or can_manage(user, session)


def can_nominate(user, session: CongressSession, student_class: StudentClass) -> bool:
    student = getattr(user, "student", None) if user and user.is_authenticated else None
    return (student is not None and student.student_class_id == student_class.pk and student.is_enrolled) \
        or can_record_meeting(user, session, student_class)


def _check_preparing(session: CongressSession) -> None:
    if session.status not in (CongressSession.Status.PREPARING, CongressSession.Status.ELECTING):
        raise ValidationError(_("Delegates are elected while the session is in preparation."))


def plan_meeting(actor, session: CongressSession, student_class: StudentClass) -> ClassMeeting:
    """The class's meeting for this session, created on first use with the class's seats."""
    if not can_nominate(actor, session, student_class):
        raise PermissionDenied
    existing = ClassMeeting.objects.filter(session=session, student_class=student_class).first()
    if existing:
        return existing
    _check_preparing(session)
    seat = class_seat(session, student_class)
    if seat is None or seat.seats == 0:
        raise ValidationError(_("This class has no seats: adopt a seat apportionment that covers it first."))
    try:
        with transaction.atomic():
            return ClassMeeting.objects.create(
                university_id=session.university_id, session=session, student_class=student_class,
                seat_key=seat.seat_key, seats=seat.seats, class_size=seat.size)
    except IntegrityError:  # created meanwhile by another request
        return ClassMeeting.objects.get(session=session, student_class=student_class)


def nominate(actor, meeting: ClassMeeting, student: Student) -> ClassCandidate:
    """A student of the class, nominated by a classmate, the class representative or a manager."""
    session = meeting.session
    if not can_nominate(actor, session, meeting.student_class):
        raise PermissionDenied
    if meeting.is_recorded:
        raise ValidationError(_("The class meeting has been recorded; nominations are closed."))
    if student.student_class_id != meeting.student_class_id or not student.is_enrolled:
        raise ValidationError({"student": _("Only enrolled students of the class can be nominated.")})
    if not session.union.served_students().filter(pk=student.pk).exists():
        raise ValidationError({"student": _("This student is not served by the union.")})
    with transaction.atomic():
        candidate, _created = ClassCandidate.objects.get_or_create(
            university_id=meeting.university_id, meeting=meeting, student=student,
            defaults={"nominated_by": actor})
    return candidate


def withdraw_nomination(actor, candidate: ClassCandidate) -> None:
    meeting = candidate.meeting
    if not can_record_meeting(actor, meeting.session, meeting.student_class) and candidate.nominated_by_id != actor.pk:
        raise PermissionDenied
    if meeting.is_recorded:
        raise ValidationError(_("The class meeting has been recorded; nominations are closed."))
    candidate.delete()


def record_meeting(actor, meeting: ClassMeeting, *, held_on, present: int, votes: dict[int, int],
                   minutes: str = "") -> list[Delegate]:
    """Record the class meeting (rules.md §4) and elect its delegates, all or nothing:

    * at least `class_meeting_quorum` (default ⅔) of the class present;
    * at least ⌈seats × (1 + candidate_surplus)⌉ candidates (every student when the class is
      smaller than that);
    * the candidates with the most votes fill the seats, each needing more than half of those
      present; a tie at the last seat needs a run-off, recorded with its counts.
    `votes` maps candidate ids to their counts."""
    session = meeting.session
    if not can_record_meeting(actor, session, meeting.student_class):
        raise PermissionDenied
    _check_preparing(session)
    with transaction.atomic():
        meeting = ClassMeeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.is_recorded:
            raise ValidationError(_("This class meeting has already been recorded."))
        candidates = list(meeting.candidates.select_related("student"))
        errors = {}
        if held_on is None:
            errors["held_on"] = _("Give the day of the meeting.")
        elif held_on > timezone.localdate():
            errors["held_on"] = _("The meeting cannot be recorded before it is held.")
        needed = required_present(session, meeting.class_size)
        if present is None or present < 0:
            errors["present"] = _("Give the number of students present.")
        elif present > meeting.class_size:
            errors["present"] = _("More students present (%(present)s) than the class has (%(size)s).") % {
                "present": present, "size": meeting.class_size}
        elif present < needed:
            errors["present"] = _(
                "Only %(present)s of the %(size)s students were present; a class meeting electing delegates needs "
                "at least %(needed)s (%(share)s of the class). Nothing was saved: hold the meeting again with more "
                "students.") % {"present": present, "size": meeting.class_size, "needed": needed,
                                "share": session.class_meeting_quorum}
        wanted = required_candidates(session, meeting.seats, meeting.class_size)
        if len(candidates) < wanted:
            if wanted < math.ceil(meeting.seats * (1 + session.share("candidate_surplus"))):
                errors["__all__"] = _(
                    "The class has only %(size)s students, fewer than the %(surplus)s candidates a surplus of "
                    "%(share)s would need, so every student of the class must be a candidate (%(size)s); there are "
                    "%(count)s.") % {"size": meeting.class_size, "share": session.candidate_surplus,
                                     "surplus": math.ceil(meeting.seats * (1 + session.share("candidate_surplus"))),
                                     "count": len(candidates)}
            else:
                errors["__all__"] = _(
                    "%(seats)s seats need at least %(wanted)s candidates (a surplus of %(share)s); there are "
                    "%(count)s. Nominate more students first.") % {
                    "seats": meeting.seats, "wanted": wanted, "share": session.candidate_surplus,
                    "count": len(candidates)}
        counts, elected = {}, []
        for candidate in candidates:
            count = votes.get(candidate.pk)
            if count is None or count < 0:
                errors.setdefault("votes", _("Give the votes of every candidate."))
            elif present is not None and count > present:
                errors.setdefault("votes", _("%(name)s has more votes than students present.") % {
                    "name": candidate.student.name})
            counts[candidate.pk] = count or 0
        if present and not errors:
            majority = [c for c in candidates if 2 * counts[c.pk] > present]
            majority.sort(key=lambda c: -counts[c.pk])
            elected = majority[:meeting.seats]
            if len(majority) > meeting.seats and counts[majority[meeting.seats].pk] == counts[elected[-1].pk]:
                tied = [c.student.name for c in majority if counts[c.pk] == counts[elected[-1].pk]]
                errors["votes"] = _(
                    "%(names)s tie for the last seat with %(votes)s votes: hold a run-off between them and record "
                    "its counts.") % {"names": "、".join(tied), "votes": counts[elected[-1].pk]}
        if errors:
            raise ValidationError(errors)
        taken = set(Delegate.objects.filter(session=session, student__in=[c.student for c in elected])
                    .values_list("student__name", flat=True))
        if taken:
            raise ValidationError(_("Already a delegate of this session: %(names)s.") % {"names": "、".join(sorted(taken))})
        meeting.held_on, meeting.present, meeting.minutes = held_on, present, minutes.strip()
        meeting.status = ClassMeeting.Status.RECORDED
        meeting.recorded_by, meeting.recorded_at = actor, timezone.now()
        meeting.save()
        elected_ids = {c.pk for c in elected}
        for candidate in candidates:
            candidate.votes = counts[candidate.pk]
            candidate.is_elected = candidate.pk in elected_ids
            candidate.save(update_fields=["votes", "is_elected"])
        delegates = [
            Delegate.objects.create(
                university_id=session.university_id, session=session, student=c.student,
                source=Delegate.Source.CLASS, student_class=meeting.student_class, seat_key=meeting.seat_key,
                status=Delegate.Status.ELECTED, elected_on=held_on)
            for c in elected
        ]
        for delegate in delegates:
            _notify_delegate(delegate, "elected", gettext_lazy("Your class elected you a congress delegate"))
    return delegates


def meeting_outcome(meeting: ClassMeeting) -> str:
    """A sentence on seats left empty for want of a majority."""
    if not meeting.is_recorded:
        return ""
    elected = meeting.candidates.filter(is_elected=True).count()
    if elected < meeting.seats:
        return _("%(elected)s of %(seats)s seats filled: a candidate needs more than half of the %(present)s "
                 "students present.") % {"elected": elected, "seats": meeting.seats, "present": meeting.present}
    return ""


# ---------------------------------------------------------------- association delegates, review, substitution

def add_association_delegate(actor, session: CongressSession, association: Association, student: Student) -> Delegate:
    require_manage(actor, session)
    _check_preparing(session)
    apportionment = adopted(session)
    unit = apportionment.units.filter(association=association).first() if apportionment else None
    if unit is None:
        raise ValidationError(_("This association has no seats in the adopted apportionment."))
    if not session.union.served_students().filter(pk=student.pk).exists():
        raise ValidationError({"student": _("This student is not served by the union.")})
    with transaction.atomic():
        CongressSession.objects.select_for_update().get(pk=session.pk)
        held = Delegate.objects.filter(session=session, seat_key=unit.key).exclude(
            status__in=[Delegate.Status.REJECTED, Delegate.Status.REPLACED, Delegate.Status.WITHDRAWN]).count()
        if held >= unit.seats:
            raise ValidationError(_("The association's %(seats)s seats are taken.") % {"seats": unit.seats})
        if Delegate.objects.filter(session=session, student=student).exists():
            raise ValidationError({"student": _("This student is already a delegate of this session.")})
        return Delegate.objects.create(
            university_id=session.university_id, session=session, student=student,
            source=Delegate.Source.ASSOCIATION, association=association, student_class=student.student_class,
            seat_key=unit.key, status=Delegate.Status.ELECTED, elected_on=timezone.localdate())


def can_review(user, session: CongressSession) -> bool:
    return can_manage(user, session) or has_committee_role(user, session, CommitteeMember.Role.CREDENTIALS)


def is_union_cadre(student: Student) -> bool:
    """A current position in a school- or college-level union (rules.md §4, non-cadre delegates)."""
    return Membership.objects.current().filter(
        student=student, term__union__level__in=[Union.Level.SCHOOL, Union.Level.COLLEGE]).exists()


def _next_number(session: CongressSession) -> int:
    return (Delegate.objects.filter(session=session).aggregate(n=Max("number"))["n"] or 0) + 1


def review_delegate(actor, delegate: Delegate, *, seat: bool, note: str = "") -> Delegate:
    """The credentials committee seats a delegate (numbered, cadre status taken now) or rejects
    them with a note."""
    session = delegate.session
    if not can_review(actor, session):
        raise PermissionDenied
    note = note.strip()
    if not seat and not note:
        raise ValidationError({"note": _("Say why the delegate is not qualified.")})
    with transaction.atomic():
        CongressSession.objects.select_for_update().get(pk=session.pk)
        delegate = Delegate.objects.select_for_update().get(pk=delegate.pk)
        if delegate.status != Delegate.Status.ELECTED:
            raise ValidationError(_("This delegate has already been reviewed."))
        if not delegate.student.is_enrolled:
            raise ValidationError(_("This student is no longer enrolled."))
        delegate.review_note = note[:200]
        delegate.is_cadre = is_union_cadre(delegate.student)
        if seat:
            delegate.status = Delegate.Status.SEATED
            delegate.number = _next_number(session)
        else:
            delegate.status = Delegate.Status.REJECTED
        delegate.save()
        if seat:
            _notify_delegate(delegate, "seated", gettext_lazy("You are seated as delegate No. %(number)s"),
                             number=delegate.number)
        else:
            _notify_delegate(delegate, "rejected", gettext_lazy("Your delegacy was not confirmed: %(note)s"),
                             note=delegate.review_note)
    return delegate


def same_unit(session: CongressSession, delegate: Delegate, student: Student) -> bool:
    if delegate.association_id:
        return True
    if not delegate.seat_key:
        return delegate.student_class_id == student.student_class_id
    return delegate.seat_key == unit_key(student.college_id, student.enrolment_year)


def substitute_delegate(actor, delegate: Delegate, student: Student, reason: str) -> Delegate:
    """Replace a seated delegate by another student of the same unit: the new delegate is seated
    (pointing to the one replaced) and the old one marked replaced, with the reason."""
    session = delegate.session
    if not can_review(actor, session):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the substitution.")})
    if not session.union.served_students().filter(pk=student.pk).exists():
        raise ValidationError({"student": _("This student is not served by the union.")})
    if not same_unit(session, delegate, student):
        raise ValidationError({"student": _("The substitute must come from the same college and grade.")})
    with transaction.atomic():
        CongressSession.objects.select_for_update().get(pk=session.pk)
        delegate = Delegate.objects.select_for_update().get(pk=delegate.pk)
        if delegate.status != Delegate.Status.SEATED:
            raise ValidationError(_("Only a seated delegate can be replaced."))
        if Delegate.objects.filter(session=session, student=student).exists():
            raise ValidationError({"student": _("This student is already a delegate of this session.")})
        delegate.status = Delegate.Status.REPLACED
        delegate.review_note = (_("Replaced: %(reason)s") % {"reason": reason})[:200]
        delegate.save()
        substitute = Delegate.objects.create(
            university_id=session.university_id, session=session, student=student, source=delegate.source,
            student_class=student.student_class, association_id=delegate.association_id, seat_key=delegate.seat_key,
            status=Delegate.Status.SEATED, number=_next_number(session), is_cadre=is_union_cadre(student),
            replaces=delegate, elected_on=timezone.localdate(), review_note=reason[:200])
        _notify_delegate(substitute, "seated", gettext_lazy("You are seated as delegate No. %(number)s"),
                         number=substitute.number)
    return substitute


# ---------------------------------------------------------------- public notice and objections

def notice_end(starts: datetime.datetime, working_days: int, university_id: int) -> datetime.datetime:
    """24:00 of the last of `working_days` working days from the day of `starts` (as cadres' notices)."""
    from tongxue.core.workcalendar import calendar_for

    last = calendar_for(university_id).working_day_after(local_day(starts) - ONE_DAY, working_days)
    return end_of_day(last)


@transaction.atomic
def publish_notice(actor, session: CongressSession, working_days: int = 5, now=None) -> DelegateNotice:
    """Publish the list of seated delegates for `working_days` working days."""
    from tongxue.core.workcalendar import gap_message

    require_manage(actor, session)
    CongressSession.objects.select_for_update().get(pk=session.pk)
    if working_days < 1:
        raise ValidationError({"working_days": _("A notice runs at least one working day.")})
    if not session.delegates.filter(status=Delegate.Status.SEATED).exists():
        raise ValidationError(_("No delegate has been seated yet."))
    now = now or timezone.now()
    try:
        ends = notice_end(now, working_days, session.university_id)
    except CalendarGap as gap:
        raise ValidationError(gap_message(gap)) from gap
    notice = DelegateNotice.objects.filter(session=session).first()
    if notice and notice.is_running(now):
        raise ValidationError(_("The delegate list is already on public notice."))
    if notice is None:
        notice = DelegateNotice(university_id=session.university_id, session=session)
    notice.working_days, notice.starts, notice.ends, notice.published_by = working_days, now, ends, actor
    notice.save()
    Milestone.objects.filter(session=session, kind=Milestone.Kind.NOTICE, done_on__isnull=True).update(
        done_on=timezone.localdate(now))
    return notice


def file_objection(user, session: CongressSession, text: str, *, delegate: Delegate | None = None,
                   contact: str = "", anonymous: bool = True, now=None) -> DelegateObjection:
    """Anyone — signed in or not — may object while the notice runs; signed in, they may choose
    to give their name (it is shown to the committee only)."""
    now = now or timezone.now()
    notice = DelegateNotice.objects.filter(session=session).first()
    if notice is None or not notice.is_running(now):
        raise ValidationError(_("Objections are accepted only while the notice runs."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your objection.")})
    if delegate is not None and (delegate.session_id != session.pk or delegate.status != Delegate.Status.SEATED):
        raise ValidationError({"delegate": _("This person is not on the notice.")})
    author = user if (user and user.is_authenticated and not anonymous
                      and user.university_id == session.university_id) else None
    return DelegateObjection.objects.create(
        university_id=session.university_id, session=session, delegate=delegate, text=text[:2000],
        author=author, contact=contact.strip()[:100], created=now)


@transaction.atomic
def answer_objection(actor, objection: DelegateObjection, answer: str) -> DelegateObjection:
    if not can_review(actor, objection.session):
        raise PermissionDenied
    objection = DelegateObjection.objects.select_for_update().get(pk=objection.pk)
    if objection.is_answered:
        raise ValidationError(_("This objection has already been answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    objection.answer, objection.answered_by, objection.answered_at = answer.strip(), actor, timezone.now()
    objection.save()
    return objection


# ---------------------------------------------------------------- summaries for the pages

@dataclass(frozen=True)
class DelegateCounts:
    elected: int
    seated: int
    rejected: int
    replaced: int

    @property
    def awaiting(self) -> int:
        return self.elected


def delegate_counts(session: CongressSession) -> DelegateCounts:
    counts = Counter(session.delegates.values_list("status", flat=True))
    return DelegateCounts(elected=counts[Delegate.Status.ELECTED], seated=counts[Delegate.Status.SEATED],
                          rejected=counts[Delegate.Status.REJECTED], replaced=counts[Delegate.Status.REPLACED])

