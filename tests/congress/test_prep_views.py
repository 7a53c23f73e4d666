import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tongxue.congress import services_prep as sp
from tongxue.congress.models import Apportionment, ClassMeeting, Delegate, DelegateObjection
from tongxue.core.models import AccessEvent

from .prep_world import make_prep

pytestmark = pytest.mark.django_db


@pytest.fixture
def prep(world):
    return make_prep(world)


def url(name, prep, *args):
    return reverse(f"congress:{name}", args=[prep.session.pk, *args])


@pytest.mark.parametrize("who, status", [
    ("student", 200), ("class_rep", 200), ("league_school", 200), ("univ_admin", 200), ("fed_admin", 200),
    ("other_admin", 404),
])
def test_seats_page_scope(client, world, prep, who, status):
    prep.adopt()
    client.force_login(world.accounts()[who])
    assert client.get(url("seats", prep)).status_code == status
    assert client.get(url("classes", prep)).status_code == status
    assert client.get(url("delegates", prep)).status_code == status


def test_compute_and_adopt_are_for_managers(client, world, prep):
    client.force_login(world.student_a.user)
    assert client.post(url("seats_compute", prep), {"minimum": 1, "association_seats": 1,
                                                    "method": "largest_remainder"}).status_code == 403
    assert AccessEvent.objects.filter(path__contains="/seats/compute/").exists()
    assert not Apportionment.objects.exists()
    assert client.get(url("timeline", prep)).status_code == 403
    client.force_login(world.league_school)
    response = client.post(url("seats_compute", prep), {"seats": 6, "minimum": 1, "association_seats": 1,
                                                        "method": "largest_remainder"})
    result = Apportionment.objects.get()
    assert response.status_code == 302 and response.url == url("seats_one", prep, result.pk)
    page = client.get(response.url)
    assert b'data-testid="seat-unit"' in page.content and b'data-total="7"' in page.content
    client.force_login(world.student_a.user)
    assert client.post(url("seats_adopt", prep, result.pk)).status_code == 403
    client.force_login(world.league_school)
    client.post(url("seats_adopt", prep, result.pk))
    assert Apportionment.objects.get().is_adopted


def test_compute_below_the_floor_shows_the_error(client, world, prep):
    client.force_login(world.league_school)
    response = client.post(url("seats_compute", prep), {"seats": 2, "minimum": 1, "association_seats": 1,
                                                        "method": "largest_remainder"})
    assert response.status_code == 400 and b"is-invalid" in response.content
    assert not Apportionment.objects.exists()


def test_xlsx_export_has_the_figures(client, world, prep):
    result = prep.adopt()
    client.force_login(world.student_b.user)
    response = client.get(url("seats_export", prep, result.pk))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    by_label = {row[0]: row for row in rows[1:]}
    label = next(u.label for u in result.units.all() if u.college_id == world.college_a.pk)
    assert by_label[label][1] == 10 and by_label[label][4] == 3 and by_label[label][3] == "60/17"
    assert abs(by_label[label][2] - 60 / 17) < 0.001
    assert rows[-1][1] == 17 and rows[-1][4] == 7


def test_timeline_page(client, world, prep):
    client.force_login(world.league_school)
    milestone = prep.session.milestones.get(kind="seats")
    response = client.post(url("timeline", prep), {"milestone": milestone.pk, f"m{milestone.pk}-name": "",
                                                   f"m{milestone.pk}-due_on": "2026-12-20",
                                                   f"m{milestone.pk}-done_on": ""})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert str(milestone.due_on) == "2026-12-20"
    session_page = client.get(reverse("congress:session", args=[prep.session.pk]))
    assert session_page.content.count(b'data-testid="milestone"') == 6
    assert b'data-testid="section-seats"' in session_page.content


def record_data(meeting, present, votes):
    data = {"held_on": timezone.localdate().isoformat(), "present": present, "minutes": "班会"}
    for candidate, count in zip(meeting.candidates.order_by("pk"), votes):
        data[f"votes_{candidate.pk}"] = count
    return data


