from django.contrib import admin

from .models import AgendaSettings, Correction, Proposal, RotaTurn, RotaVolunteer


@admin.register(AgendaSettings)
class AgendaSettingsAdmin(admin.ModelAdmin):
    list_display = ["forum", "rota_on", "correction_days"]
    list_filter = ["rota_on"]
    search_fields = ["forum__name"]
    raw_id_fields = ["forum"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "session", "proposer_name", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["text", "why", "proposer_name"]
    raw_id_fields = ["session", "proposed_by", "talking_point", "agenda_item", "decided_by"]


@admin.register(RotaVolunteer)
class RotaVolunteerAdmin(admin.ModelAdmin):
    list_display = ["user", "forum", "since"]
    date_hierarchy = "since"
    search_fields = ["forum__name", "user__email"]
    raw_id_fields = ["forum", "user"]


@admin.register(RotaTurn)
class RotaTurnAdmin(admin.ModelAdmin):
    list_display = ["session", "user", "assigned_at"]
    date_hierarchy = "assigned_at"
    search_fields = ["session__forum__name", "user__email"]
    raw_id_fields = ["session", "user"]


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "session", "suggester_name", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["proposed_text", "why", "suggester_name"]
    raw_id_fields = ["session", "suggested_by", "decision", "action", "answered_by"]
