"""The database-backed working-day calendar (tongxue.core.workcalendar): package years, database
years that replace them once complete, university overrides, the cache, gaps and status."""
import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from tongxue.core import workcalendar as wc
from tongxue.core.models import CalendarOverride, OfficialCalendarDay, OfficialCalendarYear
from tongxue.domain.official_calendar import official_calendar
from tongxue.domain.workdays import SHANGHAI, CalendarGap

pytestmark = pytest.mark.django_db

D = datetime.date
HOLIDAY, WORKDAY = OfficialCalendarDay.Kind.HOLIDAY, OfficialCalendarDay.Kind.MAKEUP_WORKDAY
CLOSURE, EXTRA = CalendarOverride.Kind.CLOSURE, CalendarOverride.Kind.EXTRA_WORKDAY


def at(day, hour=0):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def test_without_database_rows_the_calendar_is_the_package():
    calendar = wc.calendar_for(None)
    package = official_calendar()
    assert calendar == package
    assert 2026 in calendar.years and 2027 not in calendar.years
    assert not calendar.is_working_day(D(2026, 10, 1)) and calendar.is_working_day(D(2026, 10, 10))


def test_a_complete_database_year_replaces_the_package_year(world):
    admin = world.fed_admin
    wc.add_official_day(admin, D(2026, 3, 2), HOLIDAY, "勘误测试")
    # a draft changes nothing
    assert not OfficialCalendarYear.objects.get(year=2026).is_complete
    calendar = wc.calendar_for(None)
    assert calendar.is_working_day(D(2026, 3, 2)) and not calendar.is_working_day(D(2026, 10, 1))
    wc.set_official_year(admin, 2026, is_complete=True, note="勘误")
    calendar = wc.calendar_for(None)
    assert not calendar.is_working_day(D(2026, 3, 2))
    # the package's days of 2026 no longer count: only the database's
    assert calendar.is_working_day(D(2026, 10, 1)) and not calendar.is_working_day(D(2026, 10, 10))
    assert not calendar.is_working_day(D(2025, 10, 8))  # other package years untouched
    assert [day.date for day in wc.official_days(2026)] == [D(2026, 3, 2)]


def test_copying_the_package_year_then_correcting_it(world):
    admin = world.fed_admin
    copied = wc.copy_package_year(admin, 2026)
    assert len(copied) == len(wc.package_days(2026)) and not wc.complete_database_years()
    OfficialCalendarDay.objects.get(date=D(2026, 10, 10)).delete()  # an erratum: no make-up day
    wc.set_official_year(admin, 2026, is_complete=True)
    calendar = wc.calendar_for(None)
    assert calendar.is_working_day(D(2026, 10, 10)) is False  # a Saturday, now an ordinary one
    assert not calendar.is_working_day(D(2026, 10, 1)) and calendar.is_working_day(D(2026, 9, 20))
    with pytest.raises(ValidationError):
        wc.copy_package_year(admin, 2027)


def test_an_incomplete_year_is_not_covered_and_a_2027_deadline_waits_for_it(world):
    admin = world.fed_admin
    start = at(D(2026, 12, 28), 10)  # Monday
    with pytest.raises(CalendarGap):
        wc.calendar_for(world.university.pk).add_working_days(start, 5)
    wc.import_official_days(admin, "2027-01-01 holiday 元旦")
    assert 2027 not in wc.covered_years()
    with pytest.raises(CalendarGap):
        wc.calendar_for(world.university.pk).add_working_days(start, 5)
    wc.set_official_year(admin, 2027, is_complete=True)
    assert 2027 in wc.covered_years()
    # Dec 29, 30, 31, (Jan 1 holiday), Jan 4, Jan 5
    assert wc.calendar_for(world.university.pk).add_working_days(start, 5) == at(D(2027, 1, 6))


def test_a_year_cannot_be_complete_without_a_holiday(world):
    with pytest.raises(ValidationError):
        wc.set_official_year(world.fed_admin, 2027, is_complete=True)
    assert not OfficialCalendarYear.objects.filter(year=2027, is_complete=True).exists()


def test_university_overrides_apply_on_top_and_only_to_their_university(world):
    u = world.university
    wc.add_override(world.univ_admin, u, D(2026, 10, 10), CLOSURE, "校区停电")  # official make-up day
    wc.add_override(world.league_school, u, D(2026, 10, 7), EXTRA, "迎新")  # official holiday
    wc.add_override(world.univ_admin, u, D(2026, 7, 20), CLOSURE, "暑假")  # an ordinary Monday
    ours, national, other = (wc.calendar_for(u.pk), wc.calendar_for(None),
                             wc.calendar_for(world.other_university.pk))
    assert not ours.is_working_day(D(2026, 10, 10)) and national.is_working_day(D(2026, 10, 10))
    assert ours.is_working_day(D(2026, 10, 7)) and not other.is_working_day(D(2026, 10, 7))
    assert not ours.is_working_day(D(2026, 7, 20)) and other.is_working_day(D(2026, 7, 20))
    # an override for a year without a calendar is kept but not applied (and does not invent coverage)
    wc.add_override(world.univ_admin, u, D(2027, 1, 4), CLOSURE, "寒假")
    assert 2027 not in wc.calendar_for(u.pk).years


