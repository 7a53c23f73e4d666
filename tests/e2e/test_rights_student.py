"""Journeys of students on the rights desk at phone width: file a case with a photo; see a similar
case while typing and join it (我也遇到); rate an office's answer unsatisfied and see the case reopen."""
import io

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.rights.conftest import desk  # noqa: F401 (fixture)
from tongxue.rights import services
from tongxue.rights.models import Case, CasePhoto

from .conftest import login, open_menu, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def write_png(path):
    from PIL import Image

    image = Image.new("RGB", (320, 240), (230, 230, 230))
    for x in range(60, 260):
        for y in range(100, 140):
            image.putpixel((x, y), (200, 20, 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


def test_student_submits_a_case_with_a_photo(page, world, desk, tmp_path):  # noqa: F811
    login(page, world.student_a.student_no, PASSWORD)
    open_menu(page)
    page.click("[data-nav=rights_new]")
    page.wait_for_url("**/rights/new/")
    page.click("label:has-text('宿舍')")
    page.fill("#id_title", "宿舍没有热水")
    page.fill("#id_description", "3号楼热水器坏了三天，整层都洗不了澡")
    page.fill("#id_place", "3号楼4层")
    page.set_input_files("#id_photos", str(write_png(tmp_path / "broken.png")))
    screenshot(page, "rights-intake")
    with page.expect_navigation():
        page.click("[data-submit]")
    page.wait_for_url("**/rights/cases/*/")
    case = Case.objects.get()
    assert case.submitter == world.student_a and CasePhoto.objects.filter(case=case).count() == 1
    expect(page.locator("[data-testid=case-title]")).to_have_text("宿舍没有热水")
    photo = page.locator("[data-testid=photos] img")
    expect(photo).to_have_count(1)
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(page.locator("[data-testid=deadline]").first).to_be_visible()
    screenshot(page, "rights-case")


def test_second_student_sees_a_similar_case_and_joins_it(page, world, desk):  # noqa: F811
    case = services.submit_case(world.student_a.user, category=desk.dorm, title="宿舍没有热水",
                                description="3号楼热水器坏了三天，没有热水洗澡").case
    login(page, world.student_b.student_no, PASSWORD)
    page.goto(page.base_url + "/rights/new/")
    page.click("label:has-text('宿舍')")
    with page.expect_request(lambda r: "/rights/similar/" in r.url) as request:
        page.locator("#id_description").press_sequentially("我们3号楼热水器也坏了，没有热水", delay=20)
    assert f"category={desk.dorm.pk}" in request.value.url
    item = page.locator(f"[data-testid=similar-case][data-case='{case.pk}']")
    expect(item).to_be_visible()
    expect(item.locator("[data-testid=supporters]")).to_contain_text("0")
    screenshot(page, "rights-similar")
    item.locator("[data-testid=me-too]").click()
    expect(item.locator("[data-testid=joined]")).to_be_visible()
    expect(item.locator("[data-testid=supporters]")).to_contain_text("1")
    case.refresh_from_db()
    assert case.supporter_count == 1
    assert not Case.objects.exclude(pk=case.pk).exists()       # nothing filed twice
    screenshot(page, "rights-joined")
    page.goto(page.base_url + "/rights/mine/")
    expect(page.locator(f"[data-testid=my-cases] [data-case='{case.pk}']")).to_be_visible()


def test_student_rates_unsatisfied_and_the_case_reopens(page, world, desk):  # noqa: F811
    case = services.submit_case(world.student_a.user, category=desk.dorm, title="宿舍没有热水",
                                description="3号楼热水器坏了三天").case
    services.accept_case(world.cadre_a.user, case)
    case = services.transfer_case(world.cadre_a.user, case, desk.logistics, note="请后勤处理")
    services.answer_case(desk.office_user, case, "已安排维修师傅本周内更换热水器。")
    login(page, world.student_a.student_no, PASSWORD)
    page.goto(page.base_url + "/rights/mine/")
    with page.expect_navigation():
        page.click(f"[data-testid=my-cases] [data-case='{case.pk}']")
    expect(page.locator("[data-testid=answer]")).to_contain_text("后勤保障处")
    page.fill("#id_comment", "一周过去了还是没有热水")
    screenshot(page, "rights-rating")
    with page.expect_navigation():
        page.click("[data-testid=rate-unsatisfied]")
    page.wait_for_url(f"**/rights/cases/{case.pk}/")
    expect(page.locator("[data-testid=case-status]")).to_have_attribute("data-status", "reopened")
    expect(page.locator("[data-testid=reopened]")).to_be_visible()
    case.refresh_from_db()
    assert case.status == Case.Status.REOPENED and case.is_flagged
    screenshot(page, "rights-reopened")


def test_anonymous_student_keeps_the_private_link_and_follows_the_case(page, world, desk):  # noqa: F811
    login(page, world.student_a.student_no, PASSWORD)
    page.goto(page.base_url + "/rights/new/")
    page.click("label:has-text('食堂')")
    page.fill("#id_title", "二食堂饭菜不熟")
    page.fill("#id_description", "二食堂的米饭连续三天没有煮熟")
    page.click("[data-identity=anonymous]")
    with page.expect_navigation():
        page.click("[data-submit]")
    page.wait_for_url("**/rights/new/done/")
    link = page.locator("[data-testid=follow-link]").input_value()
    assert "/rights/follow/" in link
    assert world.student_a.name not in page.content() and world.student_a.student_no not in page.content()
    page.click("#copy-link")
    screenshot(page, "rights-anonymous-link")
    case = Case.objects.get()
    assert case.submitter is None
    page.context.clear_cookies()
    page.goto(link)
    expect(page.locator("[data-testid=case-title]")).to_have_text("二食堂饭菜不熟")
    expect(page.locator("[data-testid=identity]")).to_contain_text("匿名")
    screenshot(page, "rights-follow")
