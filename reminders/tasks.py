"""Background work for reminders. Tasks take ids only (no personal data in the broker)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from . import services


@shared_task(name="reminders.dispatch")
def dispatch() -> None:
    """Run by Celery beat every few minutes: create due deliveries and queue their sends.
    Idempotent and safe to run concurrently (see ``services.reminders_dispatch``)."""
    services.reminders_dispatch()


@shared_task(name="reminders.send_delivery", bind=True, max_retries=None, acks_late=True)
def send_delivery(self: Any, *, delivery_id: int) -> None:
    """Send one delivery at most once (the row is claimed before sending). A transient SMTP
    error releases the claim and retries with exponential backoff; the attempt limit lives
    on the row, so a retry queued by the dispatcher counts too."""
    outcome = services.delivery_send(delivery_id=delivery_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
