"""Journeys at phone width (学代会筹备): (a) the school League teacher allocates the school union's
seats over several colleges and grades and adopts them; (b) a class elects its delegates — the
class representative nominates and records the class meeting, the credentials committee seats
the delegates, and the public notice shows them without login."""
import pytest
from django.utils import timezone

from tests import factories as f
from tests.congress.prep_world import make_prep
from tests.factories import PASSWORD
from tongxue.congress.models import Apportionment, Delegate
from tongxue.core.models import DegreeLevel, Gender, Student

from .conftest import login, open_menu, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in_as(page, user, world):
    page.context.clear_cookies()
    login(page, user.login_id, PASSWORD, world.university.name)


def add_students(college, grade, count, start):
    """Students without accounts, written at once (the seats count them, nobody logs in)."""
    major = f.MajorFactory(college=college)
    student_class = f.StudentClassFactory(major=major, grade=grade)
    Student.objects.bulk_create([
        Student(university=college.university, college=college, major=major, student_class=student_class,
                student_no=f"E{start + i:08d}", name=f"学生{start + i}", gender=Gender.MALE if i % 3 else Gender.FEMALE,
                ethnicity="01" if i % 10 else "03", political_status="03", degree_level=DegreeLevel.UNDERGRADUATE,
                enrolment_year=grade)
        for i in range(count)
    ])


def test_allocate_seats_for_the_school_union(page, world):
    prep = make_prep(world)
    colleges = [world.college_a, world.college_b, f.CollegeFactory(campus=world.college_a.campus, name="数学学院")]
    start = 0
    for n, college in enumerate(colleges):
        for grade, size in ((2022, 90 + 40 * n), (2023, 120 + 10 * n), (2025, 150 - 20 * n)):
            add_students(college, grade, size, start)
            start += size
    w = world
    log_in_as(page, w.league_school, w)
    open_menu(page)
    page.click("[data-nav=congress]")
    page.wait_for_url("**/congress/")
    page.click(f"[data-session='{prep.session.pk}']")
    assert page.locator("[data-testid=milestone]").count() == 6
    screenshot(page, "congress-session-preparation")
    page.click("[data-testid=seats-link]")
    page.wait_for_url(f"**/congress/{prep.session.pk}/seats/")
    served = int(page.locator("[data-testid=roster]").get_attribute("data-served"))
    assert served == Student.objects.filter(university=w.university).count()
    page.fill("input[name=seats]", "30")
    page.fill("input[name=association_seats]", "2")
    screenshot(page, "congress-seats-form")
    page.click("[data-testid=seats-compute]")
    page.wait_for_url("**/seats/*/")
    table = page.locator("[data-testid=apportionment]")
    assert table.get_attribute("data-adopted") == "no"
    units = page.locator("[data-testid=seat-unit]")
    assert units.count() == 12   # 11 college grades (3 × 3 + class A and 外语2301) and one main association
    seats = [int(units.nth(i).get_attribute("data-seats")) for i in range(units.count())]
    assert sum(seats) == 32 and min(seats) >= 1
    page.click("[data-testid=seats-adopt]")
    page.wait_for_selector("[data-testid=apportionment][data-adopted=yes]")
    assert page.locator("[data-testid=seat-total]").inner_text() == "32"
    screenshot(page, "congress-seats-adopted")
    assert Apportionment.objects.get(is_adopted=True).total == 32
    with page.expect_download() as download:
        page.click("[data-testid=seats-export]")
    assert download.value.suggested_filename.endswith(".xlsx")


def test_elect_delegates_in_a_class(page, world):
    prep = make_prep(world)
    prep.adopt()
    w = world
    # the class representative nominates four classmates and records the meeting
    log_in_as(page, w.class_rep_a, w)
    page.goto(page.base_url + f"/congress/{prep.session.pk}/")
    page.click("[data-testid=classes-link]")
    page.click(f"[data-testid=class-row][data-class='{prep.class_a.pk}'] a")
    page.wait_for_url(f"**/classes/{prep.class_a.pk}/")
    assert page.locator("[data-testid=meeting]").get_attribute("data-wanted") == "4"
    for student in prep.classmates[:4]:
        page.select_option("select[name=student]", str(student.pk))
        page.click("[data-testid=nominate-submit]")
        page.wait_for_load_state()
    assert page.locator("[data-testid=candidate]").count() == 4
    # too few present: refused, nothing saved
    page.fill("input[name=present]", "5")
    for i, field in enumerate(page.locator("input[name^=votes_]").all()):
        field.fill(str(5 - i))
    page.click("[data-testid=record-submit]")
    page.wait_for_selector("#id_present_error")
    screenshot(page, "congress-class-meeting-quorum")
    assert not Delegate.objects.exists()
    page.fill("input[name=present]", "9")
    for field, votes in zip(page.locator("input[name^=votes_]").all(), [9, 8, 7, 2]):
        field.fill(str(votes))
    page.fill("textarea[name=minutes]", "班会选举学代会代表，应到10人，实到9人。")
    screenshot(page, "congress-class-meeting-record")
    page.click("[data-testid=record-submit]")
    page.wait_for_selector("[data-testid=meeting][data-status=recorded]")
    assert page.locator("[data-testid=result][data-elected=yes]").count() == 3
    screenshot(page, "congress-class-meeting-result")

    # the credentials committee seats them
    log_in_as(page, prep.credentials, w)
    page.goto(page.base_url + f"/congress/{prep.session.pk}/")
    page.click("[data-testid=delegates-link]")
    for _ in range(3):
        page.locator("[data-testid=delegate][data-status=elected] [data-testid=seat]").first.click()
        page.wait_for_load_state()
    assert page.locator("[data-testid=delegate][data-status=seated]").count() == 3
    page.click("[data-testid=notice-publish]")
    page.wait_for_selector("[data-testid=notice-link]")
    screenshot(page, "congress-delegates-review")

    # the public notice, without login
    page.context.clear_cookies()
    page.goto(page.base_url + f"/public/congress/{prep.session.pk}/delegates/")
    names = page.locator("[data-testid=notice-delegate]").all_inner_texts()
    assert len(names) == 3 and any(w.student_a.name in n for n in names)
    assert w.student_a.student_no not in page.content()
    page.fill("textarea[name=text]", "请核实代表是否参加了班会。")
    screenshot(page, "congress-delegates-notice")
    page.click("[data-testid=objection-submit]")
    page.wait_for_selector(".alert-success")
    assert prep.session.delegate_objections.count() == 1

    # the delegate sees their card
    log_in_as(page, w.student_a.user, w)
    page.goto(page.base_url + f"/congress/{prep.session.pk}/")
    page.click("[data-testid=me-link]")
    assert page.locator("[data-testid=delegate-card]").get_attribute("data-number")
    screenshot(page, "congress-delegate-card")
    assert timezone.localdate()
