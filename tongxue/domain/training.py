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
