"""The congress of a demo university (called by `core.demo.build_demo`).

* 示范大学学生会: last year's session, closed, with its seated delegates (1 % of the students,
  seats by college × grade with the largest-remainder method), attendance and agenda; this
  year's session in preparation, opening in a month.
* 示范大学研究生会: a session sitting today, check-in open, most delegates checked in — to try
  the check-in, the live quorum and the projector.
* College unions: one held session each within the last year, except 07 (held 15 months ago:
  the self-assessment flags it, C9).

Each session that sat has its papers: 36th session's work and financial reports (public), formal
questions answered, resolutions passed and the charter amendment (v1 → v2, ≥ 2/3); the graduate
union's reports published and a resolution ready to put to the vote; each college union its
charter in force.

Apps above congress (proposals, elections) add their part through `DEMO_BUILDERS`.
"""
from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from tongxue.core.models import University, User
from tongxue.domain.apportion import Method, Unit, apportion, seats_for_share
from tongxue.unions.models import Membership, Position, Union

from . import demo_texts as texts
from .models import (
    AgendaItem, Attendance, CharterVersion, CommitteeMember, CongressSession, Delegate, FormalQuestion, Resolution,
    ResolutionVote, SessionDocument,
)

# Each builder is called as builder(CongressDemo) after the sessions exist.
DEMO_BUILDERS: list = []

SCHOOL_AGENDA = [
    (AgendaItem.Kind.OPENING, "开幕式"),
    (AgendaItem.Kind.REPORT, "审议学生会工作报告"),
    (AgendaItem.Kind.REPORT, "审议学生会财务工作报告"),
    (AgendaItem.Kind.CHARTER, "审议《学生会章程》修正案"),
    (AgendaItem.Kind.ELECTION, "选举产生新一届学生会主席团"),
    (AgendaItem.Kind.PROPOSALS, "听取提案工作报告"),
    (AgendaItem.Kind.RESOLUTION, "通过大会决议"),
]


@dataclass
class CongressDemo:
    university: University
    rng: random.Random
    today: datetime.date
    school_past: CongressSession | None = None
    school_next: CongressSession | None = None
    graduate_now: CongressSession | None = None
    college_sessions: list[CongressSession] = field(default_factory=list)
    teacher: User | None = None


def _seat_delegates(session: CongressSession, rng: random.Random, *, seated_on: datetime.date) -> list[Delegate]:
    """Seats by college × grade of the students served (largest remainder, at least one each),
    filled by students drawn in each unit; delegates numbered in unit order."""
    rows = list(session.union.served_students().values_list("pk", "college_id", "enrolment_year", "student_class_id"))
    by_unit: dict[str, list] = defaultdict(list)
    for pk, college_id, year, class_id in rows:
        by_unit[f"c{college_id}-g{year}"].append((pk, class_id))
    units = [Unit(key, len(members), minimum=1) for key, members in sorted(by_unit.items())]
    if not units:
        return []
    seats = max(seats_for_share(len(rows), session.share("seat_share")), len(units))
    cadres = set(Membership.objects.current().filter(
        term__union__university_id=session.university_id,
        term__union__level__in=(Union.Level.SCHOOL, Union.Level.COLLEGE)).values_list("student_id", flat=True))
    delegates, number = [], 0
    for allocation in apportion(units, seats, Method.LARGEST_REMAINDER):
        for pk, class_id in rng.sample(by_unit[allocation.key], allocation.seats):
            number += 1
            delegates.append(Delegate(
                university_id=session.university_id, session=session, student_id=pk, student_class_id=class_id,
                seat_key=allocation.key, number=number, status=Delegate.Status.SEATED, is_cadre=pk in cadres,
                elected_on=seated_on))
    return Delegate.objects.bulk_create(delegates)


def _attend(session: CongressSession, delegates: list[Delegate], rng: random.Random, share: float,
            sitting: datetime.date, method=Attendance.Method.CODE) -> None:
    at = timezone.make_aware(datetime.datetime.combine(sitting, datetime.time(8, 20)))
    Attendance.objects.bulk_create([
        Attendance(university_id=session.university_id, session=session, delegate=d, sitting=sitting, method=method,
                   checked_in=at + datetime.timedelta(seconds=rng.randrange(0, 1800)))
        for d in delegates if rng.random() < share
    ])


