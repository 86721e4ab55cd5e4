from django.contrib import admin

from .models import DigestPreference


@admin.register(DigestPreference)
class DigestPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "frequency", "weekday", "updated_at"]
    list_filter = ["frequency", "weekday"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
