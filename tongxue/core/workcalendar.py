"""The working-day calendar that deadlines are counted with (conventions.md, Calendar; issue 4
item 3): the State Council's holiday schedule plus each university's own overrides.

Sources, in order:

1. The `chinesecalendar` package (official_calendar.py) for the years it was released with.
2. `OfficialCalendarYear` / `OfficialCalendarDay`, entered by federation administrators when the
   State Council publishes a new year's notice (usually in November), or to correct the package.
   A database year counts only once it is marked complete; then its days *replace* the
   package's days for that year. An incomplete year is a draft and changes nothing.
3. `CalendarOverride` of one university (term breaks, campus closures, extra working days),
   applied on top as in `official_calendar.official_calendar`: a closure wins over an official
   make-up day, an extra working day over an official holiday.

A year covered by neither source has no calendar: counting into it raises `CalendarGap`
(never guess). `calendar_status` tells pages from which day deadlines start to hit that gap.

`calendar_for` is called for every deadline computation, so the built calendar is kept per
process, keyed by a version token held in the Django cache (shared between processes when the
cache is Redis). Saving or deleting any of the three models replaces the token at once and again
when the transaction commits (a reader in between may have built from the old rows). With the
per-process LocMemCache other processes cannot see the new token, so a kept calendar is also
rebuilt after `MEMO_SECONDS`.

Editing goes through the service functions below (one per change: permission, one transaction,
audit by django-auditlog through the registered models).
"""
from __future__ import annotations

import dataclasses
import datetime
import re
import threading
import time
import uuid

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from tongxue.domain import official_calendar as package
from tongxue.domain.workdays import ONE_DAY, CalendarGap, WorkCalendar

from .models import CalendarOverride, OfficialCalendarDay, OfficialCalendarYear
from .scope import scope_of

VERSION_KEY = "tongxue:workcalendar:version"
MEMO_SECONDS = 60
MEMO_SIZE = 512
DEFAULT_DEADLINE_DAYS = 15  # the longest default deadline of the rights desk (closed within 15)

HOLIDAY = OfficialCalendarDay.Kind.HOLIDAY
MAKEUP_WORKDAY = OfficialCalendarDay.Kind.MAKEUP_WORKDAY