def _agenda(session: CongressSession, items, *, done: int, current: bool = False) -> None:
    start = timezone.make_aware(datetime.datetime.combine(session.opens_on, datetime.time(9, 0)))
    rows = []
    for i, (kind, title) in enumerate(items):
        status = AgendaItem.Status.DONE if i < done else (
            AgendaItem.Status.CURRENT if current and i == done else AgendaItem.Status.PENDING)
        rows.append(AgendaItem(
            university_id=session.university_id, session=session, order=i + 1, title=title, kind=kind, status=status,
            started=start + datetime.timedelta(minutes=40 * i) if status != AgendaItem.Status.PENDING else None,
            finished=start + datetime.timedelta(minutes=40 * i + 35) if status == AgendaItem.Status.DONE else None))
    AgendaItem.objects.bulk_create(rows)


def _session(union: Union, number: int, opens_on: datetime.date, status: str, creator: User | None,
             **fields) -> CongressSession:
    return CongressSession.objects.create(
        university_id=union.university_id, union=union, number=number, opens_on=opens_on, status=status,
        created_by=creator, **fields)


def _president_user(union: Union) -> User | None:
    membership = (Membership.objects.current().filter(term__union=union, position=Position.PRESIDENT)
                  .select_related("student__user").first())
    return membership.student.user if membership and membership.student.user_id else None


def build_congress_demo(university: University, rng: random.Random, *, teacher: User,
                        today: datetime.date | None = None) -> CongressDemo:
    today = today or timezone.localdate()
    demo = CongressDemo(university=university, rng=rng, today=today, teacher=teacher)
    unions = list(Union.objects.filter(university=university).select_related("college"))
    school = next(u for u in unions if u.level == Union.Level.SCHOOL and u.kind == Union.Kind.UNDERGRADUATE)
    graduate = next((u for u in unions if u.level == Union.Level.SCHOOL and u.kind == Union.Kind.GRADUATE), None)

    past_day = today - datetime.timedelta(days=340)
    demo.school_past = _session(school, 36, past_day, CongressSession.Status.CLOSED, teacher,
                                closes_on=past_day + datetime.timedelta(days=1), venue="大学生活动中心报告厅")
    past_delegates = _seat_delegates(demo.school_past, rng, seated_on=past_day - datetime.timedelta(days=14))
    _attend(demo.school_past, past_delegates, rng, 0.93, past_day)
    _agenda(demo.school_past, SCHOOL_AGENDA, done=len(SCHOOL_AGENDA))

    demo.school_next = _session(school, 37, today + datetime.timedelta(days=30), CongressSession.Status.PREPARING,
                                teacher, venue="大学生活动中心报告厅")
    _agenda(demo.school_next, SCHOOL_AGENDA, done=0)

    committee = [CommitteeMember(university=university, session=s, user=teacher, role=CommitteeMember.Role.CHAIR)
                 for s in (demo.school_past, demo.school_next)]
    president = _president_user(school)
    if president:
        committee += [CommitteeMember(university=university, session=s, user=president,
                                      role=CommitteeMember.Role.PRESIDIUM)
                      for s in (demo.school_past, demo.school_next)]

    if graduate is not None:
        demo.graduate_now = _session(graduate, 20, today, CongressSession.Status.CONVENED, teacher,
                                     is_check_in_open=True, venue="研究生院学术报告厅")
        now_delegates = _seat_delegates(demo.graduate_now, rng, seated_on=today - datetime.timedelta(days=10))
        _attend(demo.graduate_now, now_delegates, rng, 0.72, today)
        _agenda(demo.graduate_now, SCHOOL_AGENDA, done=1, current=True)
        committee.append(CommitteeMember(university=university, session=demo.graduate_now, user=teacher,
                                         role=CommitteeMember.Role.CHAIR))

    for union in sorted((u for u in unions if u.level == Union.Level.COLLEGE), key=lambda u: u.college.code):
        late = union.college.code == "07"
        held = today - datetime.timedelta(days=455 if late else rng.randrange(30, 330))
        session = _session(union, rng.randrange(5, 20), held, CongressSession.Status.CLOSED, teacher,
                           closes_on=held, venue=f"{union.college.name}报告厅")
        delegates = _seat_delegates(session, rng, seated_on=held - datetime.timedelta(days=10))
        _attend(session, delegates, rng, 0.9, held)
        _agenda(session, SCHOOL_AGENDA[:2] + SCHOOL_AGENDA[4:5], done=3)
        committee.append(CommitteeMember(university=university, session=session, user=teacher,
                                         role=CommitteeMember.Role.CHAIR))
        demo.college_sessions.append(session)
    CommitteeMember.objects.bulk_create(committee)

    _build_sitting(demo)
    for builder in DEMO_BUILDERS:
        builder(demo)
    return demo



