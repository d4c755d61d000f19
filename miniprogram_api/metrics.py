"""Prometheus ``/metrics``: request latency, outbox backlog, queue depths, scheduler runs.

The latency histogram is observed by every worker; with ``PROMETHEUS_MULTIPROC_DIR`` set
(gunicorn: see ``deploy/gunicorn.conf.py``) each worker writes its samples to files in that
directory and a scrape sums them, so whichever worker answers reports the whole server. The
database figures (outbox, queues, scheduler runs) are read at scrape time by the worker that
answers, so they are never summed twice.

Only loopback callers (a local Prometheus or node agent) or callers presenting
``Authorization: Bearer <METRICS_TOKEN>`` may read it. A request that came through a proxy
(it carries ``X-Forwarded-For``) is not loopback even when the proxy is.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import os
import time

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from app import monitoring
from app.db import database
from app.errors import Forbidden
from app.jobs import JOBS
from miniprogram_api.logs import route_of

log = logging.getLogger("linli.metrics")
bp = Blueprint("metrics", __name__)
LOOPBACK = ("127.0.0.1", "::1")

REQUEST_SECONDS = Histogram(
    "linli_http_request_duration_seconds", "HTTP request latency by route pattern and status",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0))


def _epoch(iso: str) -> float:
    return dt.datetime.fromisoformat(iso).replace(tzinfo=dt.UTC).timestamp()


class DatabaseCollector:
    """Gauges read from the database at scrape time (one query per figure)."""

    def collect(self):
        backlog = GaugeMetricFamily("linli_outbox_backlog",
                                    "Notifications waiting in the outbox, by status",
                                    labels=["status"])
        queues = GaugeMetricFamily("linli_request_queue_depth",
                                   "Requests waiting in a staff queue", labels=["queue"])
        oldest = GaugeMetricFamily("linli_outbox_oldest_seconds",
                                   "Age of the oldest undelivered notification")
        last_run = GaugeMetricFamily("linli_job_last_run_timestamp_seconds",
                                     "When a scheduled job last finished (Unix time)",
                                     labels=["job"])
        last_ok = GaugeMetricFamily("linli_job_last_success_timestamp_seconds",
                                    "When a scheduled job last finished without error",
                                    labels=["job"])
        with database.connection_context():
            for status, count in monitoring.outbox_backlog().items():
                backlog.add_metric([status], count)
            oldest.add_metric([], monitoring.oldest_backlog_seconds())
            for name, count in monitoring.queue_depths().items():
                queues.add_metric([name], count)
            for job_id, run in monitoring.job_runs(job.id for job in JOBS).items():
                last_run.add_metric([job_id], _epoch(run["finished"]))
                if run.get("last_success"):
                    last_ok.add_metric([job_id], _epoch(run["last_success"]))
        yield from (backlog, oldest, queues, last_run, last_ok)


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseCollector())
    return registry


def exposition() -> bytes:
    """The text exposition of every metric (summed across workers in multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        process = CollectorRegistry()
        multiprocess.MultiProcessCollector(process)
    else:
        process = REGISTRY
    return generate_latest(process) + generate_latest(_registry())


def allowed() -> bool:
    """Loopback without a proxy in between, or the configured bearer token."""
    token = current_app.config["LINLI_SETTINGS"].metrics_token
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(
            header[len("Bearer "):].strip().encode(), token.encode()):
        return True
    return request.remote_addr in LOOPBACK and "X-Forwarded-For" not in request.headers


@bp.get("/metrics")
def metrics():
    if not allowed():
        raise Forbidden("metrics.forbidden", "只允许本机或持有监控令牌的调用方读取")
    return Response(exposition(), mimetype=CONTENT_TYPE_LATEST)


def install_request_metrics(app: Flask) -> None:
    """Observe each request's latency by route pattern (``g.started_at`` is set by the
    access-log clock of :func:`miniprogram_api.logs.install_access_log`)."""

    @app.after_request
    def _observe(response):
        started = g.get("started_at")
        if started is not None:
            REQUEST_SECONDS.labels(request.method, route_of(), str(response.status_code)) \
                .observe(time.perf_counter() - started)
        return response
