"""Background work for the shared agenda."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="agenda.notify_rota")
def notify_rota() -> int:
    """Run by beat: give coming sessions their rota facilitator and queue each one's email a
    week ahead. Safe to run twice, or twice at once: one email per session per person
    (see ``services.rota_notify_due``)."""
    return services.rota_notify_due()
