"""Elections of the demo congress (registered into `congress.demo.DEMO_BUILDERS`).

* 36th session of 示范大学学生会: a published competitive (差额) presidium election by online
  ballot. The candidates are the union's current presidium and one or two other delegates; the
  presidium is elected (the self-assessment's S10 passes).
* Each college union's last session: a published uncontested (等额) election of its current
  presidium (C8 passes); a union without a presidium elects nobody (not recorded).
* 示范大学研究生会, sitting today: a draft election with its candidates, ready to open.

The election is set up with the services (`create_election`, `set_candidates`); the vote of a
session long closed is written as `open_election` and `cast_ballot` would leave it (blank ballots
with receipts filled in, a voter record per delegate present), then counted and published with the
services' own `_store_count` and `publish`, so the stored result is `domain.tally.count` of the
stored ballots and the public page and the downloadable file agree.
"""
from __future__ import annotations

import datetime
import math
import random

from django.utils import timezone

from tongxue.congress.models import AgendaItem, Attendance, CongressSession, Delegate
from tongxue.unions.models import Membership, Position

from . import services
from .models import Ballot, Election, VoterRecord, new_receipt

PRESIDIUM_ORDER = {position: i for i, position in enumerate(Position.presidium())}


def _presidium_students(union) -> list:
    rows = (Membership.objects.current().filter(term__union=union, position__in=Position.presidium())
            .select_related("student").order_by("pk"))
    students = {}
    for m in sorted(rows, key=lambda m: (PRESIDIUM_ORDER.get(m.position, 99), m.pk)):
        students.setdefault(m.student_id, m.student)
    return list(students.values())


def _election_item(session: CongressSession):
    return session.agenda.filter(kind=AgendaItem.Kind.ELECTION).order_by("order").first()


def _hold(demo, session: CongressSession, *, title: str, presidium: list, extras: list, support: float,
          extra_support: float) -> Election | None:
    """Create, vote (ballots of the delegates present), count and publish one election."""
    rng: random.Random = demo.rng
    present = sorted(Attendance.objects.filter(session=session, sitting=session.opens_on)
                     .values_list("delegate_id", flat=True))
    if not present:
        return None
    election = services.create_election(demo.teacher, session, title=title, seats=len(presidium),
                                        agenda_item=_election_item(session))
    services.set_candidates(demo.teacher, election, presidium + extras)
    election.refresh_from_db()
    listed = list(election.listed)
    order = [c.key for c in listed]
    favourite = {f"s{s.pk}" for s in presidium}
    seats = election.seats
    # Each favourite gets "for" on a share of the ballots (always a majority of those present); the
    # others on fewer; a ballot never marks more people "for" than there are seats (no void ballot).
    n = len(present)
    chosen: list[set[str]] = [set() for _voter in present]
    for key in order:
        share = (support if key in favourite else extra_support) + rng.uniform(-0.06, 0.05)
        count = max(n // 2 + 1, round(n * share)) if key in favourite else round(n * share)
        for i in rng.sample(range(n), min(n, count)):
            chosen[i].add(key)
    for picks in chosen:
        extra = sorted(picks - favourite)
        rng.shuffle(extra)
        while len(picks) > seats and extra:
            picks.discard(extra.pop())
    marks = ["".join("F" if k in picks else ("A" if rng.random() < 0.3 else "-") for k in order) for picks in chosen]
    receipts: set[str] = set()
    while len(receipts) < len(present):
        receipts.add(new_receipt())
    receipts_list = sorted(receipts)
    rng.shuffle(receipts_list)
    opened = timezone.make_aware(datetime.datetime.combine(session.opens_on, datetime.time(14, 30)))
    VoterRecord.objects.bulk_create(
        [VoterRecord(university_id=session.university_id, election=election, delegate_id=pk, has_voted=True)
         for pk in present], batch_size=500)
    Ballot.objects.bulk_create(
        [Ballot(university_id=session.university_id, election=election, receipt=receipt, is_cast=True, marks=code)
         for receipt, code in zip(receipts_list, marks, strict=True)], batch_size=500)
    election.present = election.issued = len(present)
    election.due = Delegate.objects.filter(session=session, status=Delegate.Status.SEATED).count()
    election.candidate_order = order
    election.opened_at = opened
    election.closed_at = opened + datetime.timedelta(minutes=25)
    services._store_count(election)
    election.save()
    if election.status == Election.Status.COUNTED:
        services.publish(demo.teacher, election)
        Election.objects.filter(pk=election.pk).update(published_at=opened + datetime.timedelta(minutes=50))
    return election


def build_elections_demo(demo) -> None:
    rng: random.Random = demo.rng
    past = demo.school_past
    if past is not None:
        presidium = _presidium_students(past.union)
        if presidium:
            taken = {s.pk for s in presidium}
            delegates = [d.student for d in Delegate.objects.filter(session=past, status=Delegate.Status.SEATED)
                         .select_related("student").order_by("number") if d.student_id not in taken]
            surplus = max(1, math.ceil(len(presidium) / 5)) + (1 if len(presidium) >= 3 else 0)
            extras = rng.sample(delegates, min(surplus, len(delegates)))
            _hold(demo, past, title=f"{past.union.name}第{past.number}次代表大会主席团选举", presidium=presidium,
                  extras=extras, support=0.84, extra_support=0.5)

    for session in demo.college_sessions:
        presidium = _presidium_students(session.union)
        if presidium:
            _hold(demo, session, title=f"{session.union.name}主席团选举", presidium=presidium, extras=[],
                  support=0.93, extra_support=0.0)

    now = demo.graduate_now
    if now is not None:
        presidium = _presidium_students(now.union)
        taken = {s.pk for s in presidium}
        delegates = [d.student for d in Delegate.objects.filter(session=now, status=Delegate.Status.SEATED)
                     .select_related("student").order_by("number") if d.student_id not in taken]
        seats = max(len(presidium), 3)
        needed = seats + max(1, math.ceil(seats / 5))
        candidates = presidium + rng.sample(delegates, min(len(delegates), needed - len(presidium)))
        election = services.create_election(demo.teacher, now, title=f"{now.union.name}第{now.number}次代表大会主席团选举",
                                            seats=seats, agenda_item=_election_item(now))
        services.set_candidates(demo.teacher, election, candidates)
