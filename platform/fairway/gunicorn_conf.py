"""gunicorn's settings for `fairway serve` (`-c python:fairway.gunicorn_conf`).

Workers and the address come from the environment; gunicorn's own lines are JSON like the rest
(fairway/logs.py); its access log stays off because RequestLogMiddleware writes one line per
request without the query string.
"""

import os

from fairway.logs import logging_config

bind = os.environ.get("FAIRWAY_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("FAIRWAY_WORKERS", "2"))
timeout = int(os.environ.get("FAIRWAY_TIMEOUT", "60"))
graceful_timeout = 30
# Behind the TLS proxy: trust its X-Forwarded-* only from the addresses the settings trust.
forwarded_allow_ips = os.environ.get("FAIRWAY_TRUSTED_PROXIES", "127.0.0.1") or "127.0.0.1"
accesslog = None
# No gunicornc socket: systemd or the container runtime manages the process.
control_socket_disable = True
logconfig_dict = logging_config(level=os.environ.get("FAIRWAY_LOG_LEVEL", "INFO"))