def _moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _present(session: CongressSession, sitting: datetime.date) -> list[int]:
    return sorted(Attendance.objects.filter(session=session, sitting=sitting, checked_out__isnull=True)
                  .values_list("delegate_id", flat=True))


def _vote(demo: CongressDemo, resolution: Resolution, present: list[int], share_for: float,
          share_against: float) -> None:
    """Phone votes of the delegates present, and the counts and decision close_vote stores."""
    from tongxue.domain.tally import resolution_passes

    choices = []
    for delegate_id in present:
        r = demo.rng.random()
        choice = (ResolutionVote.Choice.FOR if r < share_for else ResolutionVote.Choice.AGAINST
                  if r < share_for + share_against else ResolutionVote.Choice.ABSTAIN)
        choices.append(ResolutionVote(university_id=resolution.university_id, resolution=resolution,
                                      delegate_id=delegate_id, choice=choice))
    ResolutionVote.objects.bulk_create(choices, batch_size=500)
    session = resolution.session
    resolution.votes_for = sum(v.choice == ResolutionVote.Choice.FOR for v in choices)
    resolution.votes_against = sum(v.choice == ResolutionVote.Choice.AGAINST for v in choices)
    resolution.votes_abstain = sum(v.choice == ResolutionVote.Choice.ABSTAIN for v in choices)
    resolution.present = len(present)
    resolution.passed = resolution_passes(resolution.votes_for, len(present), session.share(resolution.share_field),
                                          strict=resolution.kind != Resolution.Kind.CHARTER)
    resolution.status = Resolution.Status.CLOSED
    resolution.save()


