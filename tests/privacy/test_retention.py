"""Retention: each category's period comes from settings; the nightly task applies every
registered rule, and a second run changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from partnerships.models import ForumJoinRequest, Invitation
from privacy import registry, services, tasks
from privacy.models import AuditEvent, DataExport, ExportStatus
from tests.conftest import World

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def days_ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def snapshot() -> dict[str, Any]:
    return {
        "audit": sorted(AuditEvent.objects.values_list("pk", flat=True)),
        "invitations": sorted(Invitation.objects.values_list("pk", flat=True)),
        "requests": sorted(ForumJoinRequest.objects.values_list("pk", flat=True)),
        "exports": sorted(DataExport.objects.values_list("pk", "status", "file")),
    }


@pytest.fixture
def aged_data(world: World) -> Iterator[dict[str, Any]]:
    audit_days = int(settings.PRIVACY_RETENTION["audit_events"] or 0)
    old_event = AuditEvent.objects.create(event="sign_in", occurred_at=days_ago(audit_days + 1))
    new_event = AuditEvent.objects.create(event="sign_in", occurred_at=days_ago(audit_days - 1))
    old_invite = Invitation.objects.create(
        email="old@example.org",
        forum=world.forum,
        token="old",
        invited_by=world.lead_a,
        created_at=days_ago(91),
    )
    accepted_invite = Invitation.objects.create(
        email="yes@example.org",
        forum=world.forum,
        token="yes",
        invited_by=world.lead_a,
        created_at=days_ago(400),
        accepted_at=days_ago(399),
    )
    old_request = ForumJoinRequest.objects.create(
        forum=world.forum, user=world.member_b, status="declined", decided_at=days_ago(366)
    )
    pending_request = ForumJoinRequest.objects.create(
        forum=world.forum, user=world.member_a, created_at=days_ago(700)
    )
    export = DataExport.objects.create(user=world.member_a)
    services.export_build(export_id=export.pk)
    DataExport.objects.filter(pk=export.pk).update(expires_at=days_ago(1))
    export.refresh_from_db()
    yield {
        "old_event": old_event,
        "new_event": new_event,
        "old_invite": old_invite,
        "accepted_invite": accepted_invite,
        "old_request": old_request,
        "pending_request": pending_request,
        "export": export,
    }
    if export.file:
        export.file.delete(save=False)


def test_retention_removes_only_what_is_past_its_period(aged_data: dict[str, Any]) -> None:
    storage, name = aged_data["export"].file.storage, aged_data["export"].file.name

    changed = services.retention_apply(now=NOW)

    assert changed == {
        "audit_events": 1,
        "export_files": 1,
        "unaccepted_invitations": 1,
        "decided_join_requests": 1,
        # Registered by talking_points, reminders, guests and threads; nothing of theirs
        # is old here.
        "stories_of_change": 0,
        "delivery_logs": 0,
        "guest_links": 0,
        "conversation_emails_received": 0,
    }
    assert not AuditEvent.objects.filter(pk=aged_data["old_event"].pk).exists()
    assert AuditEvent.objects.filter(pk=aged_data["new_event"].pk).exists()
    assert not Invitation.objects.filter(pk=aged_data["old_invite"].pk).exists()
    assert Invitation.objects.filter(pk=aged_data["accepted_invite"].pk).exists()
    assert not ForumJoinRequest.objects.filter(pk=aged_data["old_request"].pk).exists()
    assert ForumJoinRequest.objects.filter(pk=aged_data["pending_request"].pk).exists()
    assert DataExport.objects.get(pk=aged_data["export"].pk).status == ExportStatus.EXPIRED
    assert not storage.exists(name)
    assert AuditEvent.objects.filter(event="retention_applied").count() == 1


def test_second_run_changes_nothing(aged_data: dict[str, Any]) -> None:
    services.retention_apply(now=NOW)
    before = snapshot()

    changed = services.retention_apply(now=NOW)

    assert set(changed.values()) == {0}
    assert snapshot() == before


def test_periods_come_from_settings(aged_data: dict[str, Any]) -> None:
    longer = {**settings.PRIVACY_RETENTION, "audit_events": 10_000, "unaccepted_invitations": None}
    with override_settings(PRIVACY_RETENTION=longer):
        changed = services.retention_apply(now=NOW)

    assert changed["audit_events"] == 0
    assert "unaccepted_invitations" not in changed  # None keeps until deleted
    assert AuditEvent.objects.filter(pk=aged_data["old_event"].pk).exists()


def test_nightly_beat_task_applies_retention(aged_data: dict[str, Any]) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-apply-retention"]

    tasks.apply_retention.run()

    assert entry["task"] == tasks.apply_retention.name == "privacy.apply_retention"
    assert entry["schedule"] == crontab(hour=3, minute=17)
    assert not AuditEvent.objects.filter(pk=aged_data["old_event"].pk).exists()


def test_every_category_has_a_period_including_those_reserved_for_later_apps() -> None:
    assert {
        "audit_events",
        "export_files",
        "stories_of_change",
        "delivery_logs",
    } <= set(settings.PRIVACY_RETENTION)
    for rule in registry.retention_rules():
        assert rule.category in settings.PRIVACY_RETENTION


def test_registering_a_rule_for_an_unknown_category_fails_loudly() -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        registry.register_retention_rule("storeis_of_change", lambda **kw: 0)


def test_privacy_notice_shows_the_periods_from_settings(db: None) -> None:
    periods = {**settings.PRIVACY_RETENTION, "audit_events": 30, "export_files": 14}
    with override_settings(PRIVACY_RETENTION=periods):
        page = Client().get("/about/privacy/").content.decode()

    assert "<td>Security log (sign-ins, changes to accounts and roles)</td><td>30 days</td>" in page
    assert "<td>Copies of your data that you asked for</td><td>14 days</td>" in page
    assert "6 years" in page  # stories of change
