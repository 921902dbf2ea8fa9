"""What operators read: a request id on every request (from the proxy's ``X-Request-ID`` when
it is plain, else a new one) carried into every log line written while it is answered, and
the formatters the settings' LOGGING uses (text or JSON, decision 0087)."""

import contextvars
import json
import logging
import re
import uuid

_request_id = contextvars.ContextVar("request_id", default="-")
# What a proxy's id may look like to be kept: anything else (a line break, a megabyte) is
# replaced, so that nobody can write into the log through it.
_PLAIN_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestIdMiddleware:
    """First in MIDDLEWARE: every log line of the request carries its id, and so does the
    response (``X-Request-ID``), for a visitor's report to find the error's log lines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = offered if _PLAIN_ID.fullmatch(offered) else uuid.uuid4().hex
        token = _request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request.id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record ("-" outside a request: commands, start-up)."""

    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, message, and the traceback
    when there is one (python-json-logger was left: one small class does it)."""

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
