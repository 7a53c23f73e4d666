"""Journey on the demo university: the school League teacher (T0001) allocates the seats of the
demo school union's coming session (示范大学学生会, session 37) from the live roster and adopts them."""
import math

import pytest

from tongxue.congress.models import Apportionment, CongressSession
from tongxue.core import demo
from tongxue.unions.models import Association

from .conftest import login, open_menu, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_allocate_seats_for_the_demo_school_union(page):
    demo.build_demo(seed=2026, students=800, small_students=60)
    session = CongressSession.objects.get(union__name="示范大学学生会", status=CongressSession.Status.PREPARING)
    served = session.union.served_students().count()
    login(page, "T0001", demo.DEMO_PASSWORD)
    open_menu(page)
    page.click("[data-nav=congress]")
    page.wait_for_url("**/congress/")
    page.click(f"[data-session='{session.pk}']")
    page.click("[data-testid=seats-link]")
    page.wait_for_url(f"**/congress/{session.pk}/seats/")
    roster = page.locator("[data-testid=roster]")
    assert int(roster.get_attribute("data-served")) == served
    units = int(roster.get_attribute("data-units"))
    assert int(roster.get_attribute("data-share-seats")) == math.ceil(served / 100)
    page.click("[data-testid=seats-compute]")  # the defaults: the fewest seats allowed, largest remainder
    page.wait_for_url("**/seats/*/")
    page.click("[data-testid=seats-adopt]")
    page.wait_for_selector("[data-testid=apportionment][data-adopted=yes]")
    screenshot(page, "congress-demo-seats")
    apportionment = Apportionment.objects.get(session=session, is_adopted=True)
    rows = list(apportionment.units.all())
    grades = [u for u in rows if u.association_id is None]
    main_associations = Association.objects.filter(university=session.university, is_main=True).count()
    assert len(grades) == units and all(u.seats >= 1 for u in rows)
    assert sum(u.seats for u in grades) == max(math.ceil(served / 100), units)
    assert len(rows) - len(grades) == main_associations
    assert apportionment.total == sum(u.seats for u in rows)
    assert int(page.locator("[data-testid=seat-total]").inner_text()) == apportionment.total
