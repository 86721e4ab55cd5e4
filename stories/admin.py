from django.contrib import admin

from .models import StoryCall, ToldStory


@admin.register(StoryCall)
class StoryCallAdmin(admin.ModelAdmin):
    list_display = ["place", "is_open", "changed_at"]
    list_select_related = ["place"]


@admin.register(ToldStory)
class ToldStoryAdmin(admin.ModelAdmin):
    """Status only: staff are outsiders to what a teller told a place."""

    list_display = ["place", "status", "told_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["place"]
    fields = ["place", "status", "told_at", "decided_at"]
    readonly_fields = ["place", "status", "told_at", "decided_at"]

    def has_add_permission(self, request: object) -> bool:
        return False
