"""Findings from live data: build `UnionFacts` from the database (few queries, also for a whole
university), evaluate the reform rules, and check a change before it is made (rules.md §1–2, §7).

Eligibility comes from `tongxue.core.eligibility.eligibility_for` (one query for all cadres); a cadre
with no academic record at all is "not recorded" for S8/C7 rather than failing.

S9 (the recommendation and review chain) needs the selection records of `tongxue.cadres`, which sits
above this app: cadres registers a function into `APPROVAL_CHAIN_SOURCES` (in its AppConfig.ready()),
so this module never imports it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tongxue.core.eligibility import eligibility_for, reason_text
from tongxue.core.scope import scope_of
from tongxue.domain import calendar
from tongxue.domain import reform_rules as rr
from tongxue.domain.eligibility import NO_ACADEMIC_RECORD
from tongxue.unions.models import Department, Membership, Term, Union
from tongxue.unions.services import is_league_teacher_of

from .models import Attestation, Override, RuleConfig, academic_year_of, year_bounds


# Each source is called as source([(union, [membership, …]), …]) and returns {membership id: True (came through
# the chain) | False (appointed without it) | None (not recorded)}; registered by tongxue.cadres.
APPROVAL_CHAIN_SOURCES: list = []

# Each source is called as source([union, …], as_of_date) and returns {union id: {CongressFact field: value}};
# registered by tongxue.congress (the last session held, S11/C9) and tongxue.elections (whether the current
# presidium was elected by the congress, S10/C8). A union no source speaks of is "not recorded".
CONGRESS_SOURCES: list = []


class RuleViolation(Exception):
    """A change refused by one or more reform rules; the message names them."""

    def __init__(self, findings: list[rr.Finding]):
        self.findings = findings
        super().__init__("；".join(f.message(get_language() or "zh-hans") for f in findings))


def current_academic_year() -> str:
    return academic_year_of(timezone.localdate())


def config_for(university, academic_year: str) -> rr.RuleConfig:
    """The university's configuration in force for the year (latest `applies_from` ≤ year)."""
    row = (RuleConfig.objects.filter(university=university, applies_from__lte=academic_year)
           .order_by("-applies_from").first())
    return row.as_domain() if row else rr.RuleConfig()


def as_of(academic_year: str):
    """The day a year's table is judged on: the last day of the academic year, or today if earlier."""
    return calendar.as_of_date(calendar.academic_year_from_label(academic_year), timezone.localdate())


def _eligibility(students, academic_year: str) -> dict[int, tuple[bool | None, tuple]]:
    """Eligibility per student id as it stood in the academic year (its as-of date: first-years
    of that year, records up to that year), with one query. A student found ineligible only for
    lack of any academic record is "not recorded" (None), not a failure."""
    out = {}
    for student_id, result in eligibility_for(students, today=as_of(academic_year)).items():
        codes = {reason.code for reason in result.reasons}
        eligible = None if not result.is_eligible and codes == {NO_ACADEMIC_RECORD} else bool(result.is_eligible)
        out[student_id] = (eligible, tuple(str(reason_text(reason)) for reason in result.reasons))
    return out


def _term_for_year(terms: list[Term], academic_year: str) -> Term | None:
    """The current term for this or a later year; otherwise the latest term overlapping the year."""
    if academic_year >= current_academic_year():
        current = next((t for t in terms if t.is_current), None)
        if current is not None:
            return current
    start, end = year_bounds(academic_year)
    overlapping = [t for t in terms if t.start_date <= end and (t.end_date is None or t.end_date >= start)]
    return max(overlapping, key=lambda t: t.start_date, default=None)


def _held_at_term_end(membership: Membership, term: Term) -> bool:
    if membership.end_date is None:
        return True
    if term.is_current:
        return False
    return membership.end_reason == Membership.EndReason.TERM_END or (
        term.end_date is not None and membership.end_date >= term.end_date)


@dataclass
class UnionData:
    union: Union
    term: Term | None
    memberships: list[Membership]
    departments: list[Department]


def _load(unions: list[Union], academic_year: str) -> list[UnionData]:
    """Terms, memberships and departments of many unions in three queries."""
    union_ids = [u.pk for u in unions]
    terms_by_union = defaultdict(list)
    for term in Term.objects.filter(union_id__in=union_ids):
        terms_by_union[term.union_id].append(term)
    chosen = {u.pk: _term_for_year(terms_by_union[u.pk], academic_year) for u in unions}
    term_ids = [t.pk for t in chosen.values() if t is not None]
    memberships_by_term = defaultdict(list)
    for m in (Membership.objects.filter(term_id__in=term_ids)
              .select_related("student", "department").order_by("pk")):
        memberships_by_term[m.term_id].append(m)
    departments_by_term = defaultdict(list)
    for d in Department.objects.filter(term_id__in=term_ids).order_by("order", "name"):
        departments_by_term[d.term_id].append(d)
    out = []
    for union in unions:
        term = chosen[union.pk]
        memberships = [m for m in memberships_by_term[term.pk] if _held_at_term_end(m, term)] if term else []
        out.append(UnionData(union, term, memberships, departments_by_term[term.pk] if term else []))
    return out


