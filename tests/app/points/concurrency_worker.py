"""The body of one process of the points concurrency test (run in a forked process).

Each process builds its own app and database connection, waits at the barrier, then replays the
shared events in its own shuffled order, interleaved with redemptions through the HTTP API.
It reports every HTTP status and every exception; the test decides what counts as failure.
"""

from __future__ import annotations

import random


def run(env: dict, events: list, redemptions: list, seed: int, barrier, results) -> None:
    outcome = {"statuses": [], "errors": [], "redeemed": []}
    try:
        from app.db import database
        from app.points.services import record_points_event
        from config import load_settings
        from miniprogram_api import create_app

        app = create_app(load_settings(env))
        client = app.test_client()
        steps = [("event", e) for e in events] + [("redeem", r) for r in redemptions]
        random.Random(seed).shuffle(steps)
        barrier.wait(timeout=60)
        for kind, step in steps:
            if kind == "event":
                event_type, ref, user_id, region_id, quantity = step
                try:
                    with database.connection_context():
                        record_points_event(event_type, ref, user_id, region_id, quantity)
                except Exception as exc:  # any failure of the service is a test failure
                    outcome["errors"].append(repr(exc))
            else:
                token, body = step
                res = client.post("/api/v1/points/redemptions", json=body,
                                  headers={"Authorization": f"Bearer {token}"})
                outcome["statuses"].append(res.status_code)
                if res.status_code == 201:
                    outcome["redeemed"].append((body["request_key"],
                                                res.get_json()["data"]["id"]))
                if res.status_code >= 500:
                    outcome["errors"].append(res.get_data(as_text=True)[:300])
    except Exception as exc:
        outcome["errors"].append(repr(exc))
    results.put(outcome)
