"""gunicorn settings for production: ``gunicorn -c deploy/gunicorn.conf.py``.

Sized for the reference box (2 cores): one process per core, each with a few threads, since a
request mostly waits on PostgreSQL. Every value can be overridden from the environment
(``GUNICORN_BIND``, ``GUNICORN_WORKERS``, ``GUNICORN_THREADS``) so several instances can run
from one file (the deploy test starts two on different ports).

Logs: gunicorn's own access log is off (it prints the raw URL with its query string and the
client address); the app writes one JSON access line per request instead (route pattern,
status, duration, request id). gunicorn's error log is JSON too, through the app's formatter.

Metrics: with ``PROMETHEUS_MULTIPROC_DIR`` set, every worker writes its samples there and
``/metrics`` sums them; the directory is emptied when the master starts and a dead worker's
files are marked so its gauges do not linger.
"""

import os
import shutil

wsgi_app = "miniprogram_api:create_app()"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", os.cpu_count() or 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Load the app once in the master and fork: workers share its memory pages. create_app opens
# no database connection, so no socket is shared across the fork.
preload_app = True
# Recycle workers now and then so a slow leak can never grow a worker past its memory budget.
max_requests = 5000
max_requests_jitter = 500
timeout = 30
graceful_timeout = 30
# nginx keeps upstream connections alive (keepalive in the upstream block); stay above its
# idle timeout so gunicorn is not the one closing under a request.
keepalive = 75
# Heartbeat files on tmpfs: a slow disk must not make the master kill healthy workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Only the local nginx sets X-Forwarded-*; the app trusts one hop (TRUSTED_PROXY_COUNT=1).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn's control socket (gunicornc) is one path per user by default: two instances on one
# host would fight over it, and nothing here uses it.
control_socket_disable = True
limit_request_line = 4094
limit_request_fields = 100

accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "miniprogram_api.logs.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                            "stream": "ext://sys.stderr"}},
    "loggers": {"gunicorn.error": {"handlers": ["stderr"], "level": "INFO",
                                   "propagate": False}},
    # gunicorn replaces, not merges, these keys; the app adds its own JSON handler to root.
    "root": {"level": "INFO", "handlers": []},
}


def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
