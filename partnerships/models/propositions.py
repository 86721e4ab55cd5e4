"""The report's propositions, and how true people find them in their place each quarter."""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from partnerships.models.people import User
from partnerships.models.places import Place


class Proposition(models.TextChoices):
    """The report's Appendix Two, as data. The label is the proposition's own words."""

    A1 = (
        "A1",
        "Joined up working across organisations, fields and sectors creates better quality "
        "experiences for the users and beneficiaries of services.",
    )
    A2 = (
        "A2",
        "Working collectively to tackle a social problem can mediate risk and manage uncertainty.",
    )
    A3 = (
        "A3",
        "Investment in relationships, although a long, slow process, may, in time, lead to "
        "more meaningful change.",
    )
    B1 = (
        "B1",
        "Understanding your local context – including where you fit, the connections and the "
        "opportunities – enables you to respond to local issues quickly.",
    )
    B2 = (
        "B2",
        "Trust and respect in funding relationships increases VCS sector confidence, "
        "stability and impact.",
    )
    B3 = (
        "B3",
        "For trust and respect to develop, there needs to be shared and public recognition of "
        "its value, and space for collaborative reflection, experimentation and learning.",
    )
    B4 = (
        "B4",
        "Shifting the power dynamic – to work with beneficiaries rather than for them – allows "
        "people to own solutions and achieve more meaningful change.",
    )


PROPOSITION_SECTIONS = {
    "A": "The case for doing it differently",
    "B": "What it requires and involves",
}


def quarter_start(day: datetime.date) -> datetime.date:
    """The first day of the calendar quarter that ``day`` falls in."""
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def add_quarters(start: datetime.date, n: int) -> datetime.date:
    """The first day of the quarter ``n`` quarters after (or before) ``start``'s."""
    months = start.year * 12 + (start.month - 1) + 3 * n
    return datetime.date(months // 12, months % 12 + 1, 1)


class PropositionRating(models.Model):
    """How true one person finds one proposition in their place, once a quarter.

    Only ever shown to its author; others see aggregates of at least
    ``MIN_AGGREGATE`` people, for quarters that have ended.
    """

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="proposition_ratings")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="proposition_ratings")
    proposition = models.CharField(max_length=2, choices=Proposition.choices)
    quarter = models.DateField(help_text="The first day of the quarter rated.")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["quarter", "proposition"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "user", "proposition", "quarter"],
                name="one_rating_per_quarter",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
            models.CheckConstraint(condition=Q(quarter__day=1), name="rating_quarter_first_day"),
        ]
        indexes = [models.Index(fields=["place", "quarter", "proposition"])]

    def __str__(self) -> str:
        return f"{self.proposition} in {self.place}, quarter from {self.quarter}"


# No aggregate (ratings, check-ins) is shown when it covers fewer people than this.
MIN_AGGREGATE = 3
