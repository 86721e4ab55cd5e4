from django.contrib import admin

from .models import FundingMix


@admin.register(FundingMix)
class FundingMixAdmin(admin.ModelAdmin):
    # Staff may correct a mistaken entry; the list shows whose it is and when, not the shares.
    list_display = ["organisation", "as_of", "created_at"]
    list_filter = ["as_of"]
    search_fields = ["organisation__name"]
    raw_id_fields = ["organisation", "entered_by"]
