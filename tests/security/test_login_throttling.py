"""Admin logins are throttled per client address and per account: locked after a few failures,
for a while, without letting guesses from elsewhere lock an account's owner out."""

import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from axes.handlers.proxy import AxesProxyHandler
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from harness_cms.security import client_ip

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
STORES = {
    "database": "axes.handlers.database.AxesDatabaseHandler",
    "cache": "axes.handlers.cache.AxesCacheHandler",
}


@pytest.fixture(params=list(STORES))
def store(request, settings):
    """Run the test with failures counted in the database, then in the cache."""
    settings.AXES_HANDLER = STORES[request.param]
    AxesProxyHandler.get_implementation(force=True)
    yield request.param
    settings.AXES_HANDLER = django_settings.AXES_HANDLER
    AxesProxyHandler.get_implementation(force=True)


@pytest.fixture
def local_clock_cache(settings):
    """A cache whose expiry follows the moved clock (Redis keeps its own time)."""
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.AXES_CACHE = "throttle"
    AxesProxyHandler.get_implementation(force=True)  # the cache handler binds its cache now
    yield
    AxesProxyHandler.get_implementation(force=True)


@pytest.fixture
def staff(db):
    return User.objects.create_user("alice", password="correct horse", is_staff=True)


def attempt(client, password, **headers):
    return client.post(
        LOGIN,
        {"username": "alice", "password": password, "next": "/admin/"},
        headers=headers,
    )


def fail(client, times, **headers):
    return [attempt(client, "wrong", **headers).status_code for _ in range(times)]


def logged_in(client):
    return "_auth_user_id" in client.session


def test_failures_below_the_limit_show_the_login_form_again(client, staff, store):
    assert fail(client, django_settings.AXES_FAILURE_LIMIT - 1) == [200] * 4
    response = attempt(client, "correct horse")
    assert response.status_code == 302 and logged_in(client)


def test_the_limit_locks_the_address_even_for_the_right_password(client, staff, store):
    codes = fail(client, django_settings.AXES_FAILURE_LIMIT)
    assert codes[-1] == 429
    response = attempt(client, "correct horse")
    assert response.status_code == 429
    assert not logged_in(client)


def test_the_lockout_page_says_what_happened_and_when_to_retry(client, staff):
    fail(client, django_settings.AXES_FAILURE_LIMIT)
    response = attempt(client, "wrong")
    assert response.status_code == 429
    text = response.content.decode()
    assert "paused after 5 failed attempts" in text
    assert "Try again in 15 minutes" in text
    assert response["Retry-After"] == str(15 * 60)
    assert "Harness CMS" in text  # the admin's header, not a bare error


def test_the_lock_lifts_after_the_cool_off(client, staff, store, local_clock_cache):
    fail(client, django_settings.AXES_FAILURE_LIMIT)
    later = timezone.now() + django_settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        response = attempt(client, "correct horse")
    assert response.status_code == 302 and logged_in(client)


def test_the_lock_holds_just_before_the_cool_off_ends(client, staff, store, local_clock_cache):
    fail(client, django_settings.AXES_FAILURE_LIMIT)
    almost = timezone.now() + django_settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    with time_machine.travel(almost, tick=False):
        assert attempt(client, "correct horse").status_code == 429


def test_a_successful_login_clears_the_count(client, staff, store):
    fail(client, django_settings.AXES_FAILURE_LIMIT - 1)
    assert attempt(client, "correct horse").status_code == 302
    client.logout()
    assert fail(client, django_settings.AXES_FAILURE_LIMIT - 1) == [200] * 4
    assert attempt(client, "correct horse").status_code == 302


