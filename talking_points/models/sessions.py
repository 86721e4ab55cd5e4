"""Forum sessions: planned, run live, closed; with their agenda, attendance, contributions,
decisions and actions.

Anonymity: an anonymous :class:`Contribution` stores no author, no organisation and no
sector. Nothing else (attendance, logs, admin) records which contribution someone wrote.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from partnerships.models import ForumMembership, place_partnership_q

MAX_TIME_BOX_MINUTES = 240
MAX_CONTRIBUTION_CHARS = 4000


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    LIVE = "live", "Live"
    CLOSED = "closed", "Closed"


class SummaryVisibility(models.TextChoices):
    """Who may read a closed session's summary. Members of the forum always may."""

    MEMBERS = "members", "Forum members only"
    PLACE = "place", "Everyone in this place's partnership"
    PUBLIC = "public", "Anyone, including the public"


class SessionQuerySet(models.QuerySet["Session"]):
    def for_members(self, user: Any) -> SessionQuerySet:
        """Sessions of forums ``user`` belongs to: the only people who see a session live."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(
            Exists(ForumMembership.objects.filter(forum=OuterRef("forum"), user=user))
        )

    def visible_to(self, user: Any) -> SessionQuerySet:
        """The one place that decides which sessions (and so which decisions, actions and
        summaries) ``user`` may read. One query, always.

        Forum members see every session of their forum. Others see closed sessions whose
        summary was published to the place (if they belong to its partnership) or the public.
        """
        public = Q(status=SessionStatus.CLOSED, summary_visibility=SummaryVisibility.PUBLIC)
        if user is None or not user.is_authenticated:
            return self.filter(public)
        member = Exists(ForumMembership.objects.filter(forum=OuterRef("forum"), user=user))
        place = Q(
            status=SessionStatus.CLOSED, summary_visibility=SummaryVisibility.PLACE
        ) & place_partnership_q(user, "forum__place")
        return self.filter(member | public | place)

    def visible_at(self, user: Any, ref: str) -> Exists:
        """A condition for another model's rows: the session at ``ref`` (such as
        ``"session_id"``) is one ``user`` may read (``visible_to``), checked by key for each
        row the outer query reads, rather than listing every session they may read."""
        return Exists(self.visible_to(user).filter(pk=OuterRef(ref)))


class Session(models.Model):
    """A forum's meeting: planned, then live, then closed."""

    forum = models.ForeignKey(
        "partnerships.Forum", on_delete=models.CASCADE, related_name="sessions"
    )
    starts_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    venue = models.CharField(max_length=300, blank=True)
    online_link = models.URLField("online meeting link", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    current_item = models.ForeignKey(
        "AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Bumped by every change the live page shows, so a poll can answer 304 from one row.
    version = models.PositiveIntegerField(default=0)
    round_robin = models.BooleanField("round-robin mode", default=False)
    round_robin_turn = models.ForeignKey(
        "Attendance", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary_visibility = models.CharField(
        max_length=10, choices=SummaryVisibility.choices, default=SummaryVisibility.MEMBERS
    )
    summary_published_at = models.DateTimeField(null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["forum", "-starts_at"]),
            models.Index(fields=["forum", "status", "starts_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["forum"],
                condition=Q(status="live"),
                name="one_live_session_per_forum",
            )
        ]

    def __str__(self) -> str:
        return f"{self.forum} on {self.starts_at:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("talking_points:session_detail", kwargs={"pk": self.pk})

    @property
    def is_planned(self) -> bool:
        return self.status == SessionStatus.PLANNED

    @property
    def is_live(self) -> bool:
        return self.status == SessionStatus.LIVE

    @property
    def is_closed(self) -> bool:
        return self.status == SessionStatus.CLOSED

    @property
    def etag(self) -> str:
        return f'"s{self.pk}-v{self.version}"'

    def local_starts_at(self) -> datetime.datetime:
        return timezone.localtime(self.starts_at, self.forum.place.tz)

    def opens_early(self, now: datetime.datetime | None = None) -> bool:
        """Opening it now would be on an earlier day (in its place) than planned."""
        tz = self.forum.place.tz
        now_day = timezone.localtime(now or timezone.now(), tz).date()
        return now_day < self.local_starts_at().date()


class AgendaItemStatus(models.TextChoices):
    PENDING = "pending", "Not reached yet"
    CURRENT = "current", "Being discussed"
    DONE = "done", "Discussed"
    CARRIED_OVER = "carried", "Carried over"


class AgendaItem(models.Model):
    """One talking point on a session's agenda, with its time box."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda_items")
    talking_point = models.ForeignKey(
        "talking_points.TalkingPoint", on_delete=models.PROTECT, related_name="agenda_items"
    )
    position = models.PositiveIntegerField(default=0)
    time_box_minutes = models.PositiveSmallIntegerField(
        "time box (minutes)",
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TIME_BOX_MINUTES)],
    )
    status = models.CharField(
        max_length=10, choices=AgendaItemStatus.choices, default=AgendaItemStatus.PENDING
    )
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["session", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_box_minutes__gte=1)
                & Q(time_box_minutes__lte=MAX_TIME_BOX_MINUTES),
                name="agenda_item_time_box_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.talking_point} ({self.time_box_minutes} min)"

    @property
    def ends_at(self) -> datetime.datetime | None:
        if self.started_at is None:
            return None
        return self.started_at + datetime.timedelta(minutes=self.time_box_minutes)

    def seconds_left(self, now: datetime.datetime | None = None) -> int | None:
        """Seconds left in the time box (negative once over), or None if not started."""
        ends_at = self.ends_at
        if ends_at is None:
            return None
        return int((ends_at - (now or timezone.now())).total_seconds())


class Attendance(models.Model):
    """Who was at the table. Names, organisation and sector are copied when the person
    joins, so the record stays true if they later move organisation or leave."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    # Empty for a guest (no account), and once the person's account is deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendances",
    )
    name = models.CharField(max_length=150)
    organisation = models.ForeignKey(
        "partnerships.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation_name = models.CharField(max_length=200, blank=True)
    sector = models.CharField(max_length=20, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)
    late = models.BooleanField("joined after the start", default=False)
    # A guest without an account (the guests app): counted in attendance under "Guests".
    is_guest = models.BooleanField(default=False)
    summary_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_attendance_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation_name})" if self.organisation_name else self.name

    def get_sector_display(self) -> str:
        from partnerships.models import Sector

        return dict(Sector.choices).get(self.sector, "No sector")


class ContributionQuerySet(models.QuerySet["Contribution"]):
    def shown(self) -> ContributionQuerySet:
        return self.filter(hidden_at__isnull=True)


class Contribution(models.Model):
    """One voice on one agenda item.

    Anonymous contributions have ``author``, ``organisation`` and ``sector`` empty: the
    database holds nothing that could tell anyone, staff included, who wrote them.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="contributions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="contributions"
    )
    text = models.TextField(max_length=MAX_CONTRIBUTION_CHARS)
    is_anonymous = models.BooleanField(default=False)
    # Said by a guest without an account and admitted by the facilitator (the guests app).
    is_guest = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    author_name = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        "partnerships.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation_name = models.CharField(max_length=200, blank=True)
    sector = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["session", "agenda_item"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=False)
                | (
                    Q(author__isnull=True)
                    & Q(organisation__isnull=True)
                    & Q(author_name="")
                    & Q(organisation_name="")
                    & Q(sector="")
                ),
                name="anonymous_contribution_has_no_author",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def byline(self) -> str:
        if self.is_anonymous:
            return "Anonymous guest" if self.is_guest else "Anonymous"
        if self.is_guest:
            return f"{self.author_name} (guest)"
        if self.organisation_name:
            return f"{self.author_name}, {self.organisation_name}"
        return self.author_name


class DecisionQuerySet(models.QuerySet["Decision"]):
    def visible_to(self, user: Any) -> DecisionQuerySet:
        """Decisions of the sessions ``user`` may read (``Session.objects.visible_to``)."""
        return self.filter(Session.objects.visible_at(user, "session_id"))


class Decision(models.Model):
    """What a session decided, why, and who was at the table when it did."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    text = models.TextField("what was decided", max_length=4000)
    why = models.TextField("why", max_length=4000, blank=True)
    at_the_table = models.ManyToManyField(
        Attendance, blank=True, related_name="decisions", verbose_name="who was at the table"
    )
    rests_on = models.ManyToManyField(
        "talking_points.LearningEntry",
        blank=True,
        related_name="decisions_resting_on",
        verbose_name="learning it rests on",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class ActionQuerySet(models.QuerySet["Action"]):
    def visible_to(self, user: Any) -> ActionQuerySet:
        """Actions of the sessions ``user`` may read (``Session.objects.visible_to``)."""
        return self.filter(Session.objects.visible_at(user, "session_id"))


class Action(models.Model):
    """Who does what by when, agreed in a session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="actions")
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    text = models.TextField("what will be done", max_length=2000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="session_actions",
    )
    owner_name = models.CharField(max_length=150, blank=True)
    due_on = models.DateField("due by", null=True, blank=True)
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default="open")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["-status", "due_on", "pk"]  # open before done
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_done(self) -> bool:
        return self.status == ActionStatus.DONE

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return (
            not self.is_done
            and self.due_on is not None
            and self.due_on < (today or timezone.localdate())
        )
