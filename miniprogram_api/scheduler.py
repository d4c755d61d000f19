"""The scheduler process: the composition root for scheduled jobs.

``flask --app miniprogram_api scheduler`` (or ``python -m miniprogram_api.scheduler``) runs the
jobs declared in :mod:`app.jobs` with APScheduler, in exactly one process: it first takes a
database-wide lock (a PostgreSQL advisory lock held on a dedicated connection; on SQLite an
``flock`` on a file next to the database). A second scheduler started by mistake logs that it is
idle and keeps trying, so it takes over only when the first one is gone.

Each job run gets its own database connection and its injected dependencies; an exception is
logged (type, code and frame locations, never the message, which may quote personal data) and
never stops the scheduler or the other jobs. Tests drive :class:`JobRunner` and the lock
classes directly instead of waiting for the clock.
"""

from __future__ import annotations

import fcntl
import inspect
import logging
import os
import signal
import tempfile
import threading
import traceback
from collections.abc import Mapping

import click
import peewee
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask, current_app

from app import monitoring
from app.clock import SHANGHAI, utcnow
from app.db import database, make_database
from app.errors import DomainError
from app.jobs import DEPENDENCIES, JOBS, Cron, Every, Job
from app.notifications.templates import TEMPLATES, template_ids

log = logging.getLogger("linli.scheduler")

PG_LOCK_KEY = 7_340_002  # advisory lock id of the scheduler (migrations use 7_340_001)
RETRY_SECONDS = 30
LOCK_CHECK_SECONDS = 60
IDLE_MESSAGE = "another scheduler is running; staying idle"


class SchedulerLock:
    """Held by at most one scheduler per database; ``with lock:`` tries once and releases."""

    held = False

    def acquire(self) -> bool:
        raise NotImplementedError

    def check(self) -> bool:
        return self.held

    def release(self) -> None:
        raise NotImplementedError

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()


class FileSchedulerLock(SchedulerLock):
    """An exclusive ``flock`` on a file (SQLite: one host, so a file lock is enough)."""

    def __init__(self, path: str):
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None


