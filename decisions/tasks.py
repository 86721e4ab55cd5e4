"""Background work for decisions."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="decisions.remind_reviews")
def remind_reviews() -> int:
    """Queue review reminders for decisions and experiments due soon. Idempotent (see
    ``services.reminders_dispatch``): run it as often as you like."""
    return services.reminders_dispatch()
