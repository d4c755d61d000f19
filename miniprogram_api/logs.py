"""Structured logs: one JSON object per line, tagged with the request id, never personal data.

Every line has ``time`` (UTC, ISO 8601), ``level``, ``logger`` and ``message``; lines written
while a request runs also carry ``request_id``. Once per request the ``linli.access`` logger
writes the access line: ``method``, ``route`` (the URL rule, e.g.
``/api/v1/requests/<int:request_id>``, never the raw path or its query string), ``status`` and
``duration_ms``. No client address, user agent, header or body is logged. Report routes write
no access line at all (the reports module already drops werkzeug's and gunicorn's: an access
line with a time would let an operator line up a report with a network log).

Loggers that print personal data below INFO are capped: peewee writes every SQL statement with
its parameters (phone hashes, request text) at DEBUG, urllib3 writes WeChat URLs (secrets,
login codes). Exceptions are written as their type and frame locations, without the message.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import time
import traceback

from flask import Flask, g, has_request_context, request

ACCESS_LOGGER = "linli.access"
# logger name -> the lowest level it may write at (DEBUG there would print personal data).
CAPPED_LOGGERS = {"urllib3": logging.WARNING, "peewee": logging.INFO,
                  "flask-limiter": logging.WARNING}
_FIELDS = ("method", "route", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line (gunicorn's ``logconfig_dict`` uses it too)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC)
            .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id is None and has_request_context():
            request_id = g.get("request_id")
        if request_id is not None:
            entry["request_id"] = request_id
        for name in _FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info and record.exc_info[0] is not None:
            entry["exc_type"] = record.exc_info[0].__name__
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)

    def formatException(self, ei) -> str:
        """Where, not what: frame locations only. An exception's message and the source
        lines around it may quote personal data (a phone number in a failed lookup)."""
        return "\n".join(f"{frame.filename}:{frame.lineno} in {frame.name}"
                         for frame in traceback.extract_tb(ei[2]))


def configure_logging(level: str) -> None:
    """Send every log record to stderr as JSON lines (idempotent: one handler only)."""
    root = logging.getLogger()
    root.setLevel(level)
    ours = [h for h in root.handlers if getattr(h, "linli_json", False)]
    if not ours:
        handler = logging.StreamHandler(sys.stderr)
        handler.linli_json = True
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    for name, floor in CAPPED_LOGGERS.items():
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < floor:
            logger.setLevel(floor)


def route_of() -> str:
    """The URL rule the request matched, or ``<unmatched>`` (a 404 has no rule)."""
    rule = request.url_rule
    return rule.rule if rule is not None else "<unmatched>"


def install_access_log(app: Flask, *, skip=lambda: False) -> None:
    """Time each request and write its access line; ``skip()`` True suppresses the line."""
    log = logging.getLogger(ACCESS_LOGGER)

    @app.before_request
    def _start_clock():
        g.started_at = time.perf_counter()

    @app.after_request
    def _access_line(response):
        started = g.get("started_at")
        duration = (time.perf_counter() - started) if started is not None else 0.0
        g.request_seconds = duration
        if not skip():
            log.info("request", extra={
                "method": request.method, "route": route_of(), "status": response.status_code,
                "duration_ms": round(duration * 1000, 2)})
        return response
