"""The audit log (append-only) and prepared copies of a person's data."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit event through the app."""


class AuditEventType(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_OUT = "sign_out", "Signed out"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    PASSWORD_RESET = "password_reset", "Password reset"
    EMAIL_CHANGED = "email_changed", "Email addresses changed"
    MFA_ADDED = "mfa_added", "Two-step sign-in added"
    MFA_REMOVED = "mfa_removed", "Two-step sign-in removed"
    MFA_RESET = "mfa_reset", "Recovery codes regenerated"
    SESSIONS_ENDED = "sessions_ended", "Other sessions ended"
    ROLE_GRANTED = "role_granted", "Role given"
    ROLE_CHANGED = "role_changed", "Role changed"
    ROLE_REMOVED = "role_removed", "Role removed"
    EXPORT_REQUESTED = "export_requested", "Copy of data requested"
    EXPORT_DOWNLOADED = "export_downloaded", "Copy of data downloaded"
    ACCOUNT_ERASED = "account_erased", "Account deleted"
    RETENTION_APPLIED = "retention_applied", "Old data deleted (retention)"
    # Reserved for the learning log (recorded by talking_points through privacy.audit.record).
    VISIBILITY_CHANGED = "visibility_changed", "Visibility changed"
    CONSENT_GIVEN = "consent_given", "Consent given"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn"
    STORY_OPENED = "story_opened", "Story of change opened"
    LIST_EXPORTED = "list_exported", "List downloaded (CSV)"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("Audit events cannot be deleted, except by retention.")

    def about(self, user_id: int) -> AuditEventQuerySet:
        """Events a person did, or that were done to them."""
        return self.filter(Q(actor_id=user_id) | Q(subject_user_id=user_id))


class AuditEvent(models.Model):
    """Who did what, when and from where — never what was written.

    People are referred to by id, not by a foreign key: erasing an account must not
    rewrite the log (and PostgreSQL refuses any UPDATE of it; see migration 0002).
    """

    occurred_at = models.DateTimeField(default=timezone.now, editable=False)
    event = models.CharField(max_length=40, choices=AuditEventType.choices, editable=False)
    actor_id = models.PositiveBigIntegerField(
        "who did it (person id)", null=True, blank=True, editable=False
    )
    subject_user_id = models.PositiveBigIntegerField(
        "who it is about (person id)", null=True, blank=True, editable=False
    )
    target_type = models.CharField(max_length=100, blank=True, editable=False)
    target_id = models.CharField(max_length=64, blank=True, editable=False)
    ip = models.GenericIPAddressField("IP address", null=True, blank=True, editable=False)
    user_agent = models.CharField("browser", max_length=300, blank=True, editable=False)
    meta = models.JSONField("details", default=dict, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["-occurred_at"], name="audit_recent"),
            models.Index(fields=["event", "-occurred_at"], name="audit_event_recent"),
            models.Index(fields=["actor_id", "-occurred_at"], name="audit_actor_recent"),
            models.Index(fields=["subject_user_id", "-occurred_at"], name="audit_subject_recent"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("Audit events cannot be deleted, except by retention.")


def export_storage() -> Storage:
    """Prepared copies live in their own storage, never under a public URL."""
    return storages["privacy_exports"]


class ExportStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Being prepared"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Could not be prepared"
    EXPIRED = "expired", "Expired"


class DataExport(models.Model):
    """A copy of everything held about a person, prepared in the background."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default="pending")
    progress = models.PositiveSmallIntegerField("per cent done", default=0)
    step = models.CharField("what is being gathered", max_length=120, blank=True)
    # Shown to the person when the copy could not be prepared: why, in plain English.
    detail = models.CharField("what went wrong", max_length=300, blank=True)
    file = models.FileField(storage=export_storage, max_length=200, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["pending", "running"]),
                name="one_export_in_progress_per_person",
            )
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="export_expiry")]

    def __str__(self) -> str:
        return f"Copy of data for person {self.user_id} ({self.get_status_display()})"

    @property
    def in_progress(self) -> bool:
        return self.status in {ExportStatus.PENDING, ExportStatus.RUNNING}

    def is_downloadable(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.status == ExportStatus.READY
            and bool(self.file)
            and self.expires_at is not None
            and self.expires_at > now
        )
