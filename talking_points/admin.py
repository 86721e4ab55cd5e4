from django.contrib import admin

from .models import Decision, LearningEntry, Session, TalkingPoint


@admin.register(TalkingPoint)
class TalkingPointAdmin(admin.ModelAdmin):
    list_display = ["number", "text", "forum"]
    list_filter = ["forum"]
    search_fields = ["text"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["forum", "starts_at", "status"]
    list_filter = ["status", "forum__place"]
    search_fields = ["forum__name"]
    date_hierarchy = "starts_at"


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["text", "session", "created_at"]
    list_filter = ["session__forum__place"]
    search_fields = ["text"]


@admin.register(LearningEntry)
class LearningEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "organisation", "place", "visibility", "created_at"]
    list_filter = ["kind", "visibility", "place"]
    search_fields = ["title"]
    raw_id_fields = ["author", "organisation", "place"]
