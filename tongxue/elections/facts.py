"""What the reform self-assessment needs from elections (rules.md §7 item 10 and C8): whether the
union's current presidium was elected by its congress. Registered into
`rules.services.CONGRESS_SOURCES`.

A union with no published presidium election is not spoken of ("not recorded"); one that has
held such an election passes when every current presidium member was elected in one of them.
"""
from collections import defaultdict

from tongxue.unions.models import Membership, Position

from .models import Candidate, Election


def presidium_facts(unions, as_of) -> dict[int, dict]:
    union_ids = [u.pk for u in unions]
    elected: dict[int, set[int]] = defaultdict(set)
    held: set[int] = set()
    for union_id, student_id, is_elected in Candidate.objects.filter(
            election__session__union_id__in=union_ids, election__kind=Election.Kind.PRESIDIUM,
            election__status=Election.Status.PUBLISHED, election__session__opens_on__lte=as_of,
    ).values_list("election__session__union_id", "student_id", "is_elected"):
        held.add(union_id)
        if is_elected:
            elected[union_id].add(student_id)
    presidium: dict[int, set[int]] = defaultdict(set)
    for union_id, student_id in Membership.objects.current().filter(
            term__union_id__in=held, position__in=Position.presidium()).values_list("term__union_id", "student_id"):
        presidium[union_id].add(student_id)
    return {union_id: {"presidium_elected_by_congress": bool(presidium[union_id])
                       and presidium[union_id] <= elected[union_id]}
            for union_id in held}
