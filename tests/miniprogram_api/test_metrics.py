"""``/metrics``: latency by route pattern, outbox backlog, queue depths and scheduler runs, for
loopback callers and bearers of the metrics token only."""

from __future__ import annotations

import re

import pytest
from prometheus_client.parser import text_string_to_metric_families

from app.jobs import Every, Job
from app.requests import services as request_services
from miniprogram_api import scheduler as sched
from tests.app.notifications.helpers import notify
from tests.app.requests import conftest as requests_conftest
from tests.factories import make_user

town = requests_conftest.town
REMOTE = {"REMOTE_ADDR": "203.0.113.9"}
TOKEN = "metrics-token-for-tests-0123456789"


@pytest.fixture
def metrics_token(app):
    settings = app.config["LINLI_SETTINGS"]
    app.config["LINLI_SETTINGS"] = settings.with_overrides(metrics_token=TOKEN)
    yield TOKEN
    app.config["LINLI_SETTINGS"] = settings


def samples(client) -> dict:
    res = client.get("/metrics")
    assert res.status_code == 200, res.get_data(as_text=True)[:300]
    assert res.mimetype == "text/plain"
    found = {}
    for family in text_string_to_metric_families(res.get_data(as_text=True)):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_latency_is_recorded_by_route_pattern_and_status(client):
    client.get("/api/v1/posts/987654321?q=zzqueryvalue")
    text = client.get("/metrics").get_data(as_text=True)
    assert re.search(r'linli_http_request_duration_seconds_count\{method="GET",'
                     r'route="/api/v1/posts/<int:post_id>",status="404"\} [1-9]', text)
    assert "zzqueryvalue" not in text and "987654321" not in text


def test_outbox_backlog_counts_undelivered_notifications(client):
    user = make_user()
    notify(user, 1)
    notify(user, 2)
    found = samples(client)
    assert found[("linli_outbox_backlog", (("status", "pending"),))] == 2
    assert found[("linli_outbox_backlog", (("status", "sending"),))] == 0
    assert found[("linli_outbox_oldest_seconds", ())] >= 0


def test_queue_depths_follow_the_staff_queues(client, town):
    request_services.submit_request(
        town.actor(town.resident, "miniprogram"), type="help", category_code="environment",
        text="小区门口的路灯不亮了", channel="mini_program")
    found = samples(client)
    assert found[("linli_request_queue_depth", (("queue", "to_accept"),))] == 1
    assert found[("linli_request_queue_depth", (("queue", "overdue"),))] == 0


def counting_job():
    return {"done": 1}


def failing_job():
    raise ValueError("fails")


def test_scheduler_runs_are_exported_with_the_last_success(client):
    runner = sched.JobRunner((Job("notifications.send", counting_job, Every(15), "ok"),
                              Job("requests.escalate", failing_job, Every(60), "fails")))
    runner.run_all()
    found = samples(client)
    assert found[("linli_job_last_run_timestamp_seconds", (("job", "notifications.send"),))] > 0
    assert found[("linli_job_last_success_timestamp_seconds",
                  (("job", "notifications.send"),))] > 0
    assert ("linli_job_last_run_timestamp_seconds", (("job", "requests.escalate"),)) in found
    assert ("linli_job_last_success_timestamp_seconds",
            (("job", "requests.escalate"),)) not in found


def test_a_remote_caller_without_the_token_is_refused(client):
    res = client.get("/metrics", environ_base=REMOTE)
    assert res.status_code == 403
    assert res.get_json()["error"]["code"] == "metrics.forbidden"


def test_a_request_relayed_by_a_local_proxy_is_not_loopback(client):
    res = client.get("/metrics", headers={"X-Forwarded-For": "198.51.100.7"})
    assert res.status_code == 403


def test_the_metrics_token_opens_it_to_remote_callers(client, metrics_token):
    ok = client.get("/metrics", environ_base=REMOTE,
                    headers={"Authorization": f"Bearer {metrics_token}"})
    assert ok.status_code == 200
    wrong = client.get("/metrics", environ_base=REMOTE,
                       headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 403
