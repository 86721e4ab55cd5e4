from django.contrib import admin

from .models import AgendaSettings, Correction, Proposal, RotaTurn, RotaVolunteer


@admin.register(AgendaSettings)
class AgendaSettingsAdmin(admin.ModelAdmin):
    list_display = ["forum", "rota_on", "correction_days"]
    raw_id_fields = ["forum"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "session", "proposer_name", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["session", "proposed_by", "talking_point", "agenda_item", "decided_by"]


@admin.register(RotaVolunteer)
class RotaVolunteerAdmin(admin.ModelAdmin):
    list_display = ["user", "forum", "since"]
    raw_id_fields = ["forum", "user"]


@admin.register(RotaTurn)
class RotaTurnAdmin(admin.ModelAdmin):
    list_display = ["session", "user", "assigned_at"]
    raw_id_fields = ["session", "user"]


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "session", "suggester_name", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["session", "suggested_by", "decision", "action", "answered_by"]
