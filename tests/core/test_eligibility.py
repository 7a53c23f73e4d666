"""Eligibility from the database: one query for many students, the academic year from the
clock, and the card on /me/ that explains a refusal and offers a human review."""
import datetime

import pytest
from django.urls import reverse

from tests import factories as f
from tongxue.core.eligibility import eligibility_for, eligibility_of, reason_text
from tongxue.core.models import DegreeLevel, PoliticalStatus

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"
TODAY = datetime.date(2026, 11, 27)


def test_many_students_in_one_query(world, django_assert_num_queries):
    students = [world.student_a, world.student_b, world.cadre_a, world.officer_a, world.other_student]
    for s in students[:3]:
        f.AcademicRecordFactory(student=s)
    f.AcademicRecordFactory(student=world.other_student, rank=90)
    with django_assert_num_queries(1):
        results = eligibility_for(students, today=TODAY)
    assert [results[s.pk].is_eligible for s in students] == [True, True, True, False, False]
    assert results[world.officer_a.pk].reasons[0].code == "no_academic_record"
    assert results[world.other_student.pk].reasons[0].code == "not_top_share"
    assert eligibility_for([], today=TODAY) == {}


def test_latest_records_count(world):
    s = world.student_a
    f.AcademicRecordFactory(student=s, label="2024-2025-2", rank=1)
    f.AcademicRecordFactory(student=s, label="2025-2026-2", rank=80)
    result = eligibility_of(s, today=TODAY)
    assert not result.is_eligible and "2025-2026-2" in reason_text(result.reasons[0])


def test_the_clock_decides_who_is_a_first_year(world):
    s = world.student_a  # enrolled 2024, no records
    s.enrolment_year = 2026
    s.save()
    assert eligibility_of(s, today=datetime.date(2026, 9, 1)).exempt == "first_year"
    assert not eligibility_of(s, today=datetime.date(2027, 9, 1)).is_eligible


def test_graduates_need_no_ranking(world):
    s = world.student_a
    s.degree_level = DegreeLevel.MASTER
    s.save()
    f.AcademicRecordFactory(student=s, rank=99)
    assert eligibility_of(s, today=TODAY).is_eligible


def test_the_card_on_me_explains_and_offers_a_review(client, world):
    s = world.student_a
    s.political_status = PoliticalStatus.MASSES
    s.save()
    f.AcademicRecordFactory(student=s, failed_courses=2)
    client.force_login(s.user, backend=BACKEND)
    page = client.get(reverse("me"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="eligibility" data-eligible="no"' in page
    assert "ordinary citizen" in page and "2 failed course(s)" in page and "human review" in page


def test_the_card_in_chinese(client, world):
    f.AcademicRecordFactory(student=world.student_a, rank=2, major_size=40)
    client.force_login(world.student_a.user, backend=BACKEND)
    page = client.get(reverse("me")).content.decode()
    assert 'data-eligible="yes"' in page and "学期 2025-2026-2" in page and "届" not in page.split("担任学生干部资格")[1][:400]
