"""Assessment (考核): rounds, who may rate whom as which source, anonymous ballots of the
students served, results with grade bands, and the latest result for the appointment check
(issue 3, item 6). The arithmetic lives in `tongxue.domain.assessment`.

Who rates as which source:
- self: the cadre;
- peers: other cadres holding a position in the same union term;
- supervisor: for an officer, the head or deputy head of their department; for a head or
  deputy head, a presidium member of the union; for a presidium member, a League teacher
  whose oversight covers the union;
- League teacher: a League teacher whose oversight covers the union;
- students served: any enrolled student the union serves (`Union.served_students`) who does
  not hold a position in the round's term: a cadre of the union rates its other cadres as a
  peer, never also as a student served, and never themselves a second time. One ballot per
  round. A ballot is not stored: it only adds to per-(round, cadre) running tallies (count, sum
  of performance, sum of conduct), and the receipt that stops a second ballot names only the
  round and the student, so nothing links a student to the scores they gave.

Who reads results: the per-source results of the whole union are for League teachers whose
oversight covers the union and administrators (open or closed round); the union's own cadres,
its leaders included, never see other cadres' results; each cadre sees their own result once
the round is closed (the assessment index page).
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxue.core.scope import scope_of
from tongxue.domain import assessment as domain
from tongxue.unions.models import Membership, Position, Union

from .models import (
    AssessmentBallotReceipt, AssessmentRound, AssessmentScore, AssessmentSource, AssessmentStudentTally,
)


class AssessmentError(Exception):
    """A refused rating; the message is for the user."""


def can_manage_any(user) -> bool:
    scope = scope_of(user)
    return scope.all_universities or bool(scope.admin_university_ids or scope.managed_union_ids)


def can_manage(user, union) -> bool:
    return Union.objects.manageable_by(user).filter(pk=union.pk).exists()


def rounds_managed_by(user):
    return AssessmentRound.objects.filter(union__in=Union.objects.manageable_by(user))


@transaction.atomic
def create_round(user, union: Union, *, label: str, weights: dict, thresholds: dict) -> AssessmentRound:
    if not can_manage(user, union):
        raise PermissionDenied
    if domain.weight_errors(weights) or domain.threshold_errors(thresholds):
        raise ValueError("invalid weights or thresholds")
    term = union.current_term()
    if term is None:
        raise ValueError("union has no current term")
    round_ = AssessmentRound.objects.create(university_id=union.university_id, union=union, term=term, label=label,
                                            weights=weights, thresholds=thresholds, created_by=user)
    _ensure_tallies(round_)
    return round_


@transaction.atomic
def close_round(user, round_: AssessmentRound) -> None:
    if not can_manage(user, round_.union):
        raise PermissionDenied
    round_.is_open = False
    round_.closed = timezone.now()
    round_.save()


def can_read_results(user, round_: AssessmentRound) -> bool:
    """The whole union's per-source results: League teachers whose oversight covers the union
    and administrators of its university — never the union's own cadres, whose colleagues'
    ratings (and, while the round is open, their running totals) are not theirs to see."""
    scope = scope_of(user)
    return (scope.all_universities or round_.university_id in scope.admin_university_ids
            or _is_league_for(scope, round_.union))


def _is_league_for(scope, union) -> bool:
    return scope.is_league and (
        union.university_id in scope.oversight_university_ids or union.college_id in scope.oversight_college_ids
    )


def cadres_of(round_: AssessmentRound):
    """The cadres assessed in a round: everyone holding a position in its term now."""
    return (Membership.objects.filter(term_id=round_.term_id, end_date__isnull=True)
            .select_related("student", "department").order_by("department__order", "position", "student__name"))


def _own_memberships(scope, round_: AssessmentRound) -> list[Membership]:
    if not scope.own_student_id:
        return []
    return list(cadres_of(round_).filter(student_id=scope.own_student_id))


def sources_for(user, round_: AssessmentRound, membership: Membership, mine=None) -> list[str]:
    """The named sources (all but students served) as which `user` may rate `membership`."""
    scope = scope_of(user)
    union = round_.union
    sources = []
    mine = _own_memberships(scope, round_) if mine is None else mine
    if membership.student_id == scope.own_student_id:
        sources.append(domain.SELF)
    elif mine:
        sources.append(domain.PEER)
        if any(_supervises(m, membership) for m in mine):
            sources.append(domain.SUPERVISOR)
    if _is_league_for(scope, union):
        if membership.is_presidium:
            sources.append(domain.SUPERVISOR)
        sources.append(domain.LEAGUE)
    return sources


def _supervises(boss: Membership, cadre: Membership) -> bool:
    if cadre.position == Position.OFFICER:
        return boss.department_id == cadre.department_id and boss.position in (Position.HEAD, Position.DEPUTY_HEAD)
    if cadre.position in (Position.HEAD, Position.DEPUTY_HEAD):
        return boss.is_presidium
    return False


@dataclass
class RatingTask:
    membership: Membership
    sources: list[str]
    done: set[str] = field(default_factory=set)


def rating_tasks(user, round_: AssessmentRound) -> list[RatingTask]:
    done: dict[int, set[str]] = {}
    for membership_id, source in AssessmentScore.objects.filter(round=round_, rater=user).values_list(
            "membership_id", "source"):
        done.setdefault(membership_id, set()).add(source)
    tasks = []
    mine = _own_memberships(scope_of(user), round_)
    for membership in cadres_of(round_):
        sources = sources_for(user, round_, membership, mine)
        if sources:
            tasks.append(RatingTask(membership, sources, done.get(membership.pk, set())))
    return tasks


@transaction.atomic
def rate(user, round_: AssessmentRound, membership: Membership, source: str, *, performance: int,
         conduct: int) -> AssessmentScore:
    if not round_.is_open:
        raise AssessmentError(_("This assessment round is closed."))
    if membership.term_id != round_.term_id or source not in sources_for(user, round_, membership):
        raise PermissionDenied
    try:
        with transaction.atomic():
            return AssessmentScore.objects.create(
                university_id=round_.university_id, round=round_, membership=membership, source=source,
                rater=user, performance=performance, conduct=conduct,
            )
    except IntegrityError:
        raise AssessmentError(_("You have already rated this cadre as this source.")) from None


def students_served(union: Union):
    return union.served_students()


def is_served(user, union: Union) -> bool:
    student_id = scope_of(user).own_student_id
    return bool(student_id) and union.served_students().filter(pk=student_id).exists()


def may_cast_ballot(user, round_: AssessmentRound) -> bool:
    """A student the union serves who holds no position in the round's term (cadres rate as
    themselves and as peers, not as students served)."""
    student_id = scope_of(user).own_student_id
    return (is_served(user, round_.union)
            and not Membership.objects.filter(term_id=round_.term_id, student_id=student_id).exists())


def ballot_cadres(user, round_: AssessmentRound):
    """The cadres on `user`'s ballot: the round's cadres except the user's own membership."""
    return cadres_of(round_).exclude(student_id=scope_of(user).own_student_id)


