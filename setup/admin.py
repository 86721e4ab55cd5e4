from django.contrib import admin

from .models import EngagementAssessment, OrganisationProposal, PlaceProposal


@admin.register(PlaceProposal)
class PlaceProposalAdmin(admin.ModelAdmin):
    list_display = ["name", "proposer", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["proposer", "decided_by", "place"]


@admin.register(OrganisationProposal)
class OrganisationProposalAdmin(admin.ModelAdmin):
    list_display = ["name", "place", "proposer", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["proposer", "decided_by", "place", "organisation"]


@admin.register(EngagementAssessment)
class EngagementAssessmentAdmin(admin.ModelAdmin):
    list_display = ["place", "level", "recorded_by", "created_at"]
    list_filter = ["level"]
    raw_id_fields = ["place", "recorded_by"]
