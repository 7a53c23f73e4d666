"""Congress elections at phone width (issue 5 item 6): (a) a competitive presidium election by
online secret ballot, each delegate voting in their own browser, the result published and a
delegate finding their ballot by receipt; (b) paper ballots printed, entered twice by two tellers
with a mismatch caught and corrected, signed off by the scrutineer and published."""
import pytest
from playwright.sync_api import expect

from tests.congress.conftest import make_congress
from tests.factories import PASSWORD
from tongxue.domain.tally import Mark
from tongxue.elections import services
from tongxue.elections.models import Election, Official

from .conftest import PHONE, login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def new_page(browser, base_url):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = base_url
    return page


def mark(page, key, value):
    page.click(f"label[for=mark-{key}-{value}]")


def test_competitive_presidium_election_by_online_ballot(page, browser, world):
    congress = make_congress(world)
    congress.check_in(*congress.delegates)
    candidates = congress.delegates[-3:]

    # the committee sets the election up
    login(page, world.league_school.login_id, PASSWORD)
    page.goto(page.base_url + f"/congress/{congress.session.pk}/")
    page.click("[data-testid=new-election]")
    page.fill("#id_title", "第一届学生会主席团选举")
    page.fill("#id_seats", "2")
    with page.expect_navigation():
        page.click("[data-testid=create-election]")
    election = Election.objects.get()
    page.fill("#student-nos", "\n".join(d.student.student_no for d in candidates))
    with page.expect_navigation():
        page.click("[data-testid=save-candidates]")
    expect(page.locator("[data-testid=candidates] li")).to_have_count(3)
    assert page.locator("[data-testid=problem]").count() == 0
    screenshot(page, "election-setup")
    with page.expect_navigation():
        page.click("[data-testid=open]")
    expect(page.locator("[data-testid=election-status]")).to_have_attribute("data-status", "open")
    election.refresh_from_db()
    keys = election.candidate_order
    assert election.issued == 9 and election.is_competitive

    # three delegates vote on their phones; one first marks too many "for" and corrects it
    receipts = {}
    for number, delegate in enumerate(congress.delegates[:3]):
        voter = new_page(browser, page.base_url)
        login(voter, delegate.student.student_no, PASSWORD)
        voter.goto(voter.base_url + f"/elections/{election.pk}/")
        with voter.expect_navigation():
            voter.click("[data-testid=vote]")
        mark(voter, keys[0], "for")
        mark(voter, keys[1], "for")
        mark(voter, keys[2], "for" if number == 0 else "against")
        if number == 0:
            screenshot(voter, "election-ballot")
        with voter.expect_navigation():
            voter.click("[data-testid=review]")
        if number == 0:
            expect(voter.locator("[data-testid=too-many]")).to_be_visible()
            screenshot(voter, "election-confirm-too-many")
            with voter.expect_navigation():
                voter.click("button[name=edit]")
            mark(voter, keys[2], "abstain")
            with voter.expect_navigation():
                voter.click("[data-testid=review]")
            expect(voter.locator("[data-testid=too-many]")).to_have_count(0)
        with voter.expect_navigation():
            voter.click("[data-testid=cast]")
        receipt = voter.locator("[data-testid=receipt]").get_attribute("data-receipt")
        assert receipt and len(receipt) == 8
        receipts[delegate.pk] = receipt
        if number == 0:
            screenshot(voter, "election-receipt")
            # coming back to the ballot: refused, already voted (a repeated POST: tests/elections)
            voter.goto(voter.base_url + f"/elections/{election.pk}/vote/")
            expect(voter.locator("[data-testid=refused]")).to_have_attribute("data-code", "voted")
            first_voter = voter
        else:
            voter.context.close()
    # three more vote the same way (their phones are not the point here)
    for delegate in congress.delegates[3:6]:
        services.cast_ballot(delegate.student.user, election, {keys[0]: Mark.FOR, keys[1]: Mark.FOR})

    page.reload()
    expect(page.locator("[data-testid=turnout-admin]")).to_contain_text("6")
    with page.expect_navigation():
        page.click("[data-testid=close]")
    expect(page.locator("[data-testid=election-status]")).to_have_attribute("data-status", "counted")
    expect(page.locator("[data-testid=result] tr[data-elected]")).to_have_count(2)
    with page.expect_navigation():
        page.click("[data-testid=publish]")
    expect(page.locator("[data-testid=election-status]")).to_have_attribute("data-status", "published")
    screenshot(page, "election-published")

    # the public page, without login: the result, every ballot, and the delegate's own by receipt
    public = new_page(browser, page.base_url)
    public.goto(public.base_url + f"/public/elections/{election.pk}/")
    expect(public.locator("[data-testid=elected]")).to_be_visible()
    expect(public.locator("[data-testid=ballots] tbody tr")).to_have_count(6)
    screenshot(public, "election-public")
    public.context.close()
    first_voter.goto(first_voter.base_url + f"/public/elections/{election.pk}/")
    first_voter.fill("#receipt", receipts[congress.delegates[0].pk])
    with first_voter.expect_navigation():
        first_voter.click("[data-testid=find]")
    row = first_voter.locator("[data-testid=ballots] tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-receipt", receipts[congress.delegates[0].pk])
    screenshot(first_voter, "election-find-receipt")
    first_voter.context.close()


