"""Cadre assessment (考核) arithmetic: weighted multi-source totals and grade bands (issue 3, item 6).

A cadre is rated by up to five sources (self, peers, supervisor, League teacher, students
served). Each rating has a performance and a conduct (作风) score from 0 to 100; a rating's
value is their mix (`conduct_share`, half by default). A source's value is the mean of its
ratings, and the total is the weighted mean of the sources' values.

Missing sources are re-normalised: when a source gave no rating (nobody in the students'
survey, no League teacher rating yet), its weight is spread over the sources that did, in
proportion to their weights — the total is `sum(w_s · v_s) / sum(w_s)` over present sources.
A cadre is thus neither punished nor rewarded for a source that did not take part; the result
page shows which sources counted. With no source at all there is no total.
"""
from collections.abc import Iterable, Mapping

SELF = "self"
PEER = "peer"
SUPERVISOR = "supervisor"
LEAGUE = "league"
STUDENTS = "students"
SOURCES = (SELF, PEER, SUPERVISOR, LEAGUE, STUDENTS)

DEFAULT_WEIGHTS: dict[str, int] = {SELF: 10, PEER: 20, SUPERVISOR: 30, LEAGUE: 20, STUDENTS: 20}

EXCELLENT = "excellent"  # 优秀
GOOD = "good"            # 良好
PASS = "pass"            # 合格
FAIL = "fail"            # 不合格
GRADES = (EXCELLENT, GOOD, PASS, FAIL)
# Lowest total for each band; below the "pass" threshold is a fail.
DEFAULT_THRESHOLDS: dict[str, float] = {EXCELLENT: 90, GOOD: 80, PASS: 60}


def weight_errors(weights: Mapping[str, float]) -> list[str]:
    """Problems with a weight table, as short English codes (empty when valid): every source
    present, none negative, summing to 100."""
    errors = []
    if set(weights) != set(SOURCES):
        errors.append("sources")
    elif any(w < 0 for w in weights.values()):
        errors.append("negative")
    elif abs(sum(weights.values()) - 100) > 1e-9:
        errors.append("sum")
    return errors


def threshold_errors(thresholds: Mapping[str, float]) -> list[str]:
    """Thresholds need each band, within 0–100, excellent ≥ good ≥ pass."""
    if set(thresholds) != {EXCELLENT, GOOD, PASS}:
        return ["bands"]
    if not all(0 <= thresholds[b] <= 100 for b in thresholds):
        return ["range"]
    if not thresholds[EXCELLENT] >= thresholds[GOOD] >= thresholds[PASS]:
        return ["order"]
    return []


def rating_value(performance: float, conduct: float, conduct_share: float = 0.5) -> float:
    return performance * (1 - conduct_share) + conduct * conduct_share


def source_values(ratings: Iterable[tuple[str, float, float]], conduct_share: float = 0.5) -> dict[str, float]:
    """Mean rating value per source from (source, performance, conduct) triples."""
    sums: dict[str, float] = {}
    counts: dict[str, int] = {}
    for source, performance, conduct in ratings:
        sums[source] = sums.get(source, 0.0) + rating_value(performance, conduct, conduct_share)
        counts[source] = counts.get(source, 0) + 1
    return {source: sums[source] / counts[source] for source in sums}


def weighted_total(values: Mapping[str, float], weights: Mapping[str, float]) -> float | None:
    """Weighted mean of the sources present in `values`, re-normalised over their weights.
    None when no present source carries weight."""
    present = [(weights.get(source, 0), value) for source, value in values.items() if weights.get(source, 0) > 0]
    total_weight = sum(w for w, _ in present)
    if total_weight <= 0:
        return None
    return sum(w * v for w, v in present) / total_weight


def grade_for(total: float | None, thresholds: Mapping[str, float] = DEFAULT_THRESHOLDS) -> str | None:
    """The grade band of a total (None for no total)."""
    if total is None:
        return None
    for band in (EXCELLENT, GOOD, PASS):
        if total >= thresholds[band]:
            return band
    return FAIL
