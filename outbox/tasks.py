"""Background work for the outbox. Tasks take ids only (no personal data in the broker)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from . import services


@shared_task(name="outbox.send_delivery", bind=True, max_retries=None, acks_late=True)
def send_delivery(self: Any, *, delivery_id: int) -> None:
    """Send one row at most once (it is claimed before sending). A failure before the
    server took the message releases the claim and retries with exponential backoff; the
    attempt limit lives on the row, so a retry queued by the sweep counts too."""
    outcome = services.delivery_send(delivery_id=delivery_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)


@shared_task(name="outbox.sweep")
def sweep() -> None:
    """Run by Celery beat every few minutes: rows stuck in sending become unknown, and
    pending rows whose task was lost are queued again. Safe to run concurrently."""
    services.deliveries_sweep()
