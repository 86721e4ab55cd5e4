from django.contrib import admin

from .models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "forum",
        "recipient",
        "address",
        "occasion_date",
        "status",
        "smtp_step",
        "attempts",
        "sent_at",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["recipient__email", "address", "forum__name"]
    date_hierarchy = "occasion_date"
    raw_id_fields = ["forum", "recipient"]
    list_select_related = ["forum", "recipient"]
    # Status changes go through the send task or a person's "send again", never by hand;
    # stored content may carry a one-time code, so it is not shown.
    readonly_fields = [
        "kind",
        "forum",
        "recipient",
        "address",
        "about_id",
        "occasion_date",
        "occasion_at",
        "status",
        "attempts",
        "detail",
        "smtp_step",
        "created_at",
        "queued_at",
        "claimed_at",
        "sent_at",
    ]

    exclude = ["subject", "body_text", "body_html"]

    def has_add_permission(self, request: object) -> bool:
        return False
