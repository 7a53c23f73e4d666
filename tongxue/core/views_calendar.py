"""The working-day calendar page (/calendar/; conventions.md, Calendar): which years deadlines
can be counted in, a warning before the next year runs out of data, the official days of a year
and a university's overrides, with the forms that change them.

Federation administrators keep the national schedule (days, bulk paste, year complete, copy of
the package's year for errata); university administrators and school-wide League teachers keep
their university's overrides. Everyone else gets 403. Changes go through `workcalendar.py`.
"""
import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tongxue.domain.workdays import local_day

from . import workcalendar
from .forms_calendar import BulkDaysForm, OfficialDayForm, OfficialYearForm, OverrideForm
from .models import CalendarOverride, OfficialCalendarDay, OfficialCalendarYear, University

MIN_YEAR, MAX_YEAR = 2000, 2100


def _check_access(request) -> None:
    if not workcalendar.may_view(request.user):
        raise PermissionDenied


def _universities(user):
    ids = workcalendar.override_university_ids(user)
    universities = University.objects.all()
    return universities if ids is None else universities.filter(pk__in=ids)


def _int(value, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _year(request) -> int:
    today = local_day(timezone.now())
    year = _int(request.GET.get("year") or request.POST.get("year"), today.year)
    return min(max(year, MIN_YEAR), MAX_YEAR)


def _university(request, universities):
    pk = _int(request.GET.get("university") or request.POST.get("university"))
    chosen = universities.filter(pk=pk).first() if pk else None
    return chosen or universities.first()


def _page_url(year: int, university) -> str:
    query = {"year": year}
    if university is not None:
        query["university"] = university.pk
    return f"{reverse('calendar:page')}?{urlencode(query)}"


def _ranges(years) -> list[tuple[int, int]]:
    """Consecutive years folded into (first, last) ranges: 2004–2026, 2028."""
    ranges: list[list[int]] = []
    for year in sorted(years):
        if ranges and ranges[-1][1] == year - 1:
            ranges[-1][1] = year
        else:
            ranges.append([year, year])
    return [(first, last) for first, last in ranges]


def _render(request, year: int, university, *, status: int = 200, **forms):
    user = request.user
    universities = _universities(user)
    may_edit_official = workcalendar.may_edit_official(user)
    calendar_status = workcalendar.calendar_status(university.pk if university else None)
    db_year = OfficialCalendarYear.objects.filter(year=year).select_related("updated_by").first()
    is_db_complete = bool(db_year and db_year.is_complete)
    in_package = year in workcalendar.package_years()
    draft_days = workcalendar.database_days(year) if db_year and not is_db_complete else []
    overrides = (CalendarOverride.objects.filter(university=university, date__year=year).order_by("date")
                 if university is not None else CalendarOverride.objects.none())
    years = sorted(set(range(min(workcalendar.package_years()), calendar_status.first_uncovered_year + 2))
                   | {year} | set(OfficialCalendarYear.objects.values_list("year", flat=True)))
    context = {
        "nav_active": "calendar",
        "year": year, "years": years, "university": university, "universities": universities,
        "status": calendar_status, "covered_ranges": _ranges(calendar_status.covered_years),
        "db_year": db_year, "is_db_complete": is_db_complete, "in_package": in_package,
        "is_covered": year in calendar_status.covered_years,
        "days": workcalendar.official_days(year), "draft_days": draft_days, "overrides": overrides,
        "may_edit_official": may_edit_official,
        "may_edit_overrides": university is not None and workcalendar.may_edit_overrides(user, university.pk),
        "day_form": forms.get("day_form") or OfficialDayForm(initial={"date": datetime.date(year, 1, 1)}),
        "year_form": forms.get("year_form") or OfficialYearForm(initial={
            "is_complete": is_db_complete, "note": db_year.note if db_year else ""}),
        "bulk_form": forms.get("bulk_form") or BulkDaysForm(),
        "bulk_errors": forms.get("bulk_errors", []),
        "override_form": forms.get("override_form") or OverrideForm(
            universities=universities, initial={"university": university, "date": datetime.date(year, 1, 1)}),
    }
    return render(request, "core/calendar/page.html", context, status=status)


@login_required
def calendar_page(request):
    _check_access(request)
    return _render(request, _year(request), _university(request, _universities(request.user)))


def _official_post(request):
    _check_access(request)
    if not workcalendar.may_edit_official(request.user):
        raise PermissionDenied
    return _year(request), _university(request, _universities(request.user))


@login_required
@require_POST
def official_add(request):
    year, university = _official_post(request)
    form = OfficialDayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            day = workcalendar.add_official_day(request.user, data["date"], data["kind"], data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(day)s has been entered.") % {"day": day})
            return redirect(_page_url(day.date.year, university))
    return _render(request, year, university, day_form=form)


@login_required
@require_POST
def official_delete(request, pk):
    _year_value, university = _official_post(request)
    day = get_object_or_404(OfficialCalendarDay, pk=pk)
    workcalendar.remove_official_day(request.user, day)
    messages.success(request, _("%(day)s has been removed.") % {"day": day})
    return redirect(_page_url(day.date.year, university))


@login_required
@require_POST
def official_bulk(request):
    year, university = _official_post(request)
    form = BulkDaysForm(request.POST)
    errors = []
    if form.is_valid():
        try:
            days = workcalendar.import_official_days(request.user, form.cleaned_data["text"])
        except workcalendar.CalendarImportError as error:
            errors = error.line_errors
            form.add_error("text", _("Nothing was saved: correct the lines below."))
        else:
            messages.success(request, ngettext("%(count)s day has been entered.", "%(count)s days have been entered.",
                                               len(days)) % {"count": len(days)})
            return redirect(_page_url(min(day.date.year for day in days), university))
    return _render(request, year, university, bulk_form=form, bulk_errors=errors)


@login_required
@require_POST
def year_update(request, year):
    _year_value, university = _official_post(request)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PermissionDenied
    form = OfficialYearForm(request.POST)
    if form.is_valid():
        try:
            record = workcalendar.set_official_year(request.user, year, is_complete=form.cleaned_data["is_complete"],
                                                    note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The schedule of %(year)s is complete and counts for deadlines.")
                             % {"year": year} if record.is_complete
                             else _("The schedule of %(year)s is a draft and does not count.") % {"year": year})
            return redirect(_page_url(year, university))
    return _render(request, year, university, year_form=form)


@login_required
@require_POST
def year_copy(request, year):
    _year_value, university = _official_post(request)
    try:
        days = workcalendar.copy_package_year(request.user, year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, ngettext("%(count)s day has been copied as a draft.",
                                               "%(count)s days have been copied as a draft.", len(days))
                         % {"count": len(days)})
    return redirect(_page_url(year, university))


@login_required
@require_POST
def override_add(request):
    _check_access(request)
    year = _year(request)
    universities = _universities(request.user)
    form = OverrideForm(request.POST, universities=universities)
    university = _university(request, universities)
    if form.is_valid():
        data = form.cleaned_data
        university = data["university"]
        try:
            override = workcalendar.add_override(request.user, university, data["date"], data["kind"], data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(day)s has been entered.") % {"day": override})
            return redirect(_page_url(override.date.year, university))
    return _render(request, year, university, override_form=form)


@login_required
@require_POST
def override_delete(request, pk):
    _check_access(request)
    ids = workcalendar.override_university_ids(request.user)
    overrides = CalendarOverride.objects.all() if ids is None else CalendarOverride.objects.filter(
        university_id__in=ids)
    override = get_object_or_404(overrides.select_related("university"), pk=pk)
    workcalendar.remove_override(request.user, override)
    messages.success(request, _("%(day)s has been removed.") % {"day": override})
    return redirect(_page_url(override.date.year, override.university))