def test_only_the_right_roles_change_the_calendar(world):
    with pytest.raises(PermissionDenied):
        wc.add_official_day(world.univ_admin, D(2026, 3, 2), HOLIDAY, "x")
    with pytest.raises(PermissionDenied):
        wc.add_override(world.other_admin, world.university, D(2026, 3, 2), CLOSURE)
    with pytest.raises(PermissionDenied):
        wc.add_override(world.league_a, world.university, D(2026, 3, 2), CLOSURE)  # a college League teacher
    with pytest.raises(PermissionDenied):
        wc.add_override(world.student_a.user, world.university, D(2026, 3, 2), CLOSURE)
    assert wc.add_override(world.fed_admin, world.university, D(2026, 3, 2), CLOSURE).pk
    assert not OfficialCalendarDay.objects.exists()


def test_the_built_calendar_is_cached_and_edits_invalidate_it(world, django_assert_num_queries):
    u = world.university
    first = wc.calendar_for(u.pk)
    with django_assert_num_queries(0):
        assert wc.calendar_for(u.pk) is first
    override = wc.add_override(world.univ_admin, u, D(2026, 3, 2), CLOSURE)
    assert not wc.calendar_for(u.pk).is_working_day(D(2026, 3, 2))
    override.kind = EXTRA
    override.save()
    assert wc.calendar_for(u.pk).is_working_day(D(2026, 3, 2))
    wc.remove_override(world.univ_admin, override)
    assert wc.calendar_for(u.pk) == first
    day = wc.add_official_day(world.fed_admin, D(2027, 1, 1), HOLIDAY, "元旦")
    wc.set_official_year(world.fed_admin, 2027, is_complete=True)
    assert 2027 in wc.calendar_for(u.pk).years
    wc.remove_official_day(world.fed_admin, day)
    OfficialCalendarYear.objects.filter(year=2027).delete()
    assert 2027 not in wc.calendar_for(u.pk).years


def test_calendar_status_finds_where_deadlines_start_to_fail():
    today = D(2026, 11, 27)
    status = wc.calendar_status(None, 15, today=today)
    assert status.first_uncovered_year == 2027 and 2026 in status.covered_years
    assert status.next_year_missing and not status.gap_reached
    calendar = wc.calendar_for(None)
    before = status.gap_starts - datetime.timedelta(days=1)
    assert calendar.add_working_days(before, 15) <= at(D(2027, 1, 1), 0)
    with pytest.raises(CalendarGap):
        calendar.add_working_days(status.gap_starts, 15)
    assert wc.calendar_status(None, 15, today=D(2026, 12, 20)).gap_reached
    assert wc.calendar_status(None, 0, today=today).gap_starts == D(2027, 1, 1)
    assert not wc.calendar_status(None, 15, today=D(2025, 3, 1)).next_year_missing


def test_pasted_days_are_all_or_nothing_with_every_wrong_line(world):
    text = "\n".join([
        "# 测试数据",
        "2027-01-01 holiday 元旦",
        "2027-02-30 休 春节",          # no such date
        "2027-02-01 班 春节",          # a Monday cannot be a make-up working day
        "2027-03-01 放风 x",           # unknown kind
        "2027-01-01 休 元旦",          # twice
        "元旦放假",                     # no date
    ])
    with pytest.raises(wc.CalendarImportError) as caught:
        wc.import_official_days(world.fed_admin, text)
    assert [error.line for error in caught.value.line_errors] == [3, 4, 5, 6, 7]
    assert not OfficialCalendarDay.objects.exists() and not OfficialCalendarYear.objects.exists()
    days = wc.import_official_days(world.fed_admin, "2027-01-01 holiday 元旦\n2027-01-02~2027-01-03 休 元旦")
    assert [day.date for day in days] == [D(2027, 1, 1), D(2027, 1, 2), D(2027, 1, 3)]
    # pasting again updates instead of failing
    wc.import_official_days(world.fed_admin, "2027-01-03 holiday 元旦假期")
    assert OfficialCalendarDay.objects.get(date=D(2027, 1, 3)).name == "元旦假期"
    with pytest.raises(PermissionDenied):
        wc.import_official_days(world.univ_admin, "2027-01-04 holiday x")


def test_calendar_changes_are_audited(world):
    wc.add_official_day(world.fed_admin, D(2027, 1, 1), HOLIDAY, "元旦")
    override = wc.add_override(world.univ_admin, world.university, D(2026, 7, 20), CLOSURE, "暑假")
    national = LogEntry.objects.get_for_model(OfficialCalendarDay).get()
    assert national.additional_data == {"university_id": None, "college_id": None}
    entry = LogEntry.objects.get_for_object(override).get()
    assert entry.additional_data["university_id"] == world.university.pk