def has_cast_ballot(user, round_: AssessmentRound) -> bool:
    student_id = scope_of(user).own_student_id
    return AssessmentBallotReceipt.objects.filter(round=round_, student_id=student_id).exists()


def ballot_rounds(user):
    """Open rounds whose union serves the student."""
    student = getattr(user, "student", None)
    if student is None:
        return AssessmentRound.objects.none()
    rounds = AssessmentRound.objects.filter(university_id=student.university_id, is_open=True).select_related("union")
    return [r for r in rounds if may_cast_ballot(user, r)]


def _ensure_tallies(round_: AssessmentRound) -> None:
    """A zero tally for every cadre of the round, created for all of them at once (at the round's
    opening, and again for cadres appointed since): when a tally row is created says nothing
    about who rated whom."""
    have = set(AssessmentStudentTally.objects.filter(round=round_).values_list("membership_id", flat=True))
    missing = [pk for pk in cadres_of(round_).values_list("pk", flat=True) if pk not in have]
    AssessmentStudentTally.objects.bulk_create(
        [AssessmentStudentTally(university_id=round_.university_id, round=round_, membership_id=pk)
         for pk in missing], ignore_conflicts=True)


def _added(field: str, amounts: dict[int, int]):
    """F(field) + the amount for the tally's cadre (0 for cadres not on this ballot)."""
    return F(field) + Case(*[When(membership_id=pk, then=Value(n)) for pk, n in amounts.items()],
                           default=Value(0), output_field=models.PositiveIntegerField())


