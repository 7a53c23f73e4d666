"""A delegate's proposal from draft to the office's answer, at phone width (issue 5, "done when"):
the delegate drafts it and invites two fellow delegates, who co-sign; the delegate submits; the
proposal committee accepts it and sends it to 后勤保障处; the office's staff member answers from
the office's inbox; the proposer rates the answer; the public list shows it all without login."""
import pytest

from tests import factories as f
from tests.congress.conftest import make_congress
from tests.factories import PASSWORD
from tongxue.congress.models import CommitteeMember
from tongxue.core.models import Role
from tongxue.proposals.models import Proposal
from tongxue.rights.defaults import ensure_defaults
from tongxue.rights.models import Office

from .conftest import login, open_menu, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switch_to(page, login_id):
    page.context.clear_cookies()
    login(page, login_id, PASSWORD)


def test_a_proposal_goes_from_draft_to_the_offices_answer(page, world):
    page.set_default_timeout(60_000)
    congress = make_congress(world)
    session = congress.session
    ensure_defaults(world.university)
    office = Office.objects.get(university=world.university, code="logistics")
    staff = f.UserFactory(university=world.university, login_id="H1001", full_name="后勤王老师")
    f.RoleAssignmentFactory(user=staff, university=world.university, role=Role.OFFICE_STAFF)
    office.staff.add(staff)
    CommitteeMember.objects.create(university=world.university, session=session, user=world.cadre_a.user,
                                   role=CommitteeMember.Role.PROPOSALS)
    proposer = congress.delegates[0].student

    # The delegate drafts the proposal from the session page and invites two co-signers.
    login(page, proposer.student_no, PASSWORD)
    page.goto(f"{page.base_url}/congress/{session.pk}/")
    with page.expect_navigation():
        page.click("[data-testid=proposals-section] [data-testid=new-proposal]")
    page.fill("#id_title", "延长宿舍热水供应时间")
    page.select_option("#id_category", "logistics")
    page.fill("#id_reason", "热水只供应到22点，晚自习后回宿舍已经没有热水。")
    page.fill("#id_suggestion", "将热水供应延长到24点。")
    screenshot(page, "proposal-draft")
    with page.expect_navigation():
        page.click("[data-testid=save-proposal]")
    proposal = Proposal.objects.get()
    for delegate in congress.delegates[1:3]:
        page.select_option("[data-testid=invite-delegate]", str(delegate.pk))
        with page.expect_navigation():
            page.click("[data-testid=invite]")
    assert page.locator("[data-testid=cosigners] [data-signed=no]").count() == 2
    screenshot(page, "proposal-invited")

    # Two delegates co-sign.
    for delegate in congress.delegates[1:3]:
        switch_to(page, delegate.student.student_no)
        page.goto(f"{page.base_url}/proposals/{proposal.pk}/")
        with page.expect_navigation():
            page.click("[data-testid=cosign]")
        mine = page.locator(f"[data-testid=cosigners] [data-delegate='{delegate.pk}']")
        assert mine.get_attribute("data-signed") == "yes"

    # The proposer submits.
    switch_to(page, proposer.student_no)
    page.goto(f"{page.base_url}/proposals/{proposal.pk}/")
    with page.expect_navigation():
        page.click("[data-testid=submit]")
    assert page.locator("[data-testid=proposal-status]").get_attribute("data-status") == "submitted"

    # The proposal committee accepts it and sends it to 后勤保障处.
    switch_to(page, world.cadre_a.student_no)
    page.goto(f"{page.base_url}/proposals/session/{session.pk}/")
    with page.expect_navigation():
        page.click(f"[data-proposal='{proposal.pk}'] a")
    page.select_option("#id_decision", "accept")
    page.select_option("#id_office", str(office.pk))
    screenshot(page, "proposal-committee")
    with page.expect_navigation():
        page.click("[data-testid=decide]")
    assert page.locator("[data-testid=proposal-status]").get_attribute("data-status") == "accepted"
    assert "后勤保障处" in page.locator("[data-testid=office]").inner_text()

    # The office's staff member answers from the office inbox.
    switch_to(page, "H1001")
    open_menu(page)
    with page.expect_navigation():
        page.click("[data-nav=proposals_office]")
    screenshot(page, "proposal-office-inbox")
    with page.expect_navigation():
        page.click(f"[data-testid=office-inbox] [data-proposal='{proposal.pk}'] a")
    page.fill("#id_answer", "自下周一起，热水供应延长到24点。")
    with page.expect_navigation():
        page.click("[data-testid=send-answer]")
    assert page.locator("[data-testid=proposal-status]").get_attribute("data-status") == "answered"

    # The proposer rates the answer.
    switch_to(page, proposer.student_no)
    page.goto(f"{page.base_url}/proposals/{proposal.pk}/")
    page.check("#rate-satisfied")
    page.fill("#rate-comment", "问题解决了，谢谢。")
    with page.expect_navigation():
        page.click("[data-testid=rate]")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.satisfaction) == ("answered", "satisfied")
    screenshot(page, "proposal-answered")

    # Anyone sees the whole list without login; the proposer by name and college, no 学号.
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/public/proposals/{session.pk}/")
    card = page.locator(f"[data-testid=public-proposals] [data-proposal='{proposal.pk}']")
    assert card.get_attribute("data-status") == "answered"
    text = card.inner_text()
    assert "延长宿舍热水供应时间" in text and "后勤保障处" in text and "热水供应延长到24点" in text
    assert proposer.name in text and proposer.college.name in text and proposer.student_no not in page.content()
    assert card.locator("[data-testid=rating]").get_attribute("data-satisfaction") == "satisfied"
    screenshot(page, "proposal-public-list")