class PostgresSchedulerLock(SchedulerLock):
    """``pg_try_advisory_lock`` held by a dedicated connection for the process lifetime.

    The session lock goes away with the connection, so a crashed scheduler frees it at once.
    """

    def __init__(self, url: str, key: int = PG_LOCK_KEY):
        self.url, self.key = url, key
        self._db: peewee.PostgresqlDatabase | None = None

    @property
    def held(self) -> bool:
        return self._db is not None

    def acquire(self) -> bool:
        if self._db is not None:
            return True
        params = make_database(self.url, pool_size=1)
        # thread_safe=False: one connection shared by the main thread and the lock watcher.
        db = peewee.PostgresqlDatabase(params.database, thread_safe=False, autoconnect=False,
                                       **params.connect_params)
        db.connect()
        try:
            got = db.execute_sql("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()[0]
        except Exception:
            db.close()
            raise
        if not got:
            db.close()
            return False
        self._db = db
        return True

    def check(self) -> bool:
        """Whether the lock connection is still alive (the lock dies with it)."""
        if self._db is None:
            return False
        try:
            self._db.execute_sql("SELECT 1").fetchone()
            return True
        except peewee.DatabaseError:
            return False

    def release(self) -> None:
        if self._db is None:
            return
        try:
            self._db.execute_sql("SELECT pg_advisory_unlock(%s)", (self.key,))
        except peewee.DatabaseError:
            pass  # connection already gone: so is the lock
        finally:
            self._db.close()
            self._db = None


def lock_for(database_url: str) -> SchedulerLock:
    """The single-scheduler lock for a database URL."""
    if database_url.startswith("sqlite:///"):
        path = database_url[len("sqlite:///"):]
        if path == ":memory:":
            path = os.path.join(tempfile.gettempdir(), "linli-memory.db")
        return FileSchedulerLock(path + ".scheduler.lock")
    return PostgresSchedulerLock(database_url)


def wait_for_lock(lock: SchedulerLock, stop: threading.Event,
                  retry_seconds: float = RETRY_SECONDS) -> bool:
    """Take ``lock``, idling and retrying every ``retry_seconds`` until it is free.

    Returns False if ``stop`` was set first.
    """
    announced = False
    while not stop.is_set():
        if lock.acquire():
            log.info("scheduler lock acquired")
            return True
        (log.debug if announced else log.warning)(IDLE_MESSAGE)
        announced = True
        stop.wait(retry_seconds)
    return False


class JobRunner:
    """Runs jobs of the table by id, each with its dependencies and its own connection."""

    def __init__(self, jobs: tuple[Job, ...] = JOBS, dependencies: Mapping | None = None):
        ids = [job.id for job in jobs]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate job ids: {duplicates}")
        self.jobs = {job.id: job for job in jobs}
        self.dependencies = dict(dependencies or {})
        self._calls = {job.id: self._bind(job) for job in jobs}

    def _bind(self, job: Job):
        fn = job.resolve()
        kwargs = {}
        for name, param in inspect.signature(fn).parameters.items():
            if name in self.dependencies:
                kwargs[name] = self.dependencies[name]
            elif param.default is inspect.Parameter.empty and param.kind not in (
                    param.VAR_POSITIONAL, param.VAR_KEYWORD):
                known = "a known" if name in DEPENDENCIES else "an unknown"
                raise ValueError(f"job {job.id} needs {known} dependency {name!r}")
        return fn, kwargs

    def run_once(self, job_id: str) -> bool:
        """Run one job now; True when it finished, False when it raised (and was logged)."""
        fn, kwargs = self._calls[job_id]
        started = utcnow()
        try:
            with database.connection_context():
                result = fn(**kwargs)
        except Exception as exc:
            code = f" code={exc.code}" if isinstance(exc, DomainError) else ""
            # Where, not what: frames without source text or the message.
            stack = "\n".join(f"  {f.filename}:{f.lineno} in {f.name}"
                              for f in traceback.extract_tb(exc.__traceback__))
            log.error("job %s failed: %s%s\n%s", job_id, type(exc).__name__, code, stack)
            self._record(job_id, False, started)
            return False
        if result:
            log.info("job %s done: %s", job_id, result)
        self._record(job_id, True, started)
        return True

    def _record(self, job_id: str, ok: bool, started) -> None:
        """Note the run for /metrics; a failure to note it is logged, never raised."""
        try:
            with database.connection_context():
                monitoring.record_job_run(job_id, ok, started=started, finished=utcnow())
        except Exception as exc:
            log.warning("job %s run not recorded: %s", job_id, type(exc).__name__)

    def run_all(self) -> dict[str, bool]:
        """Run every job once, in table order (a failing job does not stop the next)."""
        return {job_id: self.run_once(job_id) for job_id in self.jobs}


def _trigger(trigger: Every | Cron):
    if isinstance(trigger, Every):
        return IntervalTrigger(seconds=trigger.seconds, timezone=SHANGHAI)
    return CronTrigger(minute=trigger.minute, hour=trigger.hour, day=trigger.day,
                       month=trigger.month, day_of_week=trigger.day_of_week, timezone=SHANGHAI)


def build_scheduler(runner: JobRunner, *, lock: SchedulerLock | None = None,
                    lock_check_seconds: float = LOCK_CHECK_SECONDS) -> BlockingScheduler:
    """An APScheduler with one entry per job; runs of one job never overlap or pile up."""
    scheduler = BlockingScheduler(
        timezone=SHANGHAI,
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
    )
    for job in runner.jobs.values():
        scheduler.add_job(runner.run_once, _trigger(job.trigger), args=[job.id], id=job.id,
                          name=job.description)
    if lock is not None:
        def watch_lock():
            if not lock.check():
                log.error("scheduler lock lost; stopping jobs")
                scheduler.shutdown(wait=False)

        scheduler.add_job(watch_lock, IntervalTrigger(seconds=lock_check_seconds),
                          id="scheduler.lock_watch", name="check the scheduler lock")
    return scheduler


def build_dependencies(settings, gateway) -> dict:
    """What jobs may ask for (``app.jobs.DEPENDENCIES``), built from settings."""
    from miniprogram_api.wechat.sender import WeChatSender

    ids = template_ids({**os.environ, **settings.extra})
    if settings.wechat_mode == "fake":  # development: every template works against the fake
        ids = {key: ids.get(key, f"fake-{key}") for key in TEMPLATES}
    from app.media.storage import FileSystemStorage

    return {"sender": WeChatSender(gateway, settings), "template_ids": ids,
            "storage": FileSystemStorage(settings.media_root)}


def serve(settings, gateway, *, stop: threading.Event | None = None,
          retry_seconds: float = RETRY_SECONDS,
          lock_check_seconds: float = LOCK_CHECK_SECONDS) -> None:
    """Run the scheduler until ``stop`` is set or the process is told to end."""
    # APScheduler logs two lines per run at INFO; our runner logs what matters.
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
    runner = JobRunner(JOBS, build_dependencies(settings, gateway))
    lock = lock_for(settings.database_url)
    stop = stop or threading.Event()
    while not stop.is_set():
        if not wait_for_lock(lock, stop, retry_seconds):
            break
        scheduler = build_scheduler(runner, lock=lock, lock_check_seconds=lock_check_seconds)
        try:
            log.info("scheduler running jobs: %s", ", ".join(runner.jobs))
            scheduler.start()  # blocks until shutdown (lock lost) or SystemExit
        finally:
            if scheduler.running:
                scheduler.shutdown(wait=True)
            lock.release()


def _exit_on_term(stop: threading.Event) -> None:
    def handler(signum, frame):
        stop.set()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, handler)


def register_scheduler_cli(app: Flask) -> None:
    """Adds ``flask --app miniprogram_api scheduler``."""

    @app.cli.command("scheduler")
    @click.option("--retry-seconds", default=RETRY_SECONDS, show_default=True,
                  help="How often an idle scheduler retries the lock.")
    def scheduler_command(retry_seconds):
        """运行定时任务进程 (the single scheduler process)."""
        stop = threading.Event()
        _exit_on_term(stop)
        serve(current_app.config["LINLI_SETTINGS"], current_app.extensions["wechat"],
              stop=stop, retry_seconds=retry_seconds)


def main() -> None:
    from app import crypto
    from app.db import init_database
    from config import load_settings
    from miniprogram_api import configure_logging
    from miniprogram_api.wechat import build_gateway

    settings = load_settings()
    configure_logging(settings.log_level)
    crypto.configure(settings.secret_key)
    init_database(settings.database_url, pool_size=settings.db_pool_size,
                  busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    stop = threading.Event()
    _exit_on_term(stop)
    serve(settings, build_gateway(settings), stop=stop)


if __name__ == "__main__":
    main()
