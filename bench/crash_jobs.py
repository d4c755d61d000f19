"""The crash test's scheduler stand-in: runs the escalation and checkpoint jobs in a loop.

``python -m bench.crash_jobs DATABASE_URL NOW_ISO`` (with ``SECRET_KEY`` in the environment, the
checkpoint key derives from it) runs, until it is killed, the scheduler's own jobs through the
scheduler's :class:`~miniprogram_api.scheduler.JobRunner` (own connection per run, a failing run
logged and retried next pass):

* ``requests.escalate`` with "now" pinned to ``NOW_ISO`` — the harness moves it 8 hours on per
  cycle, so the requests climb their ladders (reminded, urged, escalated) across the cycles
  while the harness kills this process at random moments;
* ``transparency.checkpoint`` — signs the town's log whenever it grew;
* ``points.credit_pending`` — credits events that had to wait.

Passes follow each other with a short pause instead of the production timetable.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAUSE = 0.2


def build_runner(now: dt.datetime):
    from app.jobs import Every, Job
    from app.requests.jobs import escalate_due
    from miniprogram_api.scheduler import JobRunner

    return JobRunner((
        Job("requests.escalate", lambda: escalate_due(now), Every(1), "escalation, pinned now"),
        Job("transparency.checkpoint", "app.transparency.jobs:sign_checkpoints", Every(1),
            "sign checkpoints"),
        Job("points.credit_pending", "app.points.jobs:credit_pending", Every(1),
            "credit waiting events"),
    ))


def main(argv: list[str]) -> int:
    from app import crypto
    from app.db import init_database

    url, now = argv[0], dt.datetime.fromisoformat(argv[1])
    logging.basicConfig(level=logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    crypto.configure(os.environ["SECRET_KEY"])
    init_database(url, pool_size=2)
    runner = build_runner(now)
    print("ready", flush=True)  # the harness starts its kill timer now
    while True:  # until SIGKILL
        runner.run_all()
        time.sleep(PAUSE)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
