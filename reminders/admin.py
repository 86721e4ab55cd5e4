from django.contrib import admin

from .models import Delivery, DigestPreference


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["kind", "forum", "recipient", "occasion_date", "status", "attempts", "sent_at"]
    list_filter = ["kind", "status"]
    search_fields = ["recipient__email", "forum__name"]
    date_hierarchy = "occasion_date"
    raw_id_fields = ["forum", "recipient"]
    list_select_related = ["forum", "recipient"]
    # Status changes go through the send task or a facilitator's "send again", never by hand.
    readonly_fields = [
        "kind",
        "forum",
        "recipient",
        "occasion_date",
        "occasion_at",
        "status",
        "attempts",
        "detail",
        "created_at",
        "queued_at",
        "claimed_at",
        "sent_at",
    ]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(DigestPreference)
class DigestPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "frequency", "weekday", "updated_at"]
    list_filter = ["frequency", "weekday"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
