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
    search_fields = ["text"]


@admin.register(LearningEntry)
class LearningEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "organisation", "place", "visibility", "created_at"]
    list_filter = ["kind", "visibility", "place"]
    search_fields = ["title"]
    raw_id_fields = ["author", "organisation", "place"]


# --- Learning logs ------------------------------------------------------------------
from .models import (  # noqa: E402
    LearningLink,
    Review,
    StoryConsent,
    Tag,
    VisibilityChange,
)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(VisibilityChange)
class VisibilityChangeAdmin(admin.ModelAdmin):
    list_display = ["entry", "from_visibility", "to_visibility", "changed_by", "changed_at"]
    raw_id_fields = ["entry", "changed_by"]


@admin.register(StoryConsent)
class StoryConsentAdmin(admin.ModelAdmin):
    list_display = ["entry", "method", "given_on", "widest_visibility", "withdrawn_at"]
    raw_id_fields = ["entry", "recorded_by", "withdrawn_recorded_by"]


@admin.register(LearningLink)
class LearningLinkAdmin(admin.ModelAdmin):
    list_display = ["entry", "relation", "session", "decision", "other_entry"]
    raw_id_fields = ["entry", "session", "decision", "other_entry", "created_by"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["entry", "kind", "author", "created_at", "notified_at"]
    list_filter = ["kind"]
    raw_id_fields = ["entry", "in_reply_to", "author"]
