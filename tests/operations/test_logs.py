"""Operators can read the logs: time, level, logger and request id on every line (JSON when
asked), the request id in the error log and in the response, and backups and restores that
say what they are doing."""

import json
import logging
import logging.config
import re

import pytest
from django.conf import settings

import harness_cms.settings as production
from harness_cms.core.models import SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def logs(capsys):
    """The production logging set-up, writing to the captured stderr; a function giving the
    lines written so far."""

    def configure(log_format="text"):
        logging.config.dictConfig(production.logging_config(log_format, "INFO"))

    yield configure, lambda: capsys.readouterr().err.splitlines()
    logging.config.dictConfig(settings.LOGGING)


def test_a_log_line_has_time_level_logger_and_request_id(logs):
    configure, lines = logs
    configure()
    logging.getLogger("harness_cms.somewhere").warning("Something to know")
    (line,) = lines()
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} WARNING harness_cms\.somewhere \[-\] "
        r"Something to know",
        line,
    ), line


def test_json_lines_when_asked(logs):
    configure, lines = logs
    configure("json")
    logging.getLogger("harness_cms.somewhere").error("Broken: %s", "this")
    (line,) = lines()
    record = json.loads(line)
    assert record["level"] == "ERROR" and record["logger"] == "harness_cms.somewhere"
    assert record["message"] == "Broken: this" and record["request_id"] == "-"
    assert re.match(r"\d{4}-\d\d-\d\dT", record["time"])


def test_the_request_id_reaches_the_error_log_and_the_response(logs, client, monkeypatch):
    configure, lines = logs
    configure("json")
    client.raise_request_exception = False

    def broken():
        raise RuntimeError("the settings row is gone")

    monkeypatch.setattr(SiteSettings, "load", broken)
    response = client.get("/faq/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    errors = [json.loads(line) for line in lines() if '"django.request"' in line]
    assert errors and errors[0]["request_id"] == request_id
    assert "RuntimeError: the settings row is gone" in errors[0]["exception"]


def test_a_request_id_from_the_proxy_is_kept_when_it_is_plain(client):
    assert client.get("/robots.txt", headers={"X-Request-ID": "abc-123"})["X-Request-ID"] == (
        "abc-123"
    )
    forged = client.get("/robots.txt", headers={"X-Request-ID": "a\nb" + "x" * 300})
    assert re.fullmatch(r"[0-9a-f]{32}", forged["X-Request-ID"])
