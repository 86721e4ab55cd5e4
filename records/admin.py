from django.contrib import admin

from .models import (
    AgreementSignature,
    AgreementVersion,
    ControlItem,
    Fear,
    FearReview,
    PlaceAsset,
    Signal,
    SignalEvidence,
)


@admin.register(PlaceAsset)
class PlaceAssetAdmin(admin.ModelAdmin):
    list_display = ["name", "place", "organisation", "created_at"]
    list_filter = ["place"]
    raw_id_fields = ["added_by", "organisation"]


@admin.register(ControlItem)
class ControlItemAdmin(admin.ModelAdmin):
    list_display = ["text", "ring", "place"]
    list_filter = ["place", "ring"]
    raw_id_fields = ["added_by"]


class SignalEvidenceInline(admin.TabularInline):
    model = SignalEvidence
    raw_id_fields = ["entry", "linked_by"]
    extra = 0


@admin.register(Signal)
class SignalAdmin(admin.ModelAdmin):
    list_display = ["text", "place"]
    list_filter = ["place"]
    raw_id_fields = ["added_by", "watcher", "watcher_organisation"]
    inlines = [SignalEvidenceInline]


class AgreementSignatureInline(admin.TabularInline):
    model = AgreementSignature
    raw_id_fields = ["organisation", "signed_by"]
    extra = 0


@admin.register(AgreementVersion)
class AgreementVersionAdmin(admin.ModelAdmin):
    list_display = ["place", "number", "created_at"]
    list_filter = ["place"]
    raw_id_fields = ["added_by"]
    inlines = [AgreementSignatureInline]


class FearReviewInline(admin.TabularInline):
    model = FearReview
    raw_id_fields = ["reviewed_by"]
    extra = 0


@admin.register(Fear)
class FearAdmin(admin.ModelAdmin):
    list_display = ["text", "place", "owner"]
    list_filter = ["place"]
    raw_id_fields = ["added_by", "owner"]
    inlines = [FearReviewInline]
