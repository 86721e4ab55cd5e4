from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery
from django.utils import timezone


def _retired(forum: Any) -> Exists:
    return Exists(TalkingPointRetirement.objects.filter(talking_point=OuterRef("pk"), forum=forum))


class TalkingPointQuerySet(models.QuerySet["TalkingPoint"]):
    def for_forum(self, forum: Any) -> TalkingPointQuerySet:
        """The report's talking points and the forum's own (top level only), each annotated
        with ``retired`` (for this forum) and ``last_discussed`` (when this forum last
        reached it in a session). One query."""
        from .sessions import AgendaItem, AgendaItemStatus

        discussed = (
            AgendaItem.objects.filter(
                talking_point=OuterRef("pk"),
                session__forum=forum,
                status__in=[AgendaItemStatus.DONE, AgendaItemStatus.CURRENT],
            )
            .values("talking_point")
            .annotate(last=Max("session__starts_at"))
            .values("last")
        )
        return (
            self.filter(Q(forum__isnull=True) | Q(forum=forum), parent__isnull=True)
            .annotate(
                retired=_retired(forum),
                last_discussed=Subquery(discussed[:1]),
            )
            .order_by(F("forum").asc(nulls_first=True), "sort_order", "pk")
        )

    def active_for_forum(self, forum: Any) -> TalkingPointQuerySet:
        return self.for_forum(forum).filter(~_retired(forum))

    def suggested_for_forum(self, forum: Any) -> TalkingPointQuerySet:
        """Active points, least recently discussed first (never discussed before all)."""
        return self.active_for_forum(forum).order_by(
            F("last_discussed").asc(nulls_first=True), "sort_order", "pk"
        )


class TalkingPoint(models.Model):
    """One of the report's talking points (Appendix Three), or a forum's own.

    The report's points have ``forum=None``; 7a and 7b are parts of 7 (``parent``).
    """

    number = models.CharField(max_length=10, blank=True, help_text="As in the report: 1, 7a …")
    text = models.TextField(max_length=2000)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="parts"
    )
    forum = models.ForeignKey(
        "partnerships.Forum",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_talking_points",
        help_text="Empty for the report's talking points.",
    )
    sort_order = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TalkingPointQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(forum__isnull=True),
                name="unique_report_talking_point_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}" if self.number else self.text

    @property
    def is_from_report(self) -> bool:
        return self.forum_id is None

    @property
    def label(self) -> str:
        """ "Talking point 6" for the report's, "Our own" for a forum's."""
        return f"Talking point {self.number}" if self.number else "The forum's own"


class TalkingPointRetirement(models.Model):
    """A forum has stopped using a talking point. Other forums are unaffected; deleting the
    row brings the point back."""

    forum = models.ForeignKey(
        "partnerships.Forum", on_delete=models.CASCADE, related_name="retired_talking_points"
    )
    talking_point = models.ForeignKey(
        TalkingPoint, on_delete=models.CASCADE, related_name="retirements"
    )
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retired_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "talking_point"], name="one_retirement_per_forum_point"
            )
        ]

    def __str__(self) -> str:
        return f"{self.talking_point} retired by {self.forum}"
