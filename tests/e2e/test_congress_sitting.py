"""Journeys in the hall at phone width (issue 5): delegates check in on their phones by code and
QR, the quorum is reached and lost live on the desk and the projector; a resolution is voted on
the phones, closed by the chair and shown on the projector; a charter amendment is drafted, its
changes shown, adopted with two thirds and published."""
import pytest
from django.utils import timezone

from tests.congress.conftest import make_congress
from tests.factories import PASSWORD
from tongxue.congress import services_sitting as sitting
from tongxue.congress.models import Attendance, CharterVersion, Resolution, ResolutionVote

from .conftest import PHONE, login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def phone(browser, live_server, login_id=None):
    """Another person's phone: a browser context of its own, signed in."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=1, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    if login_id:
        login(page, login_id, PASSWORD)
    return page


def screen(browser, live_server, login_id):
    """The projector: a wide screen."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    login(page, login_id, PASSWORD)
    return page


def wait_quorum(page, has: str, selector="#quorum"):
    page.wait_for_selector(f'{selector}[data-has-quorum="{has}"]', timeout=15_000)


def check_in_by_code(page, session, code, *, double=False):
    page.goto(page.base_url + f"/congress/{session.pk}/check-in/")
    page.fill("#id_code", code)
    if double:  # an impatient double tap submits twice
        page.dblclick("[data-testid=check-in-submit]")
    else:
        page.click("[data-testid=check-in-submit]")
    page.wait_for_selector("[data-testid=checked-in]")


def test_check_in_quorum_and_resolution(page, browser, live_server, world, settings):
    congress = make_congress(world)
    session, delegates = congress.session, congress.delegates
    chair = world.league_school.login_id

    # the desk opens check-in
    login(page, chair, PASSWORD)
    page.goto(page.base_url + f"/congress/{session.pk}/")
    page.click("[data-testid=desk-link]")
    page.click("[data-testid=open-check-in]")
    code = page.locator("[data-testid=check-in-code]").inner_text().strip()
    assert len(code) == 6 and code.isdigit()
    wait_quorum(page, "no")

    projector = screen(browser, live_server, chair)
    projector.goto(projector.base_url + f"/congress/{session.pk}/projector/")
    projector.wait_for_selector("[data-testid=projector-qr] svg")

    # three delegates type the code on their phones (one twice: a double submit), one scans the QR
    phones = [phone(browser, live_server, d.student.student_no) for d in delegates[:4]]
    first = phones[0]
    first.goto(first.base_url + f"/congress/{session.pk}/check-in/")
    first.fill("#id_code", "000000" if code != "000000" else "111111")
    first.click("[data-testid=check-in-submit]")
    first.wait_for_selector("[data-testid=check-in-error]")
    screenshot(first, "congress-check-in-wrong-code")
    for index, delegate_phone in enumerate(phones[:3]):
        check_in_by_code(delegate_phone, session, code, double=index == 0)
    screenshot(first, "congress-checked-in")
    session.refresh_from_db()  # the desk drew the code
    qr_url = sitting.check_in_path(session)
    phones[3].goto(phones[3].base_url + qr_url)
    phones[3].click("[data-testid=check-in-qr]")
    phones[3].wait_for_selector("[data-testid=checked-in]")
    assert Attendance.objects.filter(session=session).count() == 4
    assert Attendance.objects.get(delegate=delegates[3]).method == "qr"

    # two more at the desk: six of nine is the quorum; the desk page counts live
    for number in ("5", "6"):
        page.fill("#desk-number", number)
        page.click("[data-testid=desk-check-in]")
    wait_quorum(page, "yes")
    projector.wait_for_selector('[data-testid=projector-quorum][data-has-quorum="yes"]')
    screenshot(page, "congress-desk-quorum")
    screenshot(projector, "congress-projector-quorum")

    # one delegate leaves the hall: the quorum is lost, on the desk (polled) and on the projector
    phones[2].click("[data-testid=check-out]")
    phones[2].wait_for_selector("[data-testid=checked-out]")
    wait_quorum(page, "no")  # the desk page, not reloaded, polls the count
    page.goto(page.base_url + f"/congress/{session.pk}/")
    wait_quorum(page, "no")
    projector.wait_for_selector('[data-testid=projector-quorum][data-has-quorum="no"]')
    screenshot(page, "congress-session-quorum-lost")
    screenshot(projector, "congress-projector-quorum-lost")

    # no vote without a quorum
    page.goto(page.base_url + f"/congress/{session.pk}/resolutions/")
    page.fill("#id_title", "关于延长图书馆开放时间的决议")
    page.fill("#id_text", "建议学校将图书馆开放时间延长至23:00。")
    page.click("[data-testid=resolution-create]")
    page.wait_for_selector("[data-testid=open-vote]")
    page.click("[data-testid=open-vote]")
    page.wait_for_selector(".alert-danger")
    assert Resolution.objects.get().status == "draft"

    # the delegate comes back: the quorum is back, the chair opens the vote on the phones
    check_in_by_code(phones[2], session, code)
    page.reload()
    wait_quorum(page, "yes")
    page.click("[data-testid=open-vote]")
    page.wait_for_selector("[data-testid=close-vote]")
    resolution = Resolution.objects.get()
    assert resolution.status == "voting"

    for index, delegate_phone in enumerate(phones):
        delegate_phone.goto(delegate_phone.base_url + f"/congress/{session.pk}/resolutions/{resolution.pk}/")
        choice = "against" if index == 0 else "for"
        delegate_phone.click(f"[data-choice={choice}]")
        delegate_phone.wait_for_selector(f"[data-testid=voted][data-choice={choice}]")
    phones[0].click("[data-choice=for]")  # changes their mind: the vote is replaced, not added
    phones[0].wait_for_selector("[data-testid=voted][data-choice=for]")
    phones[0].click("[data-choice=for]")  # a double tap
    phones[0].wait_for_selector("[data-testid=voted][data-choice=for]")
    screenshot(phones[0], "congress-vote-phone")
    assert ResolutionVote.objects.filter(resolution=resolution).count() == 4
    projector.wait_for_selector(
        f'[data-testid=projector-result][data-resolution="{resolution.pk}"][data-status="voting"]')

    page.reload()
    page.click("[data-testid=close-vote]")
    page.wait_for_selector('.resolution-result[data-status="closed"][data-passed="yes"]')
    resolution.refresh_from_db()
    assert (resolution.votes_for, resolution.present, resolution.passed) == (4, 6, True)
    projector.wait_for_selector(f'[data-testid=projector-result][data-resolution="{resolution.pk}"][data-passed="yes"]')
    screenshot(projector, "congress-projector-result")
    phones[1].goto(phones[1].base_url + f"/congress/{session.pk}/")
    phones[1].wait_for_selector('[data-testid=session-results] .resolution-result[data-passed="yes"]')
    screenshot(phones[1], "congress-session-delegate")
    for delegate_phone in phones:
        delegate_phone.context.close()
    projector.context.close()


