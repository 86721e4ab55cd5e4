"""The audit log in Django admin: read-only, searchable, and nobody may add, change or
delete an event (superusers included)."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from .models import AuditEvent, DataExport


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "event", "actor_id", "subject_user_id", "target_type", "ip"]
    list_filter = ["event"]
    search_fields = ["target_type"]
    search_help_text = "A person number, an IP address, or what it was about (e.g. membership)."
    date_hierarchy = "occurred_at"
    show_full_result_count = False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[AuditEvent], search_term: str
    ) -> tuple[QuerySet[AuditEvent], bool]:
        """Numbers are people, addresses are addresses, anything else is a kind of thing;
        each is parsed first, so a malformed term never reaches the database."""
        term = search_term.strip().lstrip("#")
        if not term:
            return queryset, False
        if term.isdigit() and len(term) < 19:
            person = int(term)
            return queryset.filter(Q(actor_id=person) | Q(subject_user_id=person)), False
        try:
            return queryset.filter(ip=str(ipaddress.ip_address(term))), False
        except ValueError:
            return queryset.filter(target_type__icontains=term[:100]), False

    readonly_fields = [
        "occurred_at",
        "event",
        "actor_id",
        "subject_user_id",
        "target_type",
        "target_id",
        "ip",
        "user_agent",
        "meta",
    ]


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdmin):
    """Staff see that copies were asked for and how they went; never their contents."""

    list_display = ["user", "status", "progress", "requested_at", "finished_at", "expires_at"]
    list_filter = ["status"]
    exclude = ["file"]
    readonly_fields = [
        "user",
        "status",
        "progress",
        "step",
        "size_bytes",
        "requested_at",
        "started_at",
        "finished_at",
        "expires_at",
    ]