# Training records live in `tongxue.cadres`, above this app: it registers its provider here when it
# starts (`training_status(student_ids, academic_year: int) -> {id: {"spring", "autumn", ...}}`).
TRAINING_STATUS_PROVIDER = None


def _training_status(data: list[UnionData], academic_year: str) -> dict[int, dict]:
    if TRAINING_STATUS_PROVIDER is None:
        return {}
    return TRAINING_STATUS_PROVIDER([m.student_id for d in data for m in d.memberships],
                                    calendar.academic_year_from_label(academic_year))


def _training_fact(data: UnionData, academic_year: str, status: dict) -> rr.TrainingFact | None:
    from tongxue.domain.training import AUTUMN, SPRING, full_staff_attendance, season_end

    if not status or not data.memberships:
        return None
    year = calendar.academic_year_from_label(academic_year)
    shares = {
        season: full_staff_attendance([status[m.student_id][season] for m in data.memberships],
                                      season_over=timezone.localdate() > season_end(year, season))
        for season in (SPRING, AUTUMN)
    }
    return rr.TrainingFact(spring_attendance=shares[SPRING], autumn_attendance=shares[AUTUMN])


def staff_key(student_id: int) -> str:
    """Who a `StaffFact` is, for the live check: namesakes are different people."""
    return f"student:{student_id}"


def _staff_fact(m: Membership, eligibility: dict, chain: dict) -> rr.StaffFact:
    eligible, reasons = eligibility.get(m.student_id, (None, ()))
    return rr.StaffFact(
        name=m.student.name, position=m.position, department=m.department.name if m.department_id else None,
        political_status=m.student.political_status, is_eligible=eligible, eligibility_reasons=reasons,
        approval_chain_complete=chain.get(m.pk),  # from APPROVAL_CHAIN_SOURCES (selection)
        key=staff_key(m.student_id),
    )


def _build_facts(data: UnionData, academic_year: str, eligibility: dict, attestations: list[Attestation],
                 overrides: list[Override], training_status: dict, chain: dict,
                 congress: dict | None = None) -> rr.UnionFacts:
    union = data.union
    day = as_of(academic_year)
    return rr.UnionFacts(
        union_name=union.name, level=union.level, kind=union.kind, is_large=union.university.is_large,
        academic_year=academic_year, as_of=day,
        staff=tuple(_staff_fact(m, eligibility, chain) for m in data.memberships),
        departments=tuple(d.name for d in data.departments),
        declared_duties=union.declared_duties,
        congress=rr.CongressFact(**congress) if congress else None,
        training=_training_fact(data, academic_year, training_status),
        attestations={a.rule_id: rr.AttestationFact(a.attested, a.by.full_name if a.by else "", a.evidence_url,
                                                    a.text) for a in attestations},
        has_term=data.term is not None,
        overrides=tuple(rr.OverrideFact(o.rule_id, o.reason, o.actor.full_name if o.actor else "", o.description,
                                        o.created.date().isoformat()) for o in overrides),
    )


def facts_for_unions(unions, academic_year: str) -> list[tuple[Union, rr.UnionFacts]]:
    unions = list(unions)
    if not unions:
        return []
    data = _load(unions, academic_year)
    union_ids = [u.pk for u in unions]
    attestations, overrides = defaultdict(list), defaultdict(list)
    for a in Attestation.objects.filter(union_id__in=union_ids, academic_year=academic_year).select_related("by"):
        attestations[a.union_id].append(a)
    for o in Override.objects.filter(union_id__in=union_ids, academic_year=academic_year).select_related("actor"):
        overrides[o.union_id].append(o)
    eligibility = _eligibility([m.student for d in data for m in d.memberships], academic_year)
    training_status = _training_status(data, academic_year)
    chain: dict = {}
    for source in APPROVAL_CHAIN_SOURCES:
        chain.update(source([(d.union, d.memberships) for d in data]))
    congress: dict = defaultdict(dict)
    day = as_of(academic_year)
    for source in CONGRESS_SOURCES:
        for union_id, fields in source([d.union for d in data], day).items():
            congress[union_id].update(fields)
    return [(d.union, _build_facts(d, academic_year, eligibility, attestations[d.union.pk], overrides[d.union.pk],
                                   training_status, chain, congress.get(d.union.pk)))
            for d in data]


def facts_for(union: Union, academic_year: str | None = None) -> rr.UnionFacts:
    return facts_for_unions([union], academic_year or current_academic_year())[0][1]


def findings_for(union: Union, academic_year: str | None = None) -> list[rr.Finding]:
    academic_year = academic_year or current_academic_year()
    return rr.evaluate(facts_for(union, academic_year), config_for(union.university, academic_year))


