"""Gunicorn settings loaded by `motcua serve` (`--config python:motcua.ops.gunicorn_hooks`)."""

import os

# The JSON request log (motcua.request) replaces gunicorn's access log.
accesslog = None


def child_exit(server, worker):
    """A dead gunicorn worker's live gauges leave the metrics (prometheus-client multiprocess)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
