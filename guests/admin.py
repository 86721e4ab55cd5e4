from django.contrib import admin

from .models import Guest, GuestLink, WaitingContribution


@admin.register(GuestLink)
class GuestLinkAdmin(admin.ModelAdmin):
    list_display = ["session", "created_at"]
    raw_id_fields = ["session", "created_by"]
    # The token is the key to the session: not shown, so it cannot leak from a screen.
    exclude = ["token"]


@admin.register(Guest)
class GuestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "link", "joined_at"]
    raw_id_fields = ["link", "attendance"]


@admin.register(WaitingContribution)
class WaitingContributionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "session", "created_at"]
    raw_id_fields = ["session", "guest", "agenda_item"]
