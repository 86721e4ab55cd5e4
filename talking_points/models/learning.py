"""Learning logs: what organisations learn, shared exactly as widely as they choose.

The one trust query is ``LearningEntry.objects.visible_to(user)``; every page, search,
export, feed, queue and email reads through it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Membership, covered_place_ids, place_partnership_q

# Fields that hold Markdown source. Each is stored as typed and shown only after nh3.
MARKDOWN_FIELDS = ("body", "tried", "happened", "learned", "next_steps")
# The text the full-text search covers, in one expression shared by the index and the query.
SEARCH_FIELDS = ("title", *MARKDOWN_FIELDS)
SEARCH_CONFIG = "english"


class Visibility(models.TextChoices):
    """Widening in this order; see DESIGN.md "Who sees what"."""

    ORGANISATION = "organisation", "Our organisation only"
    COMMISSIONERS = "commissioners", "Our organisation and the commissioners for this place"
    PLACE = "place", "Everyone in this place's partnership"
    PUBLIC = "public", "Anyone, including the public"

    @classmethod
    def rank(cls, value: str) -> int:
        return list(cls.values).index(value)

    @classmethod
    def short_label(cls, value: str) -> str:
        return {
            cls.ORGANISATION: "Organisation only",
            cls.COMMISSIONERS: "Shared with commissioners",
            cls.PLACE: "Shared with the place",
            cls.PUBLIC: "Public",
        }[cls(value)]


SHARED_WITH_COMMISSIONERS = (Visibility.COMMISSIONERS, Visibility.PLACE, Visibility.PUBLIC)


class LearningKind(models.TextChoices):
    BREAKTHROUGH = "breakthrough", "Breakthrough"
    DISAPPOINTMENT = "disappointment", "Disappointment"
    EXPERIMENT = "experiment", "Experiment"
    STORY = "story", "Story of change"
    REFLECTION = "reflection", "Reflection"


class ExperimentStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"


class _EqualsAny(models.Func):
    """``left = ANY(right)``, a condition (PostgreSQL)."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = models.BooleanField()


class LearningEntryQuerySet(models.QuerySet["LearningEntry"]):
    def visible_to(self, user: Any) -> LearningEntryQuerySet:
        """The one place that decides which entries ``user`` may read. One query, always.

        Beyond the four visibilities, a story of change is only ever shown outside its own
        organisation while it has consent that has not been withdrawn (defence in depth:
        withdrawing consent also narrows the entry to ``organisation`` at once).
        """
        # A LEFT JOIN on the one-to-one consent (at most one row per entry), so the planner
        # probes the consent only for the rows it reads. ``pk IN (SELECT … consents)`` made
        # PostgreSQL hash every standing consent in the country (100,000+ rows, 25-100 ms)
        # on every list, however short.
        consented = Q(kind__in=[k for k in LearningKind.values if k != LearningKind.STORY]) | Q(
            consent__isnull=False, consent__withdrawn_at__isnull=True
        )
        public = Q(visibility=Visibility.PUBLIC)
        if user is None or not user.is_authenticated:
            return self.filter(public & consented)
        own_orgs = Membership.objects.filter(user=user).values("organisation_id")
        own = Q(organisation_id__in=own_orgs)
        commissioners = Q(visibility=Visibility.COMMISSIONERS, place_id__in=covered_place_ids(user))
        # Commissioners who cover the place are part of its partnership, so they see
        # "place" entries through place_partnership_q too.
        place = Q(visibility=Visibility.PLACE) & place_partnership_q(user, "place")
        return self.filter(own | ((public | commissioners | place) & consented))

    def public(self) -> LearningEntryQuerySet:
        return self.filter(visibility=Visibility.PUBLIC)

    def visible_at(self, user: Any, ref: str) -> Exists:
        """A condition for another model's rows: the entry at ``ref`` (such as
        ``"other_entry_id"``) is one ``user`` may read (``visible_to``), checked by key for
        each of the few rows the outer query reads. ``entry__in=visible_to(user)`` made
        PostgreSQL list every entry the reader may see (hundreds of thousands) first."""
        return Exists(self.visible_to(user).filter(pk=OuterRef(ref)))

    def for_lists(self) -> LearningEntryQuerySet:
        """What a list row shows, in a fixed number of queries."""
        return (
            self.select_related("organisation", "place", "author")
            .prefetch_related("tags")
            .defer("search_document")
        )

    def search(self, words: str) -> LearningEntryQuerySet:
        """Entries matching ``words``. PostgreSQL: full-text search (English stemming, the
        GIN index from migration 0004). SQLite: every word must appear somewhere in the text
        (a plain case-insensitive substring match, without stemming)."""
        words = words.strip()
        if not words:
            return self
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery

            query = SearchQuery(words, config=SEARCH_CONFIG, search_type="websearch")
            return self.filter(search_document=query)
        result = self
        for word in words.split()[:20]:
            any_field = Q()
            for name in SEARCH_FIELDS:
                any_field |= Q(**{f"{name}__icontains": word})
            result = result.filter(any_field)
        return result

    def review_queue_for(self, user: Any) -> LearningEntryQuerySet:
        """Entries shared with ``user`` as a commissioner (read or not), in no set order.

        The queue page lists the unread ones, then the read ones, each newest first
        (``views/learning/reviews.py``, ``review_queue``)."""
        return self.visible_to(user).filter(
            place_id__in=covered_place_ids(user), visibility__in=SHARED_WITH_COMMISSIONERS
        )

    def read_by(self, user: Any) -> LearningEntryQuerySet:
        """Entries ``user`` has marked as read, driven from the (few) reads.

        On PostgreSQL ``id = ANY(ARRAY(SELECT …))``: the array is computed first, so the
        entries are fetched by primary key. As ``id IN (SELECT …)`` the planner read every
        entry shared in the commissioner's places and joined the reads to them."""
        reads = ReviewRead.objects.filter(user=user).values("entry_id")
        if connection.vendor != "postgresql":
            return self.filter(pk__in=reads)
        from django.contrib.postgres.expressions import ArraySubquery

        return self.filter(_EqualsAny(models.F("pk"), ArraySubquery(reads)))

    def unread_by(self, user: Any) -> LearningEntryQuerySet:
        return self.exclude(pk__in=ReviewRead.objects.filter(user=user).values("entry_id"))


