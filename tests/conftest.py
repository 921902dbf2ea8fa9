import pytest
from django.core.cache import cache

from harness_cms.core.visibility import Status
from pages import selectors as hub
from tests.factories import make_faq, make_page, make_role, make_staff


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (settings and pages are cached)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tagged_cluster(db):
    """Two roles, a page and an answer tagged "memory", and a draft that must stay hidden."""
    role = make_role("Harness Engineer", summary="Owns the runtime.", body="Memory and context.")
    make_role("Prompt Engineer", summary="Writes prompts.")
    page = make_page("Architecture", role=role, body="## Memory layers\n\nWhere memory lives.")
    page.tags.add("memory")
    role.tags.add("memory", "roles")
    faq = make_faq("What is memory?", answer="What the system keeps.")
    faq.tags.add("memory")
    draft = make_page("Secret plan", role=role, status=Status.DRAFT)
    draft.tags.add("memory", "secret topic")
    return role


@pytest.fixture
def hub_limits(monkeypatch):
    """Sets how many of each list the home hub shows: ``hub_limits(HUB_GUIDES=0)``; refuses a
    name the hub has no limit of."""

    def set_limits(**limits):
        for name, value in limits.items():
            if not hasattr(hub, name):
                raise AttributeError(f"the hub has no limit {name}")
            monkeypatch.setattr(hub, name, value)

    return set_limits


@pytest.fixture
def roomy_hub(hub_limits):
    """A home page with room for every role, comparison and guide a test adds (it lists the
    first three of each), for tests that watch a new item appear there."""
    hub_limits(HUB_ROLES=24, HUB_COMPARISONS=24, HUB_GUIDES=24, HUB_MATRIX_ROLES=24)


@pytest.fixture
def editor(db):
    return make_staff("editor", "Editors")


@pytest.fixture
def faq_staff(db):
    return make_staff("faqstaff", "FAQ staff")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def faq_staff_client(client, faq_staff):
    client.force_login(faq_staff)
    return client


def pytest_report_header(config):
    from tests.browser.conftest import CHROMIUM, REQUIRE_BROWSER

    if CHROMIUM:
        return f"browser tests: Chromium at {CHROMIUM}"
    if REQUIRE_BROWSER:
        return "browser tests: Chromium NOT FOUND and HARNESS_REQUIRE_BROWSER=1: they will fail"
    return "browser tests: Chromium not found (apt install chromium): they will be skipped"


# The figures the security and operations tests measured (survivors, server errors) travel on
# their test reports, so that parallel workers hand them to the process that prints the summary.
HARDENING = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    test_report = yield
    from tests.security.conftest import SUMMARY

    test_report.user_properties += [("hardening", line) for line in SUMMARY]
    SUMMARY.clear()
    return test_report


def pytest_runtest_logreport(report):
    HARDENING.extend(value for name, value in report.user_properties if name == "hardening")


def pytest_terminal_summary(terminalreporter):
    if HARDENING:
        terminalreporter.section("hardening")
        for line in HARDENING:
            terminalreporter.write_line(line)


def _hypothesis_profiles():
    """Fuzzing budgets: `ci` (CI=true) and `dev` stay fast; HYPOTHESIS_PROFILE=deep digs."""
    import os

    from hypothesis import HealthCheck, Phase, settings

    # The database fixtures are function-scoped on purpose: every example of one test shares
    # the test's transaction, and each example checks its own before/after state.
    common = {
        "deadline": None,
        "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    }
    # CI reports a failing example as found (each test notes its request), without minutes of
    # shrinking.
    no_shrink = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target]
    settings.register_profile("ci", max_examples=20, derandomize=True, phases=no_shrink, **common)
    settings.register_profile("dev", max_examples=20, **common)
    settings.register_profile("deep", max_examples=500, **common)
    default = "ci" if os.environ.get("CI") else "dev"
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", default))


_hypothesis_profiles()
