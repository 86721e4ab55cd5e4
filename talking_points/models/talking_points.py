from __future__ import annotations

from django.db import models
from django.db.models import Q


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
