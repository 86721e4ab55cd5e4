"""Data rights: a copy of everything held about a person, erasure, and retention."""

from __future__ import annotations

import contextlib
import csv
import datetime
import errno
import io
import json
import logging
import tempfile
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from hls_forum.queue import enqueue_after_commit
from hls_forum.spreadsheet import csv_cell

from . import audit, registry
from .models import AuditEventType, DataExport, ExportStatus

logger = logging.getLogger(__name__)

# A person may ask for this many copies a day; each reads everything they hold.
EXPORTS_PER_DAY = 3
# A copy "being prepared" for longer than this was lost with its worker; retry it.
STALE_EXPORT = datetime.timedelta(minutes=15)
# A copy still waiting this long after it was asked for lost its task (the broker was
# unreachable); Celery beat looks this often. At most CATCH_UP_BATCH copies a look.
UNQUEUED_EXPORT = datetime.timedelta(seconds=15)
CATCH_UP_BATCH = 20


class ExportRefused(Exception):
    """The copy cannot be started now; the message says why in plain English."""


def export_request(*, user: Any, request: HttpRequest | None = None) -> DataExport:
    """Start preparing a copy of everything held about ``user``.

    Guarantees: at most one copy is in progress per person (a unique constraint), at most
    ``EXPORTS_PER_DAY`` a day, and the task is queued only after the row is committed.
    """
    from .tasks import build_export

    since = timezone.now() - datetime.timedelta(days=1)
    with transaction.atomic():
        existing = DataExport.objects.filter(
            user=user, status__in=[ExportStatus.PENDING, ExportStatus.RUNNING]
        ).first()
        if existing is not None:
            return existing
        if DataExport.objects.filter(user=user, requested_at__gte=since).count() >= (
            EXPORTS_PER_DAY
        ):
            raise ExportRefused(
                f"You can ask for {EXPORTS_PER_DAY} copies a day. Please try again tomorrow."
            )
        try:
            with transaction.atomic():
                export = DataExport.objects.create(user=user)
        except IntegrityError:  # a second tab asked at the same moment
            return DataExport.objects.get(
                user=user, status__in=[ExportStatus.PENDING, ExportStatus.RUNNING]
            )
        audit.record(AuditEventType.EXPORT_REQUESTED, actor=user, target=export, request=request)
        enqueue_after_commit(build_export, export_id=export.pk)
    return export


def _rows_to_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    fields: list[str] = []
    for row in rows:
        fields += [k for k in row if k not in fields]
    writer = csv.DictWriter(out, fieldnames=fields or ["nothing_held"])
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return out.getvalue()


README = """A copy of everything HLS Forum holds about you
==============================================

Prepared on {when} (UTC). Each part is here twice: as JSON (for computers) and as CSV
(for spreadsheets). An empty file means we hold nothing of that kind about you.

{contents}

To have your account and data deleted, sign in and choose "Delete your account" on the
"Your data" page. Questions: see the privacy notice at {site}/about/privacy/.
"""


NO_SPACE = (
    "We ran out of storage space while preparing your copy, so we stopped and kept "
    "nothing. We have been told. Please ask again later."
)
COULD_NOT_PREPARE = (
    "Something went wrong while preparing your copy, so we stopped and kept nothing. "
    "We have been told. Please ask again; if it keeps failing, contact us."
)