def _build_sitting(demo: CongressDemo) -> None:
    """Reports, questions, resolutions and charters (plain ORM writes: the demo stays fast)."""
    university, teacher, rng = demo.university, demo.teacher, demo.rng
    _timeline_done([s for s in (demo.school_past, demo.graduate_now, *demo.college_sessions) if s is not None])
    past = demo.school_past
    if past is not None:
        day = past.opens_on
        agenda = {item.order: item for item in past.agenda.all()}
        president = _president_user(past.union) or teacher
        published = _moment(day, 9) - datetime.timedelta(days=7)
        work, money = SessionDocument.objects.bulk_create([
            SessionDocument(university=university, session=past, kind=SessionDocument.Kind.WORK_REPORT,
                            title="示范大学学生会工作报告", body=texts.WORK_REPORT,
                            audience=SessionDocument.Audience.PUBLIC, published_at=published,
                            created_by=teacher),
            SessionDocument(university=university, session=past, kind=SessionDocument.Kind.FINANCIAL_REPORT,
                            title="示范大学学生会财务工作报告", body=texts.FINANCIAL_REPORT,
                            audience=SessionDocument.Audience.PUBLIC, published_at=published,
                            created_by=teacher),
        ])
        present = _present(past, day)
        askers = rng.sample(present, min(len(present), len(texts.QUESTIONS)))
        questions = FormalQuestion.objects.bulk_create([
            FormalQuestion(university=university, session=past, document=work if i != 2 else money,
                           delegate_id=asker, text=question, answer=answer, answered_by=president,
                           answered_at=_moment(day, 10, 30 + i * 5))
            for i, ((question, answer), asker) in enumerate(zip(texts.QUESTIONS, askers, strict=False))
        ])
        for i, question in enumerate(questions):
            FormalQuestion.objects.filter(pk=question.pk).update(
                asked_at=_moment(day, 9) - datetime.timedelta(days=5 - i, hours=rng.randrange(0, 8)))

        union = past.union
        v1 = CharterVersion.objects.create(
            university=university, union=union, number=1, text=texts.CHARTER_V1,
            status=CharterVersion.Status.SUPERSEDED, adopted_on=day - datetime.timedelta(days=730), created_by=teacher)
        for i, (title, text) in enumerate(texts.RESOLUTIONS):
            resolution = Resolution.objects.create(
                university=university, session=past, agenda_item=agenda.get(2 + i), title=title, text=text,
                created_by=teacher, opened_at=_moment(day, 10 + i, 20), closed_at=_moment(day, 10 + i, 30))
            _vote(demo, resolution, present, 0.9, 0.03)
        charter = Resolution.objects.create(
            university=university, session=past, agenda_item=agenda.get(4), kind=Resolution.Kind.CHARTER,
            title="《示范大学学生会章程》修正案", text="大会审议通过《示范大学学生会章程》修正案（第2版），自通过之日起施行。",
            created_by=teacher, opened_at=_moment(day, 11, 40), closed_at=_moment(day, 11, 50))
        _vote(demo, charter, present, 0.86, 0.05)
        CharterVersion.objects.create(
            university=university, union=union, number=2, text=texts.charter_v2(), based_on=v1,
            status=CharterVersion.Status.ADOPTED if charter.passed else CharterVersion.Status.DRAFT,
            adopted_on=day if charter.passed else None, resolution=charter, created_by=teacher)

    now = demo.graduate_now
    if now is not None:
        SessionDocument.objects.bulk_create([
            SessionDocument(university=university, session=now, kind=SessionDocument.Kind.WORK_REPORT,
                            title=f"{now.union.name}工作报告", body=texts.GRADUATE_WORK_REPORT,
                            audience=SessionDocument.Audience.DELEGATES,
                            published_at=_moment(demo.today, 8) - datetime.timedelta(days=3), created_by=teacher),
            SessionDocument(university=university, session=now, kind=SessionDocument.Kind.FINANCIAL_REPORT,
                            title=f"{now.union.name}财务工作报告", body=texts.GRADUATE_FINANCIAL_REPORT,
                            audience=SessionDocument.Audience.DELEGATES,
                            published_at=_moment(demo.today, 8) - datetime.timedelta(days=3), created_by=teacher),
        ])
        title, text = texts.GRADUATE_RESOLUTION
        Resolution.objects.create(university=university, session=now, title=title, text=text, created_by=teacher,
                                  agenda_item=now.agenda.filter(order=2).first())

    CharterVersion.objects.bulk_create([
        CharterVersion(university=university, union=session.union, number=1,
                       text=texts.college_charter(session.union.name), status=CharterVersion.Status.ADOPTED,
                       adopted_on=session.opens_on - datetime.timedelta(days=365), created_by=teacher)
        for session in demo.college_sessions
    ])


def _timeline_done(sessions: list[CongressSession]) -> None:
    """A session that sat went through its preparation: each default step done on its due day."""
    from .models import Milestone
    from .services_prep import DEFAULT_MILESTONES

    before = dict(DEFAULT_MILESTONES)
    rows = list(Milestone.objects.filter(session__in=sessions).select_related("session"))
    for milestone in rows:
        days = before.get(milestone.kind, 0)
        milestone.due_on = milestone.session.opens_on - datetime.timedelta(days=56 if days is None else days)
        milestone.done_on = milestone.due_on
    Milestone.objects.bulk_update(rows, ["due_on", "done_on"], batch_size=500)
