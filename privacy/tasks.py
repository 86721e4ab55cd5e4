"""Background work for data rights. Tasks take ids, re-fetch, and call a service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="privacy.build_export")
def build_export(*, export_id: int) -> None:
    """Prepare a person's copy. The service claims the row, so a redelivery is harmless."""
    services.export_build(export_id=export_id)


@shared_task(name="privacy.catch_up_exports")
def catch_up_exports() -> None:
    """Every 15 seconds (Celery beat): prepare copies whose task was lost. Idempotent."""
    services.exports_catch_up()


@shared_task(name="privacy.apply_retention")
def apply_retention() -> None:
    """Nightly (Celery beat): delete what is past its retention period. Idempotent."""
    services.retention_apply()
