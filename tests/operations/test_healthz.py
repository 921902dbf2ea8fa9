"""/healthz tells a load balancer whether this app server can serve: database and cache."""

from unittest import mock

import pytest
from django.db import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

pytestmark = pytest.mark.django_db


def test_healthy_server_answers_200_with_a_small_json_body(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Content-Type"] == "application/json"


def test_the_answer_is_never_cached(client):
    cache_control = client.get("/healthz")["Cache-Control"]
    assert "no-cache" in cache_control and "no-store" in cache_control


def test_no_login_is_needed_and_no_session_is_started(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_a_failing_database_gives_503(client):
    with mock.patch(
        "harness_cms.operations.views.connection.cursor", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "failing", "cache": "ok"}


def test_a_failing_cache_gives_503(client):
    with mock.patch(
        "harness_cms.operations.views.cache.set", side_effect=RedisConnectionError("refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "failing"


def test_a_cache_that_forgets_gives_503(client):
    with mock.patch("harness_cms.operations.views.cache.get", return_value=None):
        assert client.get("/healthz").status_code == 503


def test_is_exempt_from_the_https_redirect(client, settings):
    """Load balancers probe over plain HTTP inside the private network."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/faq/").status_code == 301


def test_only_get_and_head(client):
    assert client.post("/healthz").status_code == 405