# Chinese names of the package's holidays (chinese_calendar.Holiday member names).
PACKAGE_HOLIDAY_NAMES = {
    "new_years_day": "元旦", "spring_festival": "春节", "tomb_sweeping_day": "清明节",
    "labour_day": "劳动节", "dragon_boat_festival": "端午节", "national_day": "国庆节",
    "mid_autumn_festival": "中秋节",
    "anti_fascist_70th_day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


# ---------------------------------------------------------------- reading the calendar

@dataclasses.dataclass(frozen=True)
class CalendarDay:
    """One day of the official schedule as shown on the calendar page."""
    date: datetime.date
    kind: str  # OfficialCalendarDay.Kind value
    name: str
    source: str  # "package" or "database"
    pk: int | None = None

    def get_kind_display(self) -> str:
        return OfficialCalendarDay.Kind(self.kind).label


def package_years() -> frozenset[int]:
    """The years the installed chinesecalendar package covers."""
    return frozenset(package.covered_years())


def _package_name(value) -> str:
    """The Chinese name of a package holiday (the package stores English names)."""
    import chinese_calendar

    for member in chinese_calendar.Holiday:
        if member.value == value or member == value:
            return PACKAGE_HOLIDAY_NAMES.get(member.name, str(value))
    return str(value)


def package_days(year: int) -> list[CalendarDay]:
    """The package's days of `year` (empty when it does not cover the year)."""
    import chinese_calendar

    days = [CalendarDay(d, HOLIDAY, _package_name(v), "package") for d, v in chinese_calendar.holidays.items()
            if d.year == year]
    days += [CalendarDay(d, MAKEUP_WORKDAY, _package_name(v), "package") for d, v in chinese_calendar.workdays.items()
             if d.year == year]
    return sorted(days, key=lambda day: day.date)


def database_days(year: int) -> list[CalendarDay]:
    return [CalendarDay(day.date, day.kind, day.name, "database", day.pk)
            for day in OfficialCalendarDay.objects.filter(date__year=year).order_by("date")]


def complete_database_years() -> frozenset[int]:
    return frozenset(OfficialCalendarYear.objects.filter(is_complete=True).values_list("year", flat=True))


def covered_years() -> frozenset[int]:
    """Every year with a calendar: the package's and the database years marked complete."""
    return package_years() | complete_database_years()


def official_days(year: int) -> list[CalendarDay]:
    """The official days that count for `year`: the database's when the year is marked complete
    there, else the package's (empty for a year without a calendar)."""
    if OfficialCalendarYear.objects.filter(year=year, is_complete=True).exists():
        return database_days(year)
    return package_days(year)


def _build(university_id: int | None) -> WorkCalendar:
    import chinese_calendar

    from_package = package_years()
    from_database = complete_database_years()
    years = from_package | from_database
    package_only = from_package - from_database
    holidays = {d for d in chinese_calendar.holidays if d.year in package_only}
    makeup = {d for d in chinese_calendar.workdays if d.year in package_only}
    if from_database:
        rows = OfficialCalendarDay.objects.filter(date__year__in=from_database).values_list("date", "kind")
        for day, kind in rows:
            (holidays if kind == HOLIDAY else makeup).add(day)
    closures: set[datetime.date] = set()
    extra_workdays: set[datetime.date] = set()
    if university_id is not None:
        rows = CalendarOverride.objects.filter(university_id=university_id).values_list("date", "kind")
        for day, kind in rows:
            if day.year in years:
                (closures if kind == CalendarOverride.Kind.CLOSURE else extra_workdays).add(day)
    return WorkCalendar(
        holidays=frozenset((holidays - extra_workdays) | closures),
        makeup_workdays=frozenset((makeup - closures) | extra_workdays),
        years=frozenset(years),
    )


_memo: dict[tuple[str, int | None], tuple[float, WorkCalendar]] = {}
_memo_lock = threading.Lock()


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def bump_version() -> None:
    """Make every process rebuild its calendars (called when calendar data changes)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    with _memo_lock:
        _memo.clear()


def calendar_for(university_id: int | None) -> WorkCalendar:
    """The working-day calendar of a university (None: the national calendar without overrides),
    covering every year of the package and every database year marked complete."""
    key = (_version(), university_id)
    now = time.monotonic()
    kept = _memo.get(key)
    if kept is not None and now - kept[0] < MEMO_SECONDS:
        return kept[1]
    calendar = _build(university_id)
    with _memo_lock:
        if len(_memo) >= MEMO_SIZE:
            _memo.clear()
        _memo[key] = (now, calendar)
    return calendar


@dataclasses.dataclass(frozen=True)
class CalendarStatus:
    """How far the calendar reaches, for pages that warn before deadlines hit a gap."""
    covered_years: tuple[int, ...]
    first_uncovered_year: int  # the first year from the current one on without a calendar
    working_days: int
    gap_starts: datetime.date  # a deadline of `working_days` counted from this day on hits the gap
    today: datetime.date

    @property
    def next_year_missing(self) -> bool:
        """The next year (or this one) has no calendar yet: time to enter it."""
        return self.first_uncovered_year <= self.today.year + 1

    @property
    def gap_reached(self) -> bool:
        """Deadlines counted from today already fail."""
        return self.today >= self.gap_starts


def calendar_status(university_id: int | None, working_days: int = DEFAULT_DEADLINE_DAYS,
                    today: datetime.date | None = None) -> CalendarStatus:
    """The covered years, the first year from today's on without a calendar, and the first day
    from which a deadline of `working_days` working days would raise CalendarGap."""
    from django.utils import timezone

    from tongxue.domain.workdays import local_day

    if working_days < 0:
        raise ValueError("a number of working days cannot be negative")
    today = today or local_day(timezone.now())
    calendar = calendar_for(university_id)
    first_gap = today.year
    while first_gap in calendar.years:
        first_gap += 1
    last_covered = datetime.date(first_gap, 1, 1) - ONE_DAY
    if first_gap == today.year:
        gap_starts = min(today, datetime.date(first_gap, 1, 1))
    elif working_days == 0:
        gap_starts = datetime.date(first_gap, 1, 1)
    else:
        # the n-th working day counted back from the last covered day (inclusive): from there on,
        # fewer than n working days follow inside the covered years
        day, counted = last_covered, 0
        while True:
            if not calendar.covers(day):
                day += ONE_DAY  # the covered stretch is shorter than n working days
                break
            if calendar.is_working_day(day):
                counted += 1
                if counted == working_days:
                    break
            day -= ONE_DAY
        gap_starts = day
    return CalendarStatus(covered_years=tuple(sorted(calendar.years)), first_uncovered_year=first_gap,
                          working_days=working_days, gap_starts=gap_starts, today=today)


def gap_message(gap: CalendarGap) -> str:
    """A translated explanation of a CalendarGap for users."""
    return _("The holiday schedule for %(year)s has not been entered yet, so working days in %(year)s cannot "
             "be counted. A federation administrator enters it on the calendar page once the State Council "
             "publishes it.") % {"year": gap.year}


# ---------------------------------------------------------------- who may edit

def may_edit_official(user) -> bool:
    """The national schedule is kept by federation administrators (and superusers)."""
    return scope_of(user).all_universities


def override_university_ids(user) -> frozenset[int] | None:
    """Universities whose overrides the account keeps (None: all of them)."""
    scope = scope_of(user)
    if scope.all_universities:
        return None
    return scope.admin_university_ids | scope.league_university_ids


def may_edit_overrides(user, university_id: int | None = None) -> bool:
    """University administrators and school-wide League teachers keep their university's
    overrides; federation administrators any university's. Without a university: any."""
    ids = override_university_ids(user)
    if ids is None:
        return True
    return bool(ids) if university_id is None else university_id in ids


def may_view(user) -> bool:
    return may_edit_official(user) or may_edit_overrides(user)


# ---------------------------------------------------------------- changes

def _check_official_day(date: datetime.date, kind: str) -> None:
    if kind not in OfficialCalendarDay.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of day.")})
    if kind == MAKEUP_WORKDAY and date.weekday() < 5:
        raise ValidationError({"date": _("A make-up working day is a Saturday or a Sunday.")})


def _ensure_year(year: int, user) -> OfficialCalendarYear:
    return OfficialCalendarYear.objects.get_or_create(year=year, defaults={"updated_by": user})[0]


@transaction.atomic
def add_official_day(user, date: datetime.date, kind: str, name: str = "") -> OfficialCalendarDay:
    """Enter one day of the State Council's schedule (the year is created as a draft if new)."""
    if not may_edit_official(user):
        raise PermissionDenied
    _check_official_day(date, kind)
    if OfficialCalendarDay.objects.filter(date=date).exists():
        raise ValidationError({"date": _("This day is already entered; remove it first to change it.")})
    _ensure_year(date.year, user)
    return OfficialCalendarDay.objects.create(date=date, kind=kind, name=name.strip())


@transaction.atomic
def remove_official_day(user, day: OfficialCalendarDay) -> None:
    if not may_edit_official(user):
        raise PermissionDenied
    day.delete()


@transaction.atomic
def set_official_year(user, year: int, *, is_complete: bool, note: str = "") -> OfficialCalendarYear:
    """Mark a year complete (its database days then count, replacing the package's) or back to
    draft. A complete year needs at least one public holiday: an empty year is a mistake."""
    if not may_edit_official(user):
        raise PermissionDenied
    if is_complete and not OfficialCalendarDay.objects.filter(date__year=year, kind=HOLIDAY).exists():
        raise ValidationError({"is_complete": _("Enter the public holidays of %(year)s before marking the year "
                                                "complete.") % {"year": year}})
    record, _created = OfficialCalendarYear.objects.select_for_update().get_or_create(year=year)
    record.is_complete = is_complete
    record.note = note.strip()
    record.updated_by = user
    record.save()
    return record


@transaction.atomic
def copy_package_year(user, year: int) -> list[OfficialCalendarDay]:
    """Copy the package's days of `year` into the database, to correct an erratum there: the copy
    is a draft until the year is marked complete. Days already entered are kept."""
    if not may_edit_official(user):
        raise PermissionDenied
    days = package_days(year)
    if not days:
        raise ValidationError(_("The chinesecalendar package has no schedule for %(year)s.") % {"year": year})
    _ensure_year(year, user)
    existing = set(OfficialCalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    return [OfficialCalendarDay.objects.create(date=day.date, kind=day.kind, name=day.name)
            for day in days if day.date not in existing]


@dataclasses.dataclass(frozen=True)
class LineError:
    line: int
    text: str
    message: str


class CalendarImportError(ValidationError):
    """The pasted schedule has wrong lines; nothing was saved."""

    def __init__(self, errors: list[LineError]):
        self.line_errors = errors
        super().__init__([f"{error.line}: {error.message}" for error in errors])


HOLIDAY_WORDS = {"holiday", "休", "假", "放假", "休息", "节假日"}
WORKDAY_WORDS = {"workday", "makeup", "make-up", "班", "上班", "调休上班", "补班"}
_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_LINE = re.compile(rf"^{_DATE}(?:\s*(?:~|～|\.\.|至|到)\s*{_DATE})?[\s,，、;；]*(\S+)[\s,，、;；]*(.*)$")
MAX_RANGE_DAYS = 15


def parse_official_days(text: str) -> tuple[list[tuple[int, datetime.date, str, str]], list[LineError]]:
    """Read pasted lines `2027-01-01 holiday 元旦` (or a range `2027-02-06~2027-02-14 休 春节`,
    kinds holiday/休/假 and workday/班/上班) into (line, date, kind, name) entries and errors.
    Empty lines and lines starting with # are skipped."""
    entries: list[tuple[int, datetime.date, str, str]] = []
    errors: list[LineError] = []
    seen: dict[datetime.date, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            errors.append(LineError(number, line, _("Write a date (2027-01-01), a kind (holiday or workday) and "
                                                    "a name.")))
            continue
        parts = match.groups()
        try:
            first = datetime.date(*map(int, parts[0:3]))
            last = datetime.date(*map(int, parts[3:6])) if parts[3] else first
        except ValueError:
            errors.append(LineError(number, line, _("This date does not exist.")))
            continue
        word = parts[6].lower()
        if word in HOLIDAY_WORDS:
            kind = HOLIDAY
        elif word in WORKDAY_WORDS:
            kind = MAKEUP_WORKDAY
        else:
            errors.append(LineError(number, line, _("Unknown kind “%(word)s”: write holiday (休) or workday "
                                                    "(班).") % {"word": parts[6]}))
            continue
        if last < first or (last - first).days >= MAX_RANGE_DAYS or last.year != first.year:
            errors.append(LineError(number, line, _("A range runs forward within one year and spans at most "
                                                    "%(days)s days.") % {"days": MAX_RANGE_DAYS}))
            continue
        name = parts[7].strip()[:50]
        day = first
        while day <= last:
            if kind == MAKEUP_WORKDAY and day.weekday() < 5:
                errors.append(LineError(number, line, _("A make-up working day is a Saturday or a Sunday.")))
                break
            if day in seen:
                errors.append(LineError(number, line, _("%(date)s is already on line %(line)s.")
                                        % {"date": day.isoformat(), "line": seen[day]}))
                break
            seen[day] = number
            entries.append((number, day, kind, name))
            day += ONE_DAY
    return entries, errors


@transaction.atomic
def import_official_days(user, text: str) -> list[OfficialCalendarDay]:
    """Enter pasted days of the State Council's notice: all lines or none (CalendarImportError
    lists every wrong line). A day already entered takes the pasted kind and name. New years
    are created as drafts; marking them complete is a separate step."""
    if not may_edit_official(user):
        raise PermissionDenied
    entries, errors = parse_official_days(text)
    if errors:
        raise CalendarImportError(errors)
    if not entries:
        raise CalendarImportError([LineError(0, "", _("Paste at least one day."))])
    saved = []
    for year in sorted({day.year for _line, day, _kind, _name in entries}):
        _ensure_year(year, user)
    existing = {day.date: day for day in OfficialCalendarDay.objects.select_for_update()
                .filter(date__in=[day for _line, day, _kind, _name in entries])}
    for _line, date, kind, name in entries:
        record = existing.get(date)
        if record is None:
            record = OfficialCalendarDay.objects.create(date=date, kind=kind, name=name)
        elif (record.kind, record.name) != (kind, name):
            record.kind, record.name = kind, name
            record.save()
        saved.append(record)
    return saved


@transaction.atomic
def add_override(user, university, date: datetime.date, kind: str, note: str = "") -> CalendarOverride:
    """Enter a closure or an extra working day of one university."""
    if not may_edit_overrides(user, university.pk):
        raise PermissionDenied
    if kind not in CalendarOverride.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of day.")})
    if CalendarOverride.objects.filter(university=university, date=date).exists():
        raise ValidationError({"date": _("This day already has an override; remove it first to change it.")})
    return CalendarOverride.objects.create(university=university, date=date, kind=kind, note=note.strip())


@transaction.atomic
def remove_override(user, override: CalendarOverride) -> None:
    if not may_edit_overrides(user, override.university_id):
        raise PermissionDenied
    override.delete()


# ---------------------------------------------------------------- invalidation

def _changed(sender, **kwargs) -> None:
    bump_version()
    transaction.on_commit(bump_version)


for _model in (OfficialCalendarYear, OfficialCalendarDay, CalendarOverride):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"workcalendar-save-{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"workcalendar-delete-{_model.__name__}")
