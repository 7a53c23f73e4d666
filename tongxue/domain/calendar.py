"""The academic calendar: the one definition of an academic year and its two terms, used by
training (C10), the reform rules (year tables, as-of dates) and eligibility (first-years).

No Django import.

* An academic year runs from 1 September to 31 August and is named by the calendar year it
  starts in: `2025` is the academic year "2025-2026" (1 September 2025 – 31 August 2026).
* Its autumn term is September–January, its spring term February–August (the summer belongs to
  the spring term of the year that is ending: a session on 20 August 2026 is spring 2025-2026).
* Labels of academic records are "2025-2026" for a year and "2025-2026-1" for a term; their
  first nine characters name the academic year, so they sort chronologically as text.
"""
from __future__ import annotations

import datetime

START_MONTH = 9          # 1 September
SPRING = "spring"
AUTUMN = "autumn"
SEASONS = (AUTUMN, SPRING)   # in calendar order within an academic year


def academic_year_start(day: datetime.date, start_month: int = START_MONTH) -> int:
    """The calendar year in which the academic year containing `day` began (January 2026 → 2025)."""
    return day.year if day.month >= start_month else day.year - 1


def academic_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of academic year `year` (1 September `year` to 31 August `year + 1`)."""
    return datetime.date(year, START_MONTH, 1), datetime.date(year + 1, START_MONTH, 1) - datetime.timedelta(days=1)


def academic_year_label(year: int) -> str:
    """The name of academic year `year`: 2025 → "2025-2026"."""
    return f"{year}-{year + 1}"


def academic_year_from_label(label: str) -> int:
    """The start year of a label "2025-2026" (also of a term label "2025-2026-1"): 2025."""
    return int(label[:4])


def label_of(day: datetime.date) -> str:
    """The name of the academic year containing `day`: 20 August 2026 → "2025-2026"."""
    return academic_year_label(academic_year_start(day))


def season_of(day: datetime.date) -> str:
    """The term a date falls in: September–January is autumn, February–August spring."""
    return SPRING if 2 <= day.month <= 8 else AUTUMN


def season_bounds(year: int, season: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of the autumn (1 September – 31 January) or spring (1 February –
    31 August) term of academic year `year`."""
    if season == AUTUMN:
        return datetime.date(year, START_MONTH, 1), datetime.date(year + 1, 2, 1) - datetime.timedelta(days=1)
    return datetime.date(year + 1, 2, 1), academic_year_bounds(year)[1]


def season_end(year: int, season: str) -> datetime.date:
    """Last day of the autumn (31 January) or spring (31 August) term of academic year `year`."""
    return season_bounds(year, season)[1]


def as_of_date(year: int, today: datetime.date) -> datetime.date:
    """The day a table of academic year `year` is judged on: its last day, or `today` if earlier."""
    return min(today, academic_year_bounds(year)[1])
