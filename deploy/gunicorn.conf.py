"""gunicorn for Uppsök: `gunicorn -c deploy/gunicorn.conf.py uppsok.wsgi`. Values from the environment."""

import multiprocessing
import os

bind = os.environ.get("UPPSOK_BIND", "127.0.0.1:8000")
# Two per CPU and one more: the requests wait on the database more than they compute.
workers = int(os.environ.get("UPPSOK_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = 1
timeout = 60  # a PDF or an export of 10,000 rows stays well under this
graceful_timeout = 30
max_requests = 2000  # a worker is replaced now and then, so no slow leak grows for weeks
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("UPPSOK_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"  # to the journal; the access log names paths, and paths carry ids, never names
errorlog = "-"
