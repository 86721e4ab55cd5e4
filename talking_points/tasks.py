"""Background work for talking points. Tasks take ids, re-fetch, and call a service."""

from __future__ import annotations

from celery import shared_task

from . import services

# --- Forum sessions ---------------------------------------------------------------


@shared_task(name="talking_points.send_session_summary")
def send_session_summary(*, session_id: int) -> int:
    """Email a closed session's summary to its attendees. Safe to run twice: each
    attendee's outbox row is claimed before sending (see ``services.session_summary_send``);
    a failure the server may retry is retried by the outbox after a backoff."""
    return services.session_summary_send(session_id=session_id)


# --- Learning logs ------------------------------------------------------------------


@shared_task(name="talking_points.notify_review")
def notify_review(*, review_id: int) -> int:
    """Email a commissioner's response, or a reply in its thread, to the people it concerns.

    Idempotent: each person's outbox row is claimed before sending, so a retry or a
    duplicate never sends twice; one person's failure never holds up the others.
    """
    from .services import review_notify

    return review_notify(review_id=review_id)
