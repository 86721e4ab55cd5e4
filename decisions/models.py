"""How a session decides (a consent round, a sense check or a dot vote) and how decisions
and experiments are looked at again on their review date.

Anonymous rounds: a :class:`Position` in an anonymous round has no ``attendance``, no
timestamp, and a random (UUID) key, as have its :class:`Dots`, so no column and no key order
ties it to anyone. Double voting is stopped by a separate :class:`TakingPart` row ("this
person has given a position in this round"), which holds no position. The two are written in
one transaction; so that neither the table's physical order nor the writing transaction
(PostgreSQL's ``xmin``) pairs them up, each new anonymous position rewrites all of that
round's positions in a random order (``services._shuffle_anonymous``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from talking_points.models import Decision, LearningEntry, Session

MAX_DOTS = 10
DEFAULT_DOTS = 3
MAX_OPTIONS = 12


class Method(models.TextChoices):
    CONSENT = "consent", "Consent"
    SENSE_CHECK = "sense", "Sense check"
    DOT_VOTE = "dots", "Dot vote"


class Stance(models.TextChoices):
    CONSENT = "consent", "Consent"
    CONCERN = "concern", "Concern"
    OBJECTION = "objection", "Objection"
    AGREE = "agree", "Agree"
    UNSURE = "unsure", "Unsure"
    DISAGREE = "disagree", "Disagree"


STANCES_FOR = {
    Method.CONSENT: (Stance.CONSENT, Stance.CONCERN, Stance.OBJECTION),
    Method.SENSE_CHECK: (Stance.AGREE, Stance.UNSURE, Stance.DISAGREE),
    Method.DOT_VOTE: (),
}


class RoundStatus(models.TextChoices):
    OPEN = "open", "Open"
    PASSED = "passed", "Agreed"
    NOT_AGREED = "not_agreed", "Not agreed"
    DONE = "done", "Finished"


class RoundQuerySet(models.QuerySet["Round"]):
    def visible_to(self, user: Any) -> RoundQuerySet:
        """Rounds of the sessions ``user`` may read (``Session.objects.visible_to``)."""
        return self.filter(Session.objects.visible_at(user, "session_id"))


class Round(models.Model):
    """One way of reaching a decision in a session, run by its facilitator."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="decision_rounds")
    method = models.CharField(max_length=10, choices=Method.choices)
    proposal = models.TextField("proposal or question", max_length=2000)
    anonymous = models.BooleanField("positions are anonymous", default=False)
    dots_each = models.PositiveSmallIntegerField(
        "dots for each person",
        default=DEFAULT_DOTS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DOTS)],
    )
    # Amending a consent proposal starts its round again: positions count for one version.
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=12, choices=RoundStatus.choices, default="open")
    decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="round"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["session", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(dots_each__gte=1) & Q(dots_each__lte=MAX_DOTS),
                name="round_dots_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()}: {self.proposal[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("decisions:round_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def stances(self) -> tuple[str, ...]:
        return tuple(STANCES_FOR[Method(self.method)])


class Option(models.Model):
    """One choice in a dot vote."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class TakingPart(models.Model):
    """That a person at the table gave a position in a round (for one version of its
    proposal). It says nothing about which position: in an anonymous round this row is the
    only trace of the person, and it is what stops them taking part twice."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="taking_part")
    version = models.PositiveSmallIntegerField()
    attendance = models.ForeignKey(
        "talking_points.Attendance", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["attendance__joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "version", "attendance"], name="one_position_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"Took part in round {self.round_id}"


class Position(models.Model):
    """What one person said in a round. In an anonymous round ``attendance`` is empty and
    the row has no time: its key is random, so neither the row nor its order says whose
    it is (a database constraint keeps it so)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="positions")
    version = models.PositiveSmallIntegerField()
    attendance = models.ForeignKey(
        "talking_points.Attendance",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_anonymous = models.BooleanField(default=False)
    stance = models.CharField(max_length=10, choices=Stance.choices, blank=True)
    reason = models.TextField(max_length=2000, blank=True)
    withdrawn = models.BooleanField("objection withdrawn", default=False)

    class Meta:
        ordering = ["round", "version", "stance"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=False) | Q(attendance__isnull=True),
                name="anonymous_position_has_no_author",
            ),
            models.CheckConstraint(
                condition=~Q(stance="objection") | ~Q(reason=""),
                name="objection_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.get_stance_display() or "Dots"

    @property
    def is_objection(self) -> bool:
        return self.stance == Stance.OBJECTION

    @property
    def stands(self) -> bool:
        return self.is_objection and not self.withdrawn


class Dots(models.Model):
    """Dots one position placed on one option (a random key, like the position's)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="dots")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="dots")
    count = models.PositiveSmallIntegerField(validators=[MaxValueValidator(MAX_DOTS)])

    class Meta:
        verbose_name_plural = "dots"
        constraints = [
            models.UniqueConstraint(fields=["position", "option"], name="dots_once_per_option")
        ]

    def __str__(self) -> str:
        return f"{self.count} on option {self.option_id}"


# --- Review dates ----------------------------------------------------------------------


class ReviewDateQuerySet(models.QuerySet["DecisionReviewDate"]):
    def visible_to(self, user: Any) -> ReviewDateQuerySet:
        return self.filter(Session.objects.visible_at(user, "decision__session_id"))


class DecisionReviewDate(models.Model):
    """When a decision will be looked at again. (An experiment's review date is its
    learning entry's own ``review_date``.)"""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="review")
    review_on = models.DateField("when we will look at it again")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ReviewDateQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["review_on"])]

    def __str__(self) -> str:
        return f"{self.decision} on {self.review_on}"


class ReviewReminder(models.Model):
    """One reminder occasion: a decision or an experiment due for review on a date. Made
    once (unique), and its outbox rows once per person (the outbox's own unique rows), so
    the beat task can run any number of times. A changed review date is a new occasion."""

    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    entry = models.ForeignKey(
        LearningEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "due_on"],
                condition=Q(decision__isnull=False),
                name="one_reminder_per_decision_date",
            ),
            models.UniqueConstraint(
                fields=["entry", "due_on"],
                condition=Q(entry__isnull=False),
                name="one_reminder_per_experiment_date",
            ),
            models.CheckConstraint(
                condition=Q(decision__isnull=True) ^ Q(entry__isnull=True),
                name="reminder_is_about_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"Review due on {self.due_on}"


class LookBackQuerySet(models.QuerySet["LookBack"]):
    def visible_to(self, user: Any) -> LookBackQuerySet:
        """Reviews of what ``user`` may read: a decision's session or an experiment."""
        return self.filter(
            Session.objects.visible_at(user, "decision__session_id")
            | LearningEntry.objects.visible_at(user, "entry_id")
        )


class LookBack(models.Model):
    """A review: what was learned when a decision or an experiment was looked at again,
    with the learning entries it links to."""

    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="look_backs"
    )
    entry = models.ForeignKey(
        LearningEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="look_backs"
    )
    learned = models.TextField("what we learned", max_length=4000)
    learning = models.ManyToManyField(
        LearningEntry, blank=True, related_name="+", verbose_name="learning entries"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = LookBackQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__isnull=True) ^ Q(entry__isnull=True),
                name="review_is_of_one_thing",
            )
        ]

    def __str__(self) -> str:
        return self.learned[:80]
