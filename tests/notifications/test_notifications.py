"""Change notifications: publishing, unpublishing and moving a page enqueue an IndexNow ping and
a signed webhook per receiver, sent in the background; a local receiver proves delivery, and a
failing then recovering receiver proves the retries with backoff."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from harness_cms.core.visibility import Status
from harness_cms.editorial import services as editorial
from harness_cms.notifications import tasks
from tests.factories import make_role

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "s" * 40


class Receiver:
    """A local HTTP receiver: answers ``failures`` requests with 503, then 200, and keeps
    every request (path, headers, body)."""

    def __init__(self, failures=0):
        self.failures = failures
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                receiver.requests.append((self.path, dict(self.headers), body))
                failing = len(receiver.requests) <= receiver.failures
                self.send_response(503 if failing else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    made = []

    def make(failures=0):
        hook = Receiver(failures)
        made.append(hook)
        return hook

    yield make
    for hook in made:
        hook.close()


def run_worker():
    """Run every task that is due, as ``manage.py db_worker`` does, until none is left."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def make_due():
    """Bring the retries' run_after times to now (the backoff is checked separately)."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_publishing_sends_a_signed_webhook_and_an_indexnow_ping(settings, receiver):
    hook, indexnow = receiver(), receiver()
    settings.CHANGE_WEBHOOK_URLS = [hook.url + "/hook"]
    settings.CHANGE_WEBHOOK_SECRET = SECRET
    settings.INDEXNOW_KEY = "abcdef12345"
    settings.INDEXNOW_ENDPOINT = indexnow.url + "/indexnow"
    role = make_role("Harness Engineer", status=Status.DRAFT)
    editorial.change_status([role], to=Status.PUBLISHED, user=None, comment="")
    assert hook.requests == []  # nothing is sent inside the request: it waits for a worker
    run_worker()
    ((path, headers, body),) = hook.requests
    data = json.loads(body)
    assert (path, data["event"], data["url"]) == (
        "/hook",
        "published",
        settings.SITE_URL + role.path,
    )
    expected = "sha256=" + hmac.new(SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()
    assert headers["X-Harness-Signature"] == expected
    ((_, _, ping),) = indexnow.requests
    ping = json.loads(ping)
    assert ping["key"] == "abcdef12345" and ping["urlList"] == [settings.SITE_URL + role.path]
    assert ping["keyLocation"] == settings.SITE_URL + "/abcdef12345.txt"


def test_unpublishing_and_moving_are_told_too(settings, receiver):
    hook = receiver()
    settings.CHANGE_WEBHOOK_URLS = [hook.url]
    settings.CHANGE_WEBHOOK_SECRET = SECRET
    role = make_role("Harness Engineer")
    old_path = role.path
    role.slug = "harness-engineers"
    role.save()
    editorial.change_status([role], to=Status.DRAFT, user=None, comment="")
    run_worker()
    events = [json.loads(body) for _, _, body in hook.requests]
    assert [event["event"] for event in events] == ["moved", "unpublished"]
    assert events[0]["old_url"] == settings.SITE_URL + old_path
    assert events[0]["url"] == settings.SITE_URL + "/roles/harness-engineers/"


def test_a_failing_receiver_is_retried_with_backoff_until_it_recovers(settings, receiver):
    hook = receiver(failures=2)
    settings.CHANGE_WEBHOOK_URLS = [hook.url]
    settings.CHANGE_WEBHOOK_SECRET = SECRET
    make_role("Draft", status=Status.DRAFT)
    role = make_role("Harness Engineer", status=Status.DRAFT)
    editorial.change_status([role], to=Status.PUBLISHED, user=None, comment="")
    run_worker()
    assert len(hook.requests) == 1  # failed; the retry waits for its time
    (waiting,) = DBTaskResult.objects.filter(status="READY")
    assert timedelta(seconds=25) < waiting.run_after - waiting.enqueued_at <= timedelta(seconds=31)
    make_due()
    run_worker()
    assert len(hook.requests) == 2
    (waiting,) = DBTaskResult.objects.filter(status="READY")
    assert waiting.run_after - waiting.enqueued_at > timedelta(seconds=115)  # 30 s, then 2 min
    make_due()
    run_worker()
    assert [headers["X-Harness-Attempt"] for _, headers, _ in hook.requests] == ["1", "2", "3"]
    assert len({body for _, _, body in hook.requests}) == 1  # the same signed body each time
    assert not DBTaskResult.objects.filter(status="READY").exists()  # delivered: no more tries


def test_a_receiver_that_never_recovers_is_given_up(settings, receiver, monkeypatch):
    monkeypatch.setattr(tasks, "WEBHOOK_ATTEMPTS", 3)
    hook = receiver(failures=100)
    settings.CHANGE_WEBHOOK_URLS = [hook.url]
    settings.CHANGE_WEBHOOK_SECRET = SECRET
    role = make_role("Harness Engineer", status=Status.DRAFT)
    editorial.change_status([role], to=Status.PUBLISHED, user=None, comment="")
    for _ in range(5):
        run_worker()
        make_due()
    assert len(hook.requests) == 3
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_nothing_is_enqueued_when_nothing_is_configured(settings):
    settings.CHANGE_WEBHOOK_URLS = []
    settings.INDEXNOW_KEY = ""
    role = make_role("Harness Engineer", status=Status.DRAFT)
    editorial.change_status([role], to=Status.PUBLISHED, user=None, comment="")
    assert not DBTaskResult.objects.exists()


def test_the_key_file_is_served_only_for_the_key(client, settings):
    settings.INDEXNOW_KEY = "abcdef12345"
    response = client.get("/abcdef12345.txt")
    assert response.status_code == 200 and response.content == b"abcdef12345"
    assert client.get("/other-key-123.txt").status_code == 404
    settings.INDEXNOW_KEY = ""
    assert client.get("/abcdef12345.txt").status_code == 404
