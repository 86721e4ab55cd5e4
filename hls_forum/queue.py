"""Queue Celery tasks after the surrounding transaction commits, without ever failing the
web request when the broker is down (the task's own catch-up path must cover that)."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def _send(task: Any, kwargs: dict[str, Any]) -> None:
    try:
        task.apply_async(kwargs=kwargs, retry=False)
    except Exception:  # the broker is unreachable: log, never break the request
        logger.exception("Could not queue %s; it will be picked up later", task.name)


def enqueue_after_commit(task: Any, **kwargs: Any) -> None:
    """Queue ``task`` with keyword ids once the current transaction commits."""
    transaction.on_commit(partial(_send, task, kwargs))
