from django.contrib import admin

from .models import DecisionReviewDate, LookBack, Round


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    """Rounds without their positions: an anonymous position is shown nowhere."""

    list_display = ["proposal", "method", "status", "session"]
    list_filter = ["method", "status"]
    raw_id_fields = ["session", "decision", "created_by"]


@admin.register(DecisionReviewDate)
class DecisionReviewDateAdmin(admin.ModelAdmin):
    list_display = ["decision", "review_on"]
    raw_id_fields = ["decision", "set_by"]


@admin.register(LookBack)
class LookBackAdmin(admin.ModelAdmin):
    list_display = ["learned", "recorded_at"]
    raw_id_fields = ["decision", "entry", "recorded_by", "learning"]
