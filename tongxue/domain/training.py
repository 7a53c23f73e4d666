"""Academic calendar arithmetic for training (rules.md §7, second-level item "spring and autumn
training for all staff").

The calendar itself is `tongxue.domain.calendar`, shared with the reform rules and eligibility:
an academic year runs from 1 September to 31 August and is named by the year it starts in (2025
means 2025-2026); its autumn term is September–January, its spring term February–August. The
names below are kept for the callers of this module.
"""
import datetime

from tongxue.domain.calendar import AUTUMN, SPRING, academic_year_bounds, season_end, season_of
from tongxue.domain.calendar import academic_year_start as _academic_year_start

__all__ = ["AUTUMN", "SPRING", "academic_year_bounds", "academic_year_of", "full_staff_attendance", "season_end",
           "season_of"]


def academic_year_of(day: datetime.date) -> int:
    """The starting year of the academic year a date belongs to (January 2026 → 2025)."""
    return _academic_year_start(day)


def full_staff_attendance(attended: list[bool], *, season_over: bool) -> float | None:
    """Share of the staff who attended a session of a term, for the rule "spring and autumn
    training for all staff". While the term is still running and not everyone has attended yet,
    the answer is not known (None); after it, the share stands (0.0 with no session at all)."""
    if not attended:
        return None
    share = sum(attended) / len(attended)
    if share < 1 and not season_over:
        return None
    return share
