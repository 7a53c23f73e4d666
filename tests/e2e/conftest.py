"""Browser tests: Playwright for Python driving Debian's chromium at phone width.

Pages are served by pytest-django's `live_server`; data is made with the factories.
Screenshots go to tests/e2e/screenshots/ for a human to look at.
"""
import os
import shutil
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

# One request at a time: with SQLite in memory the live server's threads would share the test's
# only connection, and pages that poll (the live quorum) make requests overlap. Django closes
# each connection after the response when the server is not threaded, so nothing waits.
class SerialWSGIServer(WSGIServer):
    """The live server's thread serves each request itself, with the connections it was given."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = SerialWSGIServer

CHROMIUM = os.environ.get("TONGXUE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM}; .ci/run installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    settings.AXES_ENABLED = False
    context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=1, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def login(page, login_id: str, password: str, university: str = "示范大学") -> None:
    page.goto(page.base_url + "/login/")
    select = page.locator("select[name=university]")
    if select.count():
        select.select_option(label=university)
    page.fill("input[name=username]", login_id)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit]")


def open_menu(page) -> None:
    """At phone width the navigation is collapsed behind the menu button."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        page.wait_for_selector("#nav.show")
