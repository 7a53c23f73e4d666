"""Academic calendar arithmetic for training (rules.md §7, second-level item "spring and autumn
training for all staff").

An academic year runs from August to July and is named by the year it starts in (2025 means
2025-2026). Its autumn term is August–January, its spring term February–July.
"""
import datetime

SPRING = "spring"
AUTUMN = "autumn"


def season_of(day: datetime.date) -> str:
    """The term a date falls in: February–July is spring, August–January autumn."""
    return SPRING if 2 <= day.month <= 7 else AUTUMN


def academic_year_of(day: datetime.date) -> int:
    """The starting year of the academic year a date belongs to (January 2026 → 2025)."""
    return day.year if day.month >= 8 else day.year - 1


def academic_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of academic year `year` (1 August to 31 July)."""
    return datetime.date(year, 8, 1), datetime.date(year + 1, 7, 31)


def season_end(year: int, season: str) -> datetime.date:
    """Last day of the autumn (31 January) or spring (31 July) term of academic year `year`."""
    return datetime.date(year + 1, 1, 31) if season == AUTUMN else datetime.date(year + 1, 7, 31)


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
