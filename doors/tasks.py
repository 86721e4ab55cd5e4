"""Background work for office hours."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="doors.booking_reminders")
def booking_reminders() -> int:
    """Run by Celery beat every quarter of an hour: a reminder the day before each booked
    time, to both people. Idempotent (see ``services.reminders_queue``): safe to run
    twice, or at once on two workers."""
    return services.reminders_queue()