def test_class_meeting_pages(client, world, prep):
    prep.adopt()
    client.force_login(world.student_a.user)
    page = url("class_meeting", prep, prep.class_a.pk)
    assert client.get(page).status_code == 200
    for student in prep.classmates[:5]:
        assert client.post(url("class_nominate", prep, prep.class_a.pk),
                           {"student": student.pk}).status_code == 302
    meeting = ClassMeeting.objects.get()
    assert meeting.candidates.count() == 5
    # a classmate may nominate but not record
    assert client.post(url("class_record", prep, prep.class_a.pk), record_data(meeting, 8, [8] * 5)).status_code == 403
    # a student of another class may not nominate
    client.force_login(world.student_b.user)
    assert client.post(url("class_nominate", prep, prep.class_a.pk), {"student": prep.classmates[6].pk}).status_code == 403
    client.force_login(world.class_rep_a)
    response = client.post(url("class_record", prep, prep.class_a.pk), record_data(meeting, 6, [6, 6, 5, 1, 0]))
    assert response.status_code == 400 and b"is-invalid" in response.content
    assert not Delegate.objects.exists() and ClassMeeting.objects.get().status == "planned"
    data = record_data(meeting, 8, [8, 7, 6, 3, 2])
    assert client.post(url("class_record", prep, prep.class_a.pk), data).status_code == 302
    second = client.post(url("class_record", prep, prep.class_a.pk), data)   # double submit
    assert second.status_code == 302
    assert Delegate.objects.count() == 3 and ClassMeeting.objects.count() == 1
    assert b'data-status="recorded"' in client.get(page).content


def test_class_meeting_of_another_university_is_404(client, world, prep):
    prep.adopt()
    client.force_login(world.other_admin)
    assert client.get(url("class_meeting", prep, prep.class_a.pk)).status_code == 404


def elect_and_seat(prep):
    prep.adopt()
    meeting = sp.plan_meeting(prep.world.class_rep_a, prep.session, prep.class_a)
    for student in prep.classmates[:5]:
        sp.nominate(prep.world.class_rep_a, meeting, student)
    votes = dict(zip(meeting.candidates.order_by("pk").values_list("pk", flat=True), [8, 7, 6, 3, 2]))
    delegates = sp.record_meeting(prep.world.class_rep_a, meeting, held_on=timezone.localdate(), present=8,
                                  votes=votes)
    return delegates


def test_review_pages(client, world, prep):
    delegates = elect_and_seat(prep)
    client.force_login(world.student_b.user)
    listing = client.get(url("delegates", prep))
    assert listing.status_code == 200 and b'data-testid="review-form"' not in listing.content
    assert client.post(url("delegate_review", prep, delegates[0].pk), {"decision": "seat"}).status_code == 403
    client.force_login(prep.credentials)
    assert b'data-testid="review-form"' in client.get(url("delegates", prep)).content
    for delegate in delegates:
        client.post(url("delegate_review", prep, delegate.pk), {"decision": "seat"})
    assert Delegate.objects.filter(status="seated").count() == 3
    client.post(url("delegate_substitute", prep, delegates[0].pk),
                {"student_no": prep.classmates[9].student_no, "reason": "休学"})
    assert Delegate.objects.get(pk=delegates[0].pk).status == "replaced"
    assert Delegate.objects.get(student=prep.classmates[9]).replaces_id == delegates[0].pk


def test_public_notice_without_login(client, world, prep):
    for delegate in elect_and_seat(prep):
        sp.review_delegate(prep.credentials, delegate, seat=True)
    public = reverse("public_congress:delegates", args=[prep.session.pk])
    assert client.get(public).status_code == 404
    client.force_login(world.student_a.user)
    assert client.post(url("delegate_notice", prep), {"working_days": 5}).status_code == 403
    client.force_login(world.league_school)
    client.post(url("delegate_notice", prep), {"working_days": 5})
    client.logout()
    response = client.get(public)
    assert response.status_code == 200
    body = response.content.decode()
    assert world.student_a.name in body and world.college_a.name in body
    assert world.student_a.student_no not in body and world.student_a.phone not in body
    response = client.post(public, {"text": "请核实该代表是否在籍", "delegate": "", "contact": ""})
    assert response.status_code == 302
    objection = DelegateObjection.objects.get()
    assert objection.author is None
    client.force_login(prep.credentials)
    client.post(url("objection_answer", prep, objection.pk), {"answer": "已核实，在籍。"})
    assert DelegateObjection.objects.get().is_answered
    # after the notice the page only says that it ended
    from tongxue.congress.models import DelegateNotice

    DelegateNotice.objects.update(ends=timezone.now() - timezone.timedelta(minutes=1))
    client.logout()
    ended = client.get(public)
    assert ended.status_code == 410 and world.student_a.name not in ended.content.decode()


def test_delegate_page(client, world, prep):
    delegates = elect_and_seat(prep)
    sp.review_delegate(prep.credentials, delegates[0], seat=True)
    client.force_login(world.student_a.user)
    response = client.get(url("me", prep))
    assert response.status_code == 200 and b'data-number="1"' in response.content
    client.force_login(world.student_b.user)
    assert client.get(url("me", prep)).status_code == 403
    assert AccessEvent.objects.filter(path__endswith="/me/").exists()
    client.force_login(world.other_admin)
    assert client.get(url("me", prep)).status_code == 404