def test_behind_a_proxy_each_client_address_is_counted_apart(client, staff, settings, store):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = {"X-Forwarded-For": "203.0.113.5"}
    fail(client, django_settings.AXES_FAILURE_LIMIT, **attacker)
    assert attempt(client, "correct horse", **attacker).status_code == 429
    # Same proxy (REMOTE_ADDR), another visitor with another account: not locked. (Alice's
    # account is, at addresses she never signed in from: see below.)
    User.objects.create_user("bob", password="bob's own", is_staff=True)
    response = client.post(
        LOGIN,
        {"username": "bob", "password": "bob's own", "next": "/admin/"},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert response.status_code == 302


def test_a_client_cannot_dodge_the_lock_by_forging_x_forwarded_for(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The proxy appends the real address; whatever the client put in front is ignored.
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong", **{"X-Forwarded-For": f"10.0.0.{n}, 203.0.113.5"})
    forged = {"X-Forwarded-For": "10.9.9.9, 203.0.113.5"}
    assert attempt(client, "correct horse", **forged).status_code == 429


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, staff):
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong", **{"X-Forwarded-For": f"198.51.100.{n}"})
    assert attempt(client, "correct horse").status_code == 429


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "127.0.0.9"),
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (2, "198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "198.51.100.1", "127.0.0.9"),  # fewer hops than proxies: trust only the peer
        (1, "", "127.0.0.9"),
        (1, "not-an-address", "127.0.0.9"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_the_demo_accounts_log_in_through_the_throttled_form(client, settings):
    settings.DEBUG = True  # create_demo_accounts is a development command
    out = StringIO()
    call_command("create_demo_accounts", stdout=out)
    passwords = dict(re.findall(r"(\w+)\s+password (\S+)", out.getvalue()))
    assert set(passwords) == {"editor", "faqstaff"}
    for username, password in passwords.items():
        response = client.post(LOGIN, {"username": username, "password": password})
        assert response.status_code == 302, username
        client.logout()


def test_the_test_clients_login_helper_still_works(client, staff):
    assert client.login(username="alice", password="correct horse")


# --- per account as well as per address (issue: a good login of another account reset the
# address's count, and guesses spread over addresses were never counted per account)


def attempt_as(client, username, password, address):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        headers={"X-Forwarded-For": address},
    )


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_a_good_login_of_another_account_does_not_clear_the_addresss_count(
    client, staff, store, behind_proxy
):
    """4 wrong guesses for one account, a good login of another, repeat: locked at the 5th."""
    User.objects.create_user("bob", password="bob's own", is_staff=True)
    here = "203.0.113.5"
    codes = [attempt_as(client, "alice", "wrong", here).status_code for _ in range(4)]
    assert attempt_as(client, "bob", "bob's own", here).status_code == 302
    client.logout()
    codes.append(attempt_as(client, "alice", "wrong", here).status_code)
    assert codes == [200, 200, 200, 200, 429]


def test_guesses_spread_over_addresses_lock_the_account(client, staff, store, behind_proxy):
    limit = django_settings.AXES_FAILURE_LIMIT
    for n in range(limit):
        attempt_as(client, "alice", "wrong", f"198.51.100.{n}")
    assert attempt_as(client, "alice", "correct horse", "192.0.2.200").status_code == 429
    assert not logged_in(client)


def test_the_real_user_still_signs_in_from_an_address_they_used_before(
    client, staff, store, behind_proxy
):
    """The account's lock does not reach an address its owner signed in from before: an
    attacker cannot lock a real user out from elsewhere."""
    home = "192.0.2.10"
    assert attempt_as(client, "alice", "correct horse", home).status_code == 302
    client.logout()
    for n in range(2 * django_settings.AXES_FAILURE_LIMIT):
        attempt_as(client, "alice", "wrong", f"198.51.100.{n}")
    assert attempt_as(client, "alice", "correct horse", home).status_code == 302
    client.logout()
    assert attempt_as(client, "alice", "correct horse", "192.0.2.99").status_code == 429


def test_the_owners_own_address_is_still_limited_per_address(client, staff, store, behind_proxy):
    home = "192.0.2.10"
    attempt_as(client, "alice", "correct horse", home)
    client.logout()
    codes = [attempt_as(client, "alice", "wrong", home).status_code for _ in range(5)]
    assert codes[-1] == 429


def test_a_username_that_does_not_exist_is_answered_like_one_that_does(
    client, staff, store, behind_proxy
):
    def spray(username):
        codes = [
            attempt_as(client, username, "wrong", f"198.51.100.{n}").status_code
            for n in range(django_settings.AXES_FAILURE_LIMIT + 1)
        ]
        page = attempt_as(client, username, "wrong", "192.0.2.77")
        notes = BeautifulSoup(page.content, "html.parser").select("#content-main p")
        return codes, page.status_code, [note.get_text(" ", strip=True) for note in notes]

    assert spray("alice") == spray("nobody-at-all")


def test_the_lockout_page_says_an_account_can_be_paused_too(client, staff, behind_proxy):
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        attempt_as(client, "alice", "wrong", f"198.51.100.{n}")
    text = attempt_as(client, "alice", "correct horse", "192.0.2.200").content.decode()
    assert "this account" in text
    assert "where you have signed in before" in text