class Tag(models.Model):
    """A word or short phrase an organisation files its learning under."""

    name = models.CharField(max_length=40)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LearningEntry(models.Model):
    """Something an organisation learned in a place, shared as widely as it chooses."""

    place = models.ForeignKey(
        "partnerships.Place", on_delete=models.CASCADE, related_name="learning_entries"
    )
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.CASCADE, related_name="learning_entries"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learning_entries",
    )
    kind = models.CharField(max_length=20, choices=LearningKind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=20000, blank=True)
    # An experiment: what we tried → what happened → what we learned → what next.
    tried = models.TextField("what we tried", max_length=5000, blank=True)
    happened = models.TextField("what happened", max_length=5000, blank=True)
    learned = models.TextField("what we learned", max_length=5000, blank=True)
    next_steps = models.TextField("what next", max_length=5000, blank=True)
    experiment_status = models.CharField(
        "how far it has got", max_length=10, choices=ExperimentStatus.choices, blank=True
    )
    review_date = models.DateField("when we will look at it again", null=True, blank=True)
    tags = models.ManyToManyField(Tag, related_name="entries", blank=True)
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.ORGANISATION
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # What full-text search matches (PostgreSQL): kept by a database trigger from the text
    # fields on every write, so a search reads it instead of analysing each row's text
    # again (migration 0009). Empty on SQLite, whose search matches the text itself.
    search_document = SearchVectorField(null=True, editable=False)

    objects = LearningEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "learning entries"
        indexes = [
            models.Index(fields=["place", "visibility", "-created_at"]),
            models.Index(fields=["organisation", "-created_at"]),
            models.Index(fields=["place", "kind", "-created_at"]),
            # The learning log's order: a page is an index range, not a sort of the place.
            models.Index(fields=["place", "-created_at", "-id"], name="learning_place_newest"),
            # Counting what a reader may see reads only this index (index-only scan).
            models.Index(
                fields=["place", "organisation", "visibility", "kind"],
                include=["id"],
                name="learning_place_access",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("talking_points:entry_detail", kwargs={"pk": self.pk})

    @property
    def is_experiment(self) -> bool:
        return self.kind == LearningKind.EXPERIMENT

    @property
    def is_story(self) -> bool:
        return self.kind == LearningKind.STORY

    @property
    def is_shared(self) -> bool:
        return self.visibility != Visibility.ORGANISATION

    @property
    def visibility_short(self) -> str:
        return Visibility.short_label(self.visibility)

    def searchable_text(self) -> str:
        return " ".join(getattr(self, name) for name in SEARCH_FIELDS)


class VisibilityChange(models.Model):
    """A record of who widened or narrowed an entry's visibility, and when."""

    entry = models.ForeignKey(
        LearningEntry, on_delete=models.CASCADE, related_name="visibility_changes"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    from_visibility = models.CharField(max_length=20, choices=Visibility.choices)
    to_visibility = models.CharField(max_length=20, choices=Visibility.choices)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.from_visibility} → {self.to_visibility}"

    @property
    def widened(self) -> bool:
        return Visibility.rank(self.to_visibility) > Visibility.rank(self.from_visibility)


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", "Verbal"
    WRITTEN = "written", "Written"


class StoryConsent(models.Model):
    """Consent for a story of change, from a person who uses services (never an account).

    An entry is never shared wider than ``widest_visibility``; once ``withdrawn_at`` is set
    the entry is narrowed to its organisation in the same transaction.
    """

    entry = models.OneToOneField(LearningEntry, on_delete=models.CASCADE, related_name="consent")
    given_by = models.CharField("name or pseudonym of the person", max_length=120)
    method = models.CharField("how consent was given", max_length=10, choices=ConsentMethod.choices)
    given_on = models.DateField("when consent was given")
    obtained_by = models.CharField("who obtained it", max_length=150)
    widest_visibility = models.CharField(
        "the widest sharing they agreed to", max_length=20, choices=Visibility.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"Consent from {self.given_by} for entry {self.entry_id}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    def allows(self, visibility: str) -> bool:
        return self.is_active and Visibility.rank(visibility) <= Visibility.rank(
            self.widest_visibility
        )


class LinkRelation(models.TextChoices):
    CAME_FROM = "came_from", "came from"
    LED_TO = "led_to", "led to"
    RELATES_TO = "relates_to", "relates to"


class LearningLink(models.Model):
    """A connection from an entry to a forum session, a decision or another entry."""

    entry = models.ForeignKey(LearningEntry, on_delete=models.CASCADE, related_name="links")
    relation = models.CharField(
        max_length=20, choices=LinkRelation.choices, default=LinkRelation.RELATES_TO
    )
    session = models.ForeignKey(
        "talking_points.Session",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="learning_links",
    )
    decision = models.ForeignKey(
        "talking_points.Decision",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="learning_links",
    )
    other_entry = models.ForeignKey(
        LearningEntry,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="linked_from",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(session__isnull=False, decision__isnull=True, other_entry__isnull=True)
                    | Q(session__isnull=True, decision__isnull=False, other_entry__isnull=True)
                    | Q(session__isnull=True, decision__isnull=True, other_entry__isnull=False)
                ),
                name="learning_link_has_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(other_entry=models.F("entry")), name="learning_link_not_to_itself"
            ),
            models.UniqueConstraint(
                fields=["entry", "session"],
                condition=Q(session__isnull=False),
                name="one_link_per_entry_session",
            ),
            models.UniqueConstraint(
                fields=["entry", "decision"],
                condition=Q(decision__isnull=False),
                name="one_link_per_entry_decision",
            ),
            models.UniqueConstraint(
                fields=["entry", "other_entry"],
                condition=Q(other_entry__isnull=False),
                name="one_link_per_entry_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"Entry {self.entry_id} {self.relation} {self.target}"

    @property
    def target(self) -> Any:
        return self.session or self.decision or self.other_entry


class ReviewKind(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", "Acknowledge"
    QUESTION = "question", "Ask a question"
    SUPPORT = "support", "Offer support – walking alongside you"
    REPLY = "reply", "Reply"


REVIEW_HEADINGS = {
    ReviewKind.ACKNOWLEDGE: "acknowledged this",
    ReviewKind.QUESTION: "asked a question",
    ReviewKind.SUPPORT: "offered support – walking alongside you",
    ReviewKind.REPLY: "replied",
}


class Review(models.Model):
    """A commissioner's response to an entry shared with them, or a reply in its thread.

    A thread is a response (``in_reply_to`` empty) and its replies, oldest first.
    ``notified_at``: when its emails went into the outbox (one row per person it concerns).
    """

    entry = models.ForeignKey(LearningEntry, on_delete=models.CASCADE, related_name="reviews")
    in_reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    text = models.TextField(max_length=4000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["entry", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="reply") & Q(in_reply_to__isnull=False))
                | (~Q(kind="reply") & Q(in_reply_to__isnull=True)),
                name="review_reply_has_a_thread",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on entry {self.entry_id}"

    @property
    def heading(self) -> str:
        return REVIEW_HEADINGS[ReviewKind(self.kind)]

    @property
    def thread_id(self) -> int:
        return self.in_reply_to_id or self.pk


class ReviewRead(models.Model):
    """A commissioner has read an entry in their review queue."""

    entry = models.ForeignKey(LearningEntry, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_reads"
    )
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "user"], name="one_read_per_entry_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.entry_id}"
