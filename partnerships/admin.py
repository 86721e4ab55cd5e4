from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import (
    CommissionerProfile,
    Forum,
    ForumJoinRequest,
    ForumMembership,
    Invitation,
    Membership,
    Organisation,
    Place,
    Specialism,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal details", {"fields": ("full_name",)}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "county", "engagement_level", "time_zone"]
    list_filter = ["engagement_level"]
    search_fields = ["name", "county"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector"]
    list_filter = ["sector", "places"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["places"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "is_admin"]
    list_filter = ["role", "is_admin"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Specialism)
class SpecialismAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    list_filter = [("commissioners__places", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CommissionerProfile)
class CommissionerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "job_title", "organisation", "public_email"]
    list_filter = ["places", "specialisms"]
    search_fields = ["user__full_name", "user__email", "job_title", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    filter_horizontal = ["places", "specialisms"]


class ForumMembershipInline(admin.TabularInline):
    model = ForumMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["name", "place", "weekday", "start_time", "access"]
    list_filter = ["place", "weekday", "access"]
    search_fields = ["name", "purpose"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ForumMembershipInline]


@admin.register(ForumMembership)
class ForumMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "forum", "role", "reminders_enabled"]
    list_filter = ["role", "reminders_enabled", "forum__place"]
    search_fields = ["user__email", "user__full_name", "forum__name"]
    autocomplete_fields = ["user", "forum"]


@admin.register(ForumJoinRequest)
class ForumJoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "forum", "status", "created_at", "decided_by"]
    list_filter = ["status", "forum__place"]
    search_fields = ["user__email", "user__full_name", "forum__name"]
    autocomplete_fields = ["user", "forum"]
    raw_id_fields = ["decided_by"]
    date_hierarchy = "created_at"


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "forum", "created_at", "sent_at", "accepted_at"]
    list_filter = [
        ("sent_at", admin.EmptyFieldListFilter),
        ("accepted_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email", "organisation__name", "forum__name"]
    autocomplete_fields = ["organisation", "forum", "invited_by"]
    exclude = ["token"]


# --- The place picture ----------------------------------------------------------------
# Proposition ratings and wellbeing check-ins are deliberately not registered: individual
# answers are never shown to anyone but their author, site staff included.

from .models import Champion, Commission, GlossaryTerm, Relationship  # noqa: E402


@admin.register(Commission)
class CommissionAdmin(admin.ModelAdmin):
    list_display = ["title", "place", "commissioner", "budget", "starts_on", "is_public"]
    list_filter = ["place", "is_public"]
    search_fields = ["title", "why"]
    raw_id_fields = ["commissioner"]
    filter_horizontal = ["providers", "specialisms"]


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ["source", "kind", "target", "place", "created_at"]
    list_filter = ["place", "kind"]
    search_fields = ["source__name", "target__name"]
    raw_id_fields = ["source", "target", "created_by"]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["term", "place", "updated_at"]
    list_filter = ["place"]
    search_fields = ["term", "meaning"]
    raw_id_fields = ["created_by", "updated_by"]


@admin.register(Champion)
class ChampionAdmin(admin.ModelAdmin):
    list_display = ["user", "place", "created_at"]
    list_filter = ["place"]
    search_fields = ["user__full_name", "user__email", "can_help_with"]
    raw_id_fields = ["user"]
