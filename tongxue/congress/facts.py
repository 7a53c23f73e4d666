"""What the reform self-assessment needs from the congress (rules.md §7 items 11 and C9):
the date of the last session each union held. Registered into `rules.services.CONGRESS_SOURCES`."""
from django.db.models import Max

from .models import CongressSession

HELD = (CongressSession.Status.CONVENED, CongressSession.Status.CLOSED)


def last_session_facts(unions, as_of) -> dict[int, dict]:
    rows = (CongressSession.objects.filter(union__in=unions, status__in=HELD, opens_on__lte=as_of)
            .values("union_id").annotate(last=Max("opens_on")))
    return {row["union_id"]: {"last_session": row["last"]} for row in rows}
