from django.contrib import admin

from .models import Booking, OfficeHourSlot, Visit


@admin.register(OfficeHourSlot)
class OfficeHourSlotAdmin(admin.ModelAdmin):
    list_display = ["commissioner", "starts_at", "length_minutes", "mode"]
    list_select_related = ["commissioner__user"]
    raw_id_fields = ["commissioner"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["slot", "partner", "created_at", "cancelled_at"]
    list_select_related = ["slot__commissioner__user", "partner"]
    raw_id_fields = ["slot", "partner", "cancelled_by"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["organisation", "guest", "place", "status", "visit_date"]
    list_select_related = ["organisation", "guest__user", "place"]
    raw_id_fields = ["organisation", "guest", "place", "invited_by", "learning_entry"]