def test_charter_amendment_adopted(page, browser, live_server, world):
    congress = make_congress(world)
    session = congress.session
    CharterVersion.objects.create(
        university=world.university, union=session.union, number=1, status="adopted",
        adopted_on=timezone.localdate().replace(year=2024),
        text="第一章 总则\n第一条 本会名称为示范大学学生会。\n第二条 本会的最高权力机构是学生代表大会。\n第三条 本会每年召开一次学生代表大会。")
    congress.check_in(*congress.delegates)
    chair = world.league_school.login_id

    login(page, chair, PASSWORD)
    page.goto(page.base_url + f"/congress/{session.pk}/")
    page.click("[data-testid=charter-link]")
    page.click("[data-testid=charter-new]")
    text = page.locator("#charter-text").input_value()
    page.fill("#charter-text", text.replace("每年召开一次", "每学年至少召开一次")
              + "\n第四条 学生代表大会闭会期间，由常任代表会议履行监督职责。")
    page.click("[data-testid=charter-save]")
    page.wait_for_selector("[data-testid=charter-diff] ins")
    diff = page.locator("[data-testid=charter-diff]").inner_text()
    assert "每学年至少召开一次" in diff and "常任代表会议" in diff
    screenshot(page, "congress-charter-diff")

    page.click("[data-testid=charter-propose]")
    page.wait_for_selector("[data-testid=open-vote]")
    page.check("#mode-hands")
    page.click("[data-testid=open-vote]")
    page.fill("#id_votes_for", "6")
    page.fill("#id_votes_against", "2")
    page.fill("#id_votes_abstain", "1")
    page.click("[data-testid=enter-counts]")
    page.wait_for_selector("[data-testid=close-vote]")
    page.click("[data-testid=close-vote]")
    page.wait_for_selector('.resolution-result[data-status="closed"][data-passed="yes"]')
    screenshot(page, "congress-charter-vote")
    assert CharterVersion.objects.get(number=2).status == "adopted"
    assert CharterVersion.objects.get(number=1).status == "superseded"

    public = phone(browser, live_server)  # no login
    public.goto(public.base_url + f"/public/charter/{session.union_id}/")
    public.wait_for_selector('[data-testid=public-charter-version][data-version="2"][data-status="adopted"]')
    assert "每学年至少召开一次" in public.locator("[data-testid=public-charter-text]").inner_text()
    assert public.locator("[data-testid=public-charter-history] li").count() == 2
    screenshot(public, "congress-charter-public")
    public.click("[data-testid=toggle-changes]")
    public.wait_for_selector("[data-testid=charter-diff] del")
    screenshot(public, "congress-charter-public-changes")
    public.context.close()