def _out_of_space(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def _save_whole(storage: Storage, name: str, content: IO[bytes]) -> str:
    """Save ``content`` under ``name``, or raise leaving nothing there: a file system
    storage keeps what it had written when a write fails (a disk filling up), and a
    half-written ZIP must never be offered for download or left taking up space."""
    try:
        return storage.save(name, File(content, name=name))
    except BaseException:
        # The name is new (a random one), so whatever is there is our partial file.
        with contextlib.suppress(OSError):
            storage.delete(name)
        raise


def export_build(*, export_id: int) -> DataExport | None:
    """Gather every registered section into a ZIP of JSON and CSV files.

    Idempotent: the row is claimed with a conditional update (pending, or running but
    abandoned by a lost worker), so a redelivered task never builds twice at once.
    Progress is written after each section so the person's page can show it.
    """
    from django.conf import settings

    now = timezone.now()
    claimed = (
        DataExport.objects.filter(pk=export_id, status=ExportStatus.PENDING).update(
            status=ExportStatus.RUNNING, started_at=now, progress=1
        )
    ) or (
        DataExport.objects.filter(
            pk=export_id, status=ExportStatus.RUNNING, started_at__lt=now - STALE_EXPORT
        ).update(started_at=now, progress=1)
    )
    if claimed != 1:
        return None
    export = DataExport.objects.select_related("user").get(pk=export_id)
    sections = registry.export_sections()
    try:
        with tempfile.TemporaryFile() as raw:
            with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                contents = []
                for number, section in enumerate(sections, start=1):
                    DataExport.objects.filter(pk=export_id).update(
                        step=section.name.replace("_", " ")
                    )
                    rows = [dict(row) for row in section.fn(export.user) or []]
                    archive.writestr(
                        f"{section.name}.json",
                        json.dumps(rows, default=str, indent=2, ensure_ascii=False),
                    )
                    archive.writestr(f"{section.name}.csv", _rows_to_csv(rows))
                    contents.append(f"- {section.name}: {section.description}")
                    DataExport.objects.filter(pk=export_id).update(
                        progress=max(1, int(number * 95 / len(sections)))
                    )
                archive.writestr(
                    "README.txt",
                    README.format(
                        when=f"{now:%Y-%m-%d %H:%M}",
                        contents="\n".join(contents),
                        site=settings.SITE_URL,
                    ),
                )
            size = raw.tell()
            raw.seek(0)
            name = f"{export.user_id}/{uuid.uuid4().hex}.zip"
            saved = _save_whole(export.file.storage, name, raw)
        finished = timezone.now()
        days = registry.retention_days("export_files") or 7
        DataExport.objects.filter(pk=export_id).update(
            status=ExportStatus.READY,
            progress=100,
            step="",
            file=saved,
            size_bytes=size,
            finished_at=finished,
            expires_at=finished + datetime.timedelta(days=days),
        )
    except Exception as error:
        logger.exception("Could not prepare data export %s", export_id)
        DataExport.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED,
            step="",
            detail=NO_SPACE if _out_of_space(error) else COULD_NOT_PREPARE,
            finished_at=timezone.now(),
        )
        return None
    export.refresh_from_db()
    return export


def account_erase(*, user: Any, request: HttpRequest | None = None) -> dict[str, int]:
    """Delete a person's account and everything registered as theirs to erase.

    Precondition: the person confirmed and recently re-authenticated (the view checks).
    Guarantee: every registered step and the account deletion happen in one transaction,
    so a failure leaves the account whole. One audit event records the erasure, with
    counts only. Returns the counts per step.
    """
    user_id = user.pk
    counts: dict[str, int] = {}
    with transaction.atomic():
        with audit.suppressed():
            for step in registry.erasure_steps():
                counts[step.name] = int(step.fn(user) or 0)
            user.delete()
        audit.record(
            AuditEventType.ACCOUNT_ERASED,
            actor=user_id,
            subject=user_id,
            request=request,
            steps=len(counts),
            rows=sum(counts.values()),
        )
    return counts


def exports_catch_up(*, now: datetime.datetime | None = None) -> int:
    """Prepare the copies whose task was lost, here and now; returns how many it tried.

    A copy is asked for in a web request and its task queued after commit; when the broker
    is unreachable at that moment the task never exists (``enqueue_after_commit`` lets the
    request succeed). Run by Celery beat every ``UNQUEUED_EXPORT``: it prepares copies
    pending for longer than that, and copies left "being prepared" past ``STALE_EXPORT``
    by a worker that died. Safe beside the queued tasks and a second beat: ``export_build``
    claims each row with a conditional update, so each copy is built once.
    """
    now = now or timezone.now()
    lost = DataExport.objects.filter(
        Q(status=ExportStatus.PENDING, requested_at__lt=now - UNQUEUED_EXPORT)
        | Q(status=ExportStatus.RUNNING, started_at__lt=now - STALE_EXPORT)
    ).order_by("requested_at")
    ids = list(lost.values_list("pk", flat=True)[:CATCH_UP_BATCH])
    for export_id in ids:
        export_build(export_id=export_id)
    return len(ids)


def retention_apply(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Apply every registered retention rule whose category has a period.

    Idempotent: each rule removes only what is past its period, so a second run finds
    nothing and records nothing.
    """
    now = now or timezone.now()
    changed: dict[str, int] = {}
    for rule in registry.retention_rules():
        cutoff = registry.retention_cutoff(rule.category, now)
        if cutoff is None:
            continue
        changed[rule.name] = int(rule.fn(cutoff=cutoff, now=now) or 0)
    total = sum(changed.values())
    if total:
        counts = {name: count for name, count in changed.items() if count}
        audit.record(AuditEventType.RETENTION_APPLIED, None, None, None, **counts)
    return changed
