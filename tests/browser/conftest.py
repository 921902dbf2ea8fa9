"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

Never downloads a browser. Without Chromium on the PATH these tests are skipped (and the run
says so); with HARNESS_REQUIRE_BROWSER=1, as CI sets, a missing browser is a failure instead.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.demo import load_demo

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# from there are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRE_BROWSER = os.environ.get("HARNESS_REQUIRE_BROWSER") == "1"
# Without these Chromium tries the network at start-up (updates, sync, QUIC probes).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if CHROMIUM is None:
        message = "Chromium is not installed (apt install chromium): browser tests skipped."
        if REQUIRE_BROWSER:
            pytest.fail("HARNESS_REQUIRE_BROWSER=1 but " + message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session", autouse=True)
def _close_db_connections_before_playwright_stops(playwright):
    """Close the database connections tests opened while Playwright's event loop was set.

    From the first browser test on, Playwright's sync API keeps an event loop set in the main
    thread, so Django keeps the connection of every later test (browser or not) in a context
    variable. Left open at the end of the run, that connection keeps PostgreSQL from dropping
    the test database; it must be closed before Playwright, set up before this, stops.
    """
    yield
    from django.db import connections

    connections.close_all()


@pytest.fixture
def demo_site(live_server, transactional_db):
    """The live server's URL, with the demo cluster loaded."""
    load_demo()
    return live_server.url


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request, page):
    """Run the test once at 1280×800 and once at 390×844; returns the viewport's name."""
    page.set_viewport_size(VIEWPORTS[request.param])
    return request.param


def screenshot(page, name):
    """Save a full-page screenshot under tests/browser/screenshots/ for people to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def axe_violations(page):
    """axe-core's violations on the current page (axe ships inside the Python package)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    # The first node's selector says where to look.
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, first {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]


def horizontal_overflow(page):
    """How many pixels the page is wider than the viewport (0 when nothing scrolls sideways)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


# Report every violation on the console, where the listener below collects it. Injected by the
# browser driver, so the policy itself does not apply to this one script.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@pytest.fixture
def admin_page(page, demo_site):
    """A logged-in admin's browser, collecting console errors and script errors."""
    problems = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda message: collect_problem(message, problems))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    # A superuser: the data migration's groups do not survive the live server's table flush.
    User.objects.create_superuser("csp-editor", "editor@example.com", "a-long-test-password")
    page.goto(f"{demo_site}/admin/login/")
    page.fill("#id_username", "csp-editor")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    expect(page).to_have_url(f"{demo_site}/admin/")
    yield page, problems
    assert problems == []


def collect_problem(message, problems):
    # Browsers ask every site for /favicon.ico on their own; its 404 is not the admin's.
    if message.type == "error" and "favicon.ico" not in message.location.get("url", ""):
        problems.append(f"console: {message.text}")
