"""The project container's own tables: what the background workers say about themselves."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """A running `fairway worker`, on any machine: written as it starts, refreshed every
    FAIRWAY_WORKER_HEARTBEAT seconds, deleted when it stops cleanly (fairway/worker.py).

    A row nobody refreshed for FAIRWAY_WORKER_GONE_AFTER seconds is a worker that died (killed,
    out of memory, its machine lost): another worker queues its task again and deletes the row.
    """

    # "host:pid:random" (fairway.worker.worker_id_make), as in django-tasks' `worker_ids`.
    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} (last seen {self.last_seen:%Y-%m-%d %H:%M:%S})"
