"""The calendar page (/calendar/): who may see and change it, forms, the 2027 warning."""
import datetime

import pytest
from django.utils import timezone

from tests import factories as f
from tongxue.core import workcalendar as wc
from tongxue.core.models import AccessEvent, CalendarOverride, OfficialCalendarDay, OfficialCalendarYear, Role
from tongxue.core.navigation import navigation_items
from tongxue.domain.workdays import SHANGHAI

pytestmark = pytest.mark.django_db

D = datetime.date
URL = "/calendar/"


@pytest.fixture
def autumn_2026(monkeypatch):
    """Today is 2026-11-27 (the State Council's 2027 schedule not entered yet)."""
    now = datetime.datetime(2026, 11, 27, 10, tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


def office_staff(world):
    user = f.UserFactory(university=world.university, login_id="O1001", full_name="后勤处老师")
    f.RoleAssignmentFactory(user=user, university=world.university, role=Role.OFFICE_STAFF)
    return user


@pytest.mark.parametrize("account,allowed", [
    ("fed_admin", True), ("univ_admin", True), ("league_school", True), ("other_admin", True),
    ("student", False), ("class_rep", False), ("cadre", False), ("officer", False), ("school_cadre", False),
    ("league_college", False), ("party", False),
])
def test_access_by_role(client, world, account, allowed):
    user = world.accounts()[account]
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == (200 if allowed else 403)
    assert AccessEvent.objects.filter(actor=user, path=URL).exists() is not allowed
    assert any(item.key == "calendar" for item in navigation_items(user)) is allowed


def test_office_staff_and_anonymous_are_kept_out(client, world):
    assert client.get(URL).status_code == 302
    staff = office_staff(world)
    client.force_login(staff)
    assert client.get(URL).status_code == 403
    assert client.post("/calendar/overrides/add/", {"university": world.university.pk, "date": "2026-07-20",
                                                     "kind": "closure"}).status_code == 403
    assert AccessEvent.objects.filter(actor=staff).count() == 2
    assert not CalendarOverride.objects.exists()


def test_page_warns_that_2027_is_missing_and_shows_the_year(client, world, autumn_2026):
    client.force_login(world.univ_admin)
    content = client.get(URL).content.decode()
    assert 'data-testid="calendar-warning"' in content and "2027" in content
    assert "2004–2026" in content
    assert 'data-date="2026-10-01"' in content and "国庆节" in content
    content = client.get(URL + "?year=2027").content.decode()
    assert 'data-date="2026-10-01"' not in content
    # university administrators do not get the national forms
    assert 'data-testid="official-forms"' not in content and 'data-testid="override-form"' in content


def test_federation_admin_adds_a_day_and_bad_input_changes_nothing(client, world, autumn_2026):
    client.force_login(world.fed_admin)
    response = client.post("/calendar/official/add/", {"date": "2027-02-31", "kind": "holiday", "name": "春节"})
    assert response.status_code == 200 and not OfficialCalendarDay.objects.exists()
    assert 'id="id_date_error"' in response.content.decode()
    response = client.post("/calendar/official/add/", {"date": "2027-02-01", "kind": "workday", "name": "春节"})
    assert "调休上班日只能是星期六或星期日" in response.content.decode()
    assert not OfficialCalendarDay.objects.exists()
    response = client.post("/calendar/official/add/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert response.status_code == 302 and response["Location"].startswith("/calendar/?year=2027")
    assert OfficialCalendarDay.objects.get().name == "元旦"
    assert not OfficialCalendarYear.objects.get(year=2027).is_complete
    content = client.get(response["Location"]).content.decode()
    assert 'data-testid="draft-days"' in content and 'data-testid="calendar-warning"' in content


def test_university_admin_may_not_edit_the_national_schedule(client, world):
    client.force_login(world.univ_admin)
    assert client.post("/calendar/official/add/", {"date": "2027-01-01", "kind": "holiday"}).status_code == 403
    assert client.post("/calendar/official/bulk/", {"text": "2027-01-01 holiday 元旦"}).status_code == 403
    assert client.post("/calendar/years/2027/", {"is_complete": "on"}).status_code == 403
    assert not OfficialCalendarDay.objects.exists() and not OfficialCalendarYear.objects.exists()


def test_bulk_paste_is_all_or_nothing_with_row_errors_then_the_year_is_marked_complete(client, world,
                                                                                     autumn_2026):
    client.force_login(world.fed_admin)
    response = client.post("/calendar/official/bulk/", {"text": "2027-01-01 holiday 元旦\n2027-13-01 休 x\n"
                                                                "2027-01-02 放风 x"})
    content = response.content.decode()
    assert response.status_code == 200 and 'data-testid="bulk-errors"' in content
    assert 'data-line="2"' in content and 'data-line="3"' in content and 'data-line="1"' not in content
    assert "未保存任何内容" in content
    assert not OfficialCalendarDay.objects.exists()
    response = client.post("/calendar/years/2027/", {"is_complete": "on"})
    assert response.status_code == 200 and not OfficialCalendarYear.objects.filter(is_complete=True).exists()
    response = client.post("/calendar/official/bulk/", {"text": "2027-01-01 holiday 元旦"})
    assert response.status_code == 302 and OfficialCalendarDay.objects.count() == 1
    response = client.post("/calendar/years/2027/", {"is_complete": "on", "note": "测试"})
    assert response.status_code == 302 and OfficialCalendarYear.objects.get(year=2027).is_complete
    assert 2027 in wc.calendar_for(world.university.pk).years
    content = client.get(URL).content.decode()
    assert 'data-testid="calendar-warning"' not in content and "2004–2027" in content


def test_overrides_are_kept_per_university(client, world, autumn_2026):
    client.force_login(world.league_school)
    response = client.post("/calendar/overrides/add/", {"university": world.other_university.pk,
                                                        "date": "2026-07-20", "kind": "closure"})
    assert response.status_code == 200 and not CalendarOverride.objects.exists()  # not a choice
    assert "选择一个有效的选项" in response.content.decode()
    response = client.post("/calendar/overrides/add/", {"university": world.university.pk, "date": "",
                                                        "kind": "closure"})
    assert response.status_code == 200 and 'id="id_date_error"' in response.content.decode()
    assert "必填" in response.content.decode()
    response = client.post("/calendar/overrides/add/", {"university": world.university.pk, "date": "2026-07-20",
                                                        "kind": "closure", "note": "暑假"})
    assert response.status_code == 302
    override = CalendarOverride.objects.get()
    assert override.university == world.university and override.note == "暑假"
    assert not wc.calendar_for(world.university.pk).is_working_day(D(2026, 7, 20))
    response = client.post("/calendar/overrides/add/", {"university": world.university.pk, "date": "2026-07-20",
                                                        "kind": "workday"})
    assert response.status_code == 200 and CalendarOverride.objects.count() == 1
    client.force_login(world.other_admin)
    assert 'data-date="2026-07-20"' not in client.get(URL + "?year=2026").content.decode()
    assert client.post(f"/calendar/overrides/{override.pk}/delete/").status_code == 404
    client.force_login(world.univ_admin)
    assert 'data-date="2026-07-20"' in client.get(URL + "?year=2026").content.decode()
    assert client.post(f"/calendar/overrides/{override.pk}/delete/").status_code == 302
    assert not CalendarOverride.objects.exists()
    assert wc.calendar_for(world.university.pk).is_working_day(D(2026, 7, 20))