LEVEL_ORDER = {Union.Level.SCHOOL: 0, Union.Level.CAMPUS: 1, Union.Level.COLLEGE: 2}


def ordered(unions):
    """Form order: the school union, the graduate union, campus unions, then college unions."""
    return sorted(unions, key=lambda u: (LEVEL_ORDER[u.level], u.kind != Union.Kind.UNDERGRADUATE,
                                         u.college.code if u.college_id else "", u.name))


def findings_for_unions(unions, academic_year: str) -> list[tuple[Union, list[rr.Finding]]]:
    """Findings of many unions (any universities) with a constant number of queries."""
    unions = ordered(unions)
    configs = {}
    out = []
    for union, facts in facts_for_unions(unions, academic_year):
        if union.university_id not in configs:
            configs[union.university_id] = config_for(union.university, academic_year)
        out.append((union, rr.evaluate(facts, configs[union.university_id])))
    return out


def findings_for_university(university, academic_year: str | None = None) -> list[tuple[Union, list[rr.Finding]]]:
    academic_year = academic_year or current_academic_year()
    unions = Union.objects.filter(university=university).select_related("university", "college", "campus")
    return findings_for_unions(unions, academic_year)


# --- live checks -------------------------------------------------------------------------------

def check_change(union: Union, *, add_member=None, add_department: str | None = None,
                 academic_year: str | None = None) -> list[rr.Finding]:
    """The rules a change would break. `add_member` is (student, position, department or None)."""
    academic_year = academic_year or current_academic_year()
    facts = facts_for(union, academic_year)
    config = config_for(union.university, academic_year)
    if add_member is not None:
        student, position, department = add_member
        eligible, reasons = _eligibility([student], academic_year).get(student.pk, (None, ()))
        new_staff = rr.StaffFact(student.name, position, department.name if department else None,
                                 student.political_status, eligible, reasons, key=staff_key(student.pk))
        return rr.check_addition(facts, config, new_staff=new_staff)
    if add_department is not None:
        return rr.check_addition(facts, config, new_department=add_department)
    return []


def can_override(user, union: Union) -> bool:
    """League teachers who manage the union may override a rule with a written reason."""
    return scope_of(user).all_universities or is_league_teacher_of(user, union)


def record_overrides(user, union: Union, findings: list[rr.Finding], *, reason: str, description: str,
                     membership=None, department=None, academic_year: str | None = None) -> list[Override]:
    academic_year = academic_year or current_academic_year()
    return [Override.objects.create(
        university_id=union.university_id, union=union, academic_year=academic_year, rule_id=f.rule.id,
        reason=reason, description=description[:300], actor=user, membership=membership, department=department,
    ) for f in findings]


def check_department_hook(user, union: Union, *, department_name: str, override_reason: str = ""):
    """Registered into `unions.services.STRUCTURE_CHECKS`: S5/S2 and C2 before a department is added."""
    refused = check_change(union, add_department=department_name)
    if not refused:
        return None
    reason = (override_reason or "").strip()
    if not reason or not can_override(user, union):
        raise ValidationError(str(RuleViolation(refused)))

    def record(department):
        record_overrides(user, union, refused, reason=reason, department=department,
                         description=_("Department %(name)s added") % {"name": department.name})

    return record


def unions_overseen_by(user):
    """Unions whose findings an account oversees: League teachers, Party approvers and
    administrators of the university (or of one college)."""
    scope = scope_of(user)
    if scope.all_universities:
        return Union.objects.all()
    return Union.objects.filter(
        Q(university_id__in=scope.oversight_university_ids) | Q(college_id__in=scope.oversight_college_ids)
    )


def can_see_findings(user, union: Union) -> bool:
    """The findings page names cadres with their political status and academic standing (S7/S8,
    C6/C7): only oversight sees it — the union's League teachers, Party approvers in scope and
    administrators. Cadres, even heads who manage the union, do not see their peers' records."""
    return unions_overseen_by(user).filter(pk=union.pk).exists()


def can_attest(user, union: Union) -> bool:
    """A League teacher of this very union, or an administrator of its university, signs the
    attestation items. Roles do not add up: a university-wide Party approver who is League teacher
    of one college attests for that college's unions only."""
    scope = scope_of(user)
    return (scope.all_universities or union.university_id in scope.admin_university_ids
            or is_league_teacher_of(user, union))


@transaction.atomic
def attest(user, union: Union, academic_year: str, rule_id: str, *, attested: bool, text: str = "",
           evidence_url: str = "") -> Attestation:
    """A League teacher of the union (or an administrator) signs one attestation item."""
    if not can_attest(user, union):
        raise PermissionDenied
    attestation, _created = Attestation.objects.update_or_create(
        university_id=union.university_id, union=union, academic_year=academic_year, rule_id=rule_id,
        defaults={"attested": attested, "text": text, "evidence_url": evidence_url, "by": user},
    )
    return attestation