@transaction.atomic
def cast_ballot(user, round_: AssessmentRound, scores: dict[int, tuple[int, int]]) -> None:
    """A served student's ballot: {membership id: (performance, conduct)} for the cadres they
    chose to rate. Writes the receipt (round, student) and adds the scores to the round's
    running tallies in one UPDATE of every tally of the round — also those of cadres not rated,
    by zero — so that no row is created per ballot and which rows a ballot touched is not
    recorded either."""
    if not round_.is_open:
        raise AssessmentError(_("This assessment round is closed."))
    if not may_cast_ballot(user, round_):
        raise PermissionDenied
    if not scores:
        raise AssessmentError(_("Rate at least one cadre."))
    valid = set(ballot_cadres(user, round_).values_list("pk", flat=True))
    if not set(scores) <= valid:
        raise PermissionDenied
    if any(not (0 <= p <= 100 and 0 <= c <= 100) for p, c in scores.values()):
        raise AssessmentError(_("Scores are from 0 to 100."))
    try:
        with transaction.atomic():
            AssessmentBallotReceipt.objects.create(university_id=round_.university_id, round=round_,
                                                   student_id=scope_of(user).own_student_id)
    except IntegrityError:
        raise AssessmentError(_("You have already cast your ballot in this round.")) from None
    _ensure_tallies(round_)
    AssessmentStudentTally.objects.filter(round=round_).update(
        count=_added("count", dict.fromkeys(scores, 1)),
        performance_sum=_added("performance_sum", {pk: p for pk, (p, _c) in scores.items()}),
        conduct_sum=_added("conduct_sum", {pk: c for pk, (_p, c) in scores.items()}),
    )


@dataclass
class Result:
    membership: Membership
    values: dict[str, float]
    counts: dict[str, int]
    total: Decimal | None
    grade: str | None

    @property
    def grade_label(self):
        from .models import Grade

        return Grade(self.grade).label if self.grade else ""

    def source_rows(self):
        return [(AssessmentSource(s).label, self.counts.get(s, 0),
                 None if s not in self.values else round(self.values[s], 1)) for s in domain.SOURCES]


def _round2(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def results(round_: AssessmentRound, memberships=None) -> list[Result]:
    memberships = list(cadres_of(round_) if memberships is None else memberships)
    ratings: dict[int, list] = {m.pk: [] for m in memberships}
    for membership_id, source, performance, conduct in AssessmentScore.objects.filter(
            round=round_, membership_id__in=ratings).values_list("membership_id", "source", "performance", "conduct"):
        ratings[membership_id].append((source, performance, conduct))
    tallies = {t.membership_id: t for t in AssessmentStudentTally.objects.filter(
        round=round_, membership_id__in=ratings, count__gt=0)}
    out = []
    for membership in memberships:
        values = domain.source_values(ratings[membership.pk])
        counts: dict[str, int] = {}
        for source, *_scores in ratings[membership.pk]:
            counts[source] = counts.get(source, 0) + 1
        tally = tallies.get(membership.pk)
        if tally is not None:  # the students-served mean is sum / count of the tallies
            values[domain.STUDENTS] = domain.rating_value(tally.performance_sum / tally.count,
                                                          tally.conduct_sum / tally.count)
            counts[domain.STUDENTS] = tally.count
        total = domain.weighted_total(values, round_.weights)
        out.append(Result(membership, values, counts, _round2(total), domain.grade_for(total, round_.thresholds)))
    return out


def latest_assessment(student) -> tuple[str, Decimal] | None:
    """For the appointment check: (grade, total) of the student's most recent closed round
    with any score, or None. Grade is one of "excellent", "good", "pass", "fail"; a "fail"
    (不合格) blocks re-appointment."""
    memberships = Membership.objects.filter(student=student)
    rated = (models.Q(scores__membership__in=memberships)
             | models.Q(student_tallies__membership__in=memberships, student_tallies__count__gt=0))
    rounds = (AssessmentRound.objects.filter(rated, university_id=student.university_id, is_open=False)
              .distinct().order_by("-closed", "-created"))
    for round_ in rounds[:5]:
        for result in results(round_, memberships.filter(term_id=round_.term_id)):
            if result.total is not None:
                return result.grade, result.total
    return None