def test_paper_ballots_with_a_double_entry_mismatch_caught(page, browser, world):
    congress = make_congress(world)
    congress.check_in(*congress.delegates)
    chair = world.league_school
    election = services.create_election(chair, congress.session, title="学生会主席团选举（纸质选票）", seats=2,
                                        mode=Election.Mode.PAPER)
    services.set_candidates(chair, election, [d.student for d in congress.delegates[-3:]])
    teller_a, teller_b, scrutineer = (d.student for d in congress.delegates[:3])
    services.add_official(chair, election, teller_a.user, Official.Role.TELLER_A)
    services.add_official(chair, election, teller_b.user, Official.Role.TELLER_B)
    services.add_official(chair, election, scrutineer.user, Official.Role.SCRUTINEER)

    login(page, chair.login_id, PASSWORD)
    page.goto(page.base_url + f"/elections/{election.pk}/print/?copies=2")
    expect(page.locator("[data-testid=sheet]")).to_have_count(2)
    page.set_viewport_size({"width": 800, "height": 1130})
    screenshot(page, "election-paper-ballot")
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + f"/elections/{election.pk}/")
    with page.expect_navigation():
        page.click("[data-testid=open]")
    with page.expect_navigation():
        page.click("[data-testid=close]")
    expect(page.locator("[data-testid=election-status]")).to_have_attribute("data-status", "counting")
    election.refresh_from_db()
    keys = election.candidate_order
    sheets = {1: ("for", "for", "abstain"), 2: ("for", "for", "for"), 3: ("for", "abstain", "for"),
              4: ("against", "for", "for"), 5: ("for", "for", "against"), 6: ("for", "abstain", "abstain")}

    def enter(student, wrong_sheet=None):
        teller = new_page(browser, page.base_url)
        login(teller, student.student_no, PASSWORD)
        teller.goto(teller.base_url + f"/elections/{election.pk}/paper/")
        for number, marks in sheets.items():
            teller.fill("#sheet", str(number))
            for key, value in zip(keys, marks):
                if number == wrong_sheet and key == keys[1]:
                    value = "for"     # the deliberate slip: sheet 3 has an abstention here
                mark(teller, key, value)
            with teller.expect_navigation():
                teller.click("[data-testid=save-sheet]")
        return teller

    enter(teller_a).context.close()
    teller = enter(teller_b, wrong_sheet=3)
    page.reload()
    expect(page.locator("[data-testid=mismatch-link]")).to_have_attribute("data-count", "1")
    with page.expect_navigation():
        page.click("[data-testid=accept]")
    expect(page.locator("[data-testid=election-status]")).to_have_attribute("data-status", "counting")
    page.goto(page.base_url + f"/elections/{election.pk}/paper/mismatches/")
    expect(page.locator("[data-testid=mismatches] li[data-sheet='3']")).to_be_visible()
    screenshot(page, "election-mismatch")

    # teller B checks sheet 3 with the scrutineer and corrects the entry
    teller.goto(teller.base_url + f"/elections/{election.pk}/paper/?sheet=3")
    expect(teller.locator(f"#mark-{keys[1]}-for")).to_be_checked()
    mark(teller, keys[1], "abstain")
    with teller.expect_navigation():
        teller.click("[data-testid=save-sheet]")
    teller.context.close()

    page.goto(page.base_url + f"/elections/{election.pk}/")
    expect(page.locator("[data-testid=no-mismatch]")).to_be_visible()
    with page.expect_navigation():
        page.click("[data-testid=accept]")
    expect(page.locator("[data-testid=election-status]")).to_have_attribute("data-status", "counted")
    expect(page.locator("[data-testid=publication-problem]")).to_be_visible()   # not signed off yet

    signer = new_page(browser, page.base_url)
    login(signer, scrutineer.student_no, PASSWORD)
    signer.goto(signer.base_url + f"/elections/{election.pk}/")
    with signer.expect_navigation():
        signer.click("[data-testid=sign]")
    expect(signer.locator("[data-testid=signed]")).to_be_visible()
    signer.context.close()

    page.reload()
    with page.expect_navigation():
        page.click("[data-testid=publish]")
    expect(page.locator("[data-testid=election-status]")).to_have_attribute("data-status", "published")
    election.refresh_from_db()
    assert election.result["returned"] == 6 and election.result["void_ballots"] == 1   # sheet 2: 3 "for", 2 seats
    screenshot(page, "election-paper-published")
    page.goto(page.base_url + f"/public/elections/{election.pk}/")
    expect(page.locator("[data-testid=ballots] tbody tr")).to_have_count(6)
