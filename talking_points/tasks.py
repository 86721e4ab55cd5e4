"""Background work for talking points. Tasks take ids, re-fetch, and call a service."""

from __future__ import annotations

from celery import shared_task

# --- Learning logs ------------------------------------------------------------------


@shared_task(
    name="talking_points.notify_review",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def notify_review(*, review_id: int) -> int:
    """Email a commissioner's response, or a reply in its thread, to the people it concerns.

    Idempotent: ``review_notify`` claims the row, so a retry or a duplicate never sends twice.
    """
    from .services import review_notify

    return review_notify(review_id=review_id)
