from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Action,
    AgendaItem,
    Attendance,
    Contribution,
    Decision,
    LearningEntry,
    LearningLink,
    Review,
    ReviewRead,
    Session,
    StoryConsent,
    Tag,
    TalkingPoint,
    TalkingPointRetirement,
    VisibilityChange,
)


@admin.register(TalkingPoint)
class TalkingPointAdmin(admin.ModelAdmin):
    list_display = ["number", "text", "forum"]
    list_filter = ["forum"]
    search_fields = ["text"]
    raw_id_fields = ["forum", "parent", "created_by"]


@admin.register(TalkingPointRetirement)
class TalkingPointRetirementAdmin(admin.ModelAdmin):
    list_display = ["talking_point", "forum", "retired_at"]
    list_filter = ["forum__place"]
    search_fields = ["talking_point__text", "forum__name"]
    raw_id_fields = ["forum", "talking_point", "retired_by"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fk_name = "session"
    extra = 0
    fields = ["position", "talking_point", "time_box_minutes", "status"]
    raw_id_fields = ["talking_point"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["forum", "starts_at", "status", "summary_visibility"]
    list_filter = ["status", "forum__place"]
    search_fields = ["forum__name"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["forum", "created_by", "current_item", "round_robin_turn"]
    inlines = [AgendaItemInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_name", "session", "late"]
    list_filter = ["late", "session__forum__place"]
    search_fields = ["name", "organisation_name", "session__forum__name"]
    raw_id_fields = ["session", "user", "organisation"]


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    """Read-only: contributions are what people said. For an anonymous one the admin shows
    no author fields at all (and the database holds none)."""

    list_display = ["short_text", "byline", "session", "is_anonymous", "hidden_at"]
    list_filter = ["is_anonymous"]
    list_select_related = ["session__forum"]
    search_fields = ["text"]

    @admin.display(description="text")
    def short_text(self, obj: Contribution) -> str:
        return obj.text[:80]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ["session", "agenda_item", "text", "is_anonymous", "created_at"]
        if obj is not None and not obj.is_anonymous:
            fields += ["author", "author_name", "organisation_name", "sector"]
        return [*fields, "hidden_at", "hidden_reason", "hidden_by"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.get_fields(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["text", "session", "created_at"]
    list_filter = ["session__forum__place"]
    search_fields = ["text"]
    raw_id_fields = ["session", "agenda_item", "created_by", "at_the_table", "rests_on"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["text", "owner_name", "due_on", "status", "session"]
    list_filter = ["status"]
    search_fields = ["text", "owner_name"]
    raw_id_fields = ["session", "decision", "owner", "created_by", "done_by"]


@admin.register(LearningEntry)
class LearningEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "organisation", "place", "visibility", "created_at"]
    list_filter = ["kind", "visibility", "place"]
    search_fields = ["title"]
    raw_id_fields = ["author", "organisation", "place"]


# --- Learning logs ------------------------------------------------------------------


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    list_filter = ["entries__place"]


@admin.register(VisibilityChange)
class VisibilityChangeAdmin(admin.ModelAdmin):
    list_display = ["entry", "from_visibility", "to_visibility", "changed_by", "changed_at"]
    list_filter = ["from_visibility", "to_visibility"]
    search_fields = ["entry__title", "changed_by__email"]
    raw_id_fields = ["entry", "changed_by"]


@admin.register(StoryConsent)
class StoryConsentAdmin(admin.ModelAdmin):
    list_display = ["entry", "method", "given_on", "widest_visibility", "withdrawn_at"]
    list_filter = ["method", "widest_visibility"]
    search_fields = ["entry__title", "obtained_by"]
    raw_id_fields = ["entry", "recorded_by", "withdrawn_recorded_by"]


@admin.register(LearningLink)
class LearningLinkAdmin(admin.ModelAdmin):
    list_display = ["entry", "relation", "session", "decision", "other_entry"]
    list_filter = ["relation"]
    search_fields = ["entry__title", "other_entry__title"]
    raw_id_fields = ["entry", "session", "decision", "other_entry", "created_by"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["entry", "kind", "author", "created_at", "notified_at"]
    list_filter = ["kind"]
    search_fields = ["entry__title", "author__email"]
    raw_id_fields = ["entry", "in_reply_to", "author"]


@admin.register(ReviewRead)
class ReviewReadAdmin(admin.ModelAdmin):
    list_display = ["entry", "user", "read_at"]
    list_filter = ["entry__place"]
    search_fields = ["entry__title", "user__email"]
    raw_id_fields = ["entry", "user"]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["session", "position", "talking_point", "time_box_minutes", "status"]
    list_filter = ["status", "session__forum__place"]
    search_fields = ["talking_point__text", "session__forum__name"]
    raw_id_fields = ["session", "talking_point"]
