"""Who and where: people, places, organisations, commissioners and forums."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Choose a real time zone, such as Europe/London.")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Email is the identifier; there is no username."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField("full name", max_length=150, blank=True)
    is_staff = models.BooleanField(
        default=False, help_text="Can sign in to the site administration."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name.split() or [self.email])[0]

    @property
    def is_commissioner(self) -> bool:
        return hasattr(self, "commissioner_profile")


class EngagementLevel(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class PlaceQuerySet(models.QuerySet["Place"]):
    def in_partnership_of(self, user: Any) -> PlaceQuerySet:
        """Places whose partnership ``user`` belongs to: a member of one of its forums, a
        member of an organisation that works there, or a commissioner who covers it."""
        return self.filter(place_partnership_q(user))

    def covered_by(self, user: Any) -> PlaceQuerySet:
        """Places a commissioner covers."""
        return self.filter(pk__in=covered_place_ids(user))


class Place(models.Model):
    """A local area with its own partnership, as in Figure 1 of the report."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    county = models.CharField(max_length=120, blank=True)
    engagement_level = models.CharField(
        "engagement in complexity-informed practice",
        max_length=10,
        choices=EngagementLevel.choices,
        default=EngagementLevel.LOW,
    )
    current_practice = models.TextField("how things work here now", blank=True, max_length=4000)
    time_zone = models.CharField(
        max_length=64, default="Europe/London", validators=[validate_time_zone]
    )

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("talking_points:place_detail", kwargs={"slug": self.slug})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Sector(models.TextChoices):
    VCS = "vcs", "Voluntary and community"
    STATUTORY = "statutory", "Statutory (council)"
    HEALTH = "health", "Health"
    FUNDER = "funder", "Funder or trust"
    PRIVATE = "private", "Private"
    ACADEMIC = "academic", "Academic"


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    sector = models.CharField(max_length=20, choices=Sector.choices, default=Sector.VCS)
    places = models.ManyToManyField(Place, related_name="organisations", blank=True)
    distinctive_contribution = models.TextField(
        "what we distinctively bring", blank=True, max_length=2000
    )
    local_assets = models.TextField("local assets we hold", blank=True, max_length=2000)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["sector", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:organisation_detail", kwargs={"slug": self.slug})


class MembershipRole(models.TextChoices):
    STAFF = "staff", "Staff"
    VOLUNTEER = "volunteer", "Volunteer"
    LEAD = "lead", "Lead"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def leads(self) -> MembershipQuerySet:
        return self.filter(Q(role=MembershipRole.LEAD) | Q(is_admin=True))


class Membership(models.Model):
    """A person in an organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=MembershipRole.choices, default="staff")
    is_admin = models.BooleanField("administers the organisation", default=False)
    joined_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]
        ordering = ["organisation__name", "user__full_name"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organisation})"

    @property
    def can_administer(self) -> bool:
        return self.is_admin or self.role == MembershipRole.LEAD


class Specialism(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommissionerProfile(models.Model):
    """A named, reachable commissioner at a statutory body or funder. Public."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="commissioner_profile")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="commissioners"
    )
    job_title = models.CharField(max_length=200)
    specialisms = models.ManyToManyField(Specialism, related_name="commissioners", blank=True)
    places = models.ManyToManyField(Place, related_name="commissioners", blank=True)
    public_email = models.EmailField("contact email")
    public_phone = models.CharField("contact phone", max_length=40, blank=True)
    availability = models.CharField("when you can be reached", max_length=300, blank=True)
    about = models.TextField("what you fund and why", blank=True, max_length=4000)

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return f"{self.user} — {self.job_title}"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:commissioner_detail", kwargs={"pk": self.pk})


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class ForumAccess(models.TextChoices):
    OPEN = "open", "Open: anyone can ask to join"
    INVITE_ONLY = "invite", "Invite only"


class ForumQuerySet(models.QuerySet["Forum"]):
    def visible_to(self, user: Any) -> ForumQuerySet:
        """Forums are public by design: their purpose, time and venue invite people in."""
        return self.all()


class Forum(models.Model):
    """A place's recurring gathering: "the same day every week"."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="forums")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    purpose = models.TextField(max_length=4000)
    weekday = models.IntegerField(choices=Weekday.choices, default=Weekday.TUESDAY)
    start_time = models.TimeField(default=datetime.time(10, 0))
    duration_minutes = models.PositiveIntegerField(
        default=90, validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    venue = models.CharField("neutral venue", max_length=300, blank=True)
    online_link = models.URLField("online meeting link", blank=True)
    access = models.CharField(max_length=10, choices=ForumAccess.choices, default="open")
    reminder_days_before = models.PositiveSmallIntegerField(
        default=1, validators=[MaxValueValidator(6)]
    )
    reminder_hour = models.PositiveSmallIntegerField(default=9, validators=[MaxValueValidator(23)])
    created_at = models.DateTimeField(default=timezone.now)

    objects = ForumQuerySet.as_manager()

    class Meta:
        ordering = ["place__name", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("talking_points:forum_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if not self.venue and not self.online_link:
            raise ValidationError("Give a venue, an online link, or both.")

    @property
    def is_open(self) -> bool:
        return self.access == ForumAccess.OPEN

    def next_meeting(self, after: datetime.datetime | None = None) -> datetime.datetime:
        """The next regular meeting starting after ``after``, in the place's time zone."""
        tz = self.place.tz
        now = (after or timezone.now()).astimezone(tz)
        days_ahead = (self.weekday - now.weekday()) % 7
        candidate_date = now.date() + datetime.timedelta(days=days_ahead)
        candidate = datetime.datetime.combine(candidate_date, self.start_time, tzinfo=tz)
        if candidate <= now:
            candidate += datetime.timedelta(days=7)
            candidate = datetime.datetime.combine(candidate.date(), self.start_time, tzinfo=tz)
        return candidate


class ForumRole(models.TextChoices):
    PARTICIPANT = "participant", "Participant"
    FACILITATOR = "facilitator", "Facilitator"


class ForumMembership(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="forum_memberships")
    role = models.CharField(max_length=20, choices=ForumRole.choices, default="participant")
    reminders_enabled = models.BooleanField("send me reminders", default=True)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["forum", "user"], name="one_membership_per_forum")
        ]
        ordering = ["forum__name", "user__full_name"]

    def __str__(self) -> str:
        return f"{self.user} in {self.forum} ({self.get_role_display()})"

    @property
    def is_facilitator(self) -> bool:
        return self.role == ForumRole.FACILITATOR


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a reply"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class ForumJoinRequest(models.Model):
    """Someone asks to join an open forum; a facilitator accepts or declines."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="forum_join_requests")
    message = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default="pending")
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "user"],
                condition=Q(status="pending"),
                name="one_pending_request_per_forum",
            )
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.forum}"


class Invitation(models.Model):
    """An emailed invitation to an organisation or a forum, accepted by signing in."""

    email = models.EmailField()
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    organisation_role = models.CharField(
        max_length=20, choices=MembershipRole.choices, default="staff"
    )
    forum = models.ForeignKey(
        Forum, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) ^ Q(forum__isnull=False),
                name="invitation_has_one_target",
            )
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organisation or self.forum}"

    @property
    def target(self) -> Organisation | Forum:
        target = self.organisation or self.forum
        assert target is not None
        return target


# --- The place picture ---------------------------------------------------------------
# The transparency register, the system map, the propositions check, the place glossary
# and champions. Views in talking_points/views/picture/ (the picture also shows sessions
# and learning); rules in permissions.py; writes in services.py, each under the same header.


# --- Partnership membership as subqueries ------------------------------------------------
# Other apps' ``visible_to`` querysets combine these, so they are Q objects and subqueries
# rather than lists: a page stays one query, whatever the person's memberships.


def place_partnership_q(user: Any, place_field: str = "") -> Q:
    """A Q on Place (or on a model whose ``place_field`` points at Place) matching the places
    whose partnership ``user`` belongs to: a member of one of its forums, a member of an
    organisation that works there, or a commissioner who covers it."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    forum_places = ForumMembership.objects.filter(user=user).values("forum__place_id")
    org_places = Place.organisations.through.objects.filter(
        organisation__memberships__user=user
    ).values("place_id")
    key = f"{place_field}__in" if place_field else "pk__in"
    return Q(**{key: forum_places}) | Q(**{key: org_places}) | Q(**{key: covered_place_ids(user)})


def covered_place_ids(user: Any) -> models.QuerySet[Any]:
    """Places a commissioner covers, as a subquery of ids."""
    return CommissionerProfile.places.through.objects.filter(commissionerprofile__user=user).values(
        "place_id"
    )


class CommissionQuerySet(models.QuerySet["Commission"]):
    def visible_to(self, user: Any) -> CommissionQuerySet:
        """Public commissions for everyone; unpublished ones for the place's partnership
        and the commissioner who recorded them. One query, whatever the memberships."""
        public = Q(is_public=True)
        if user is None or not user.is_authenticated:
            return self.filter(public)
        own = Q(commissioner__user=user)
        return self.filter(public | own | place_partnership_q(user, "place"))


class Commission(models.Model):
    """One line of the transparency register: "What are you funding, and why?"."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="commissions")
    commissioner = models.ForeignKey(
        CommissionerProfile, on_delete=models.CASCADE, related_name="commissions"
    )
    title = models.CharField("what is funded", max_length=200)
    why = models.TextField("why you fund it", max_length=4000)
    budget = models.DecimalField(
        "budget (£)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0, message="The budget cannot be negative.")],
    )
    starts_on = models.DateField("starts on")
    ends_on = models.DateField("ends on", null=True, blank=True)
    providers = models.ManyToManyField(
        Organisation, related_name="commissions_provided", blank=True
    )
    specialisms = models.ManyToManyField(Specialism, related_name="commissions", blank=True)
    outcomes_agreed = models.TextField("how outcomes were agreed", max_length=4000, blank=True)
    designed_with_people_using_services = models.BooleanField(
        "people who use services took part in the design", default=False
    )
    designed_with_vcs = models.BooleanField(
        "voluntary and community organisations took part in the design", default=False
    )
    design_participants = models.TextField(
        "who else took part in the design, and how", max_length=2000, blank=True
    )
    is_public = models.BooleanField(
        "show to the public",
        default=True,
        help_text="Untick only for a good reason; the place's partners still see it.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommissionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="commission_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="commission_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["place", "is_public", "-starts_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("talking_points:commission_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date."})


class RelationshipKind(models.TextChoices):
    FUNDS = "funds", "funds"
    COMMISSIONS = "commissions", "commissions"
    REFERS_TO = "refers_to", "refers people to"
    PARTNERS_WITH = "partners_with", "partners with"


class Relationship(models.Model):
    """One line on a place's system map (talking point 8): ``source`` <kind> ``target``."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="relationships")
    source = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="relationships_out"
    )
    target = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="relationships_in"
    )
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["source__name", "kind", "target__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "source", "target", "kind"], name="one_relationship_per_kind"
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="relationship_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class GlossaryTerm(models.Model):
    """A place's own plain-English meaning for a term (talking point 4)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="glossary_terms")
    term = models.CharField(max_length=80)
    meaning = models.TextField("what it means, in plain English", max_length=1000)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(Lower("term"), "place", name="one_glossary_term_per_place")
        ]

    def __str__(self) -> str:
        return self.term


class Champion(models.Model):
    """A person who stands, publicly, as an HLS champion for a place."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="champions")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="championships")
    can_help_with = models.TextField("what you can help with", max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["user__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["place", "user"], name="one_champion_per_place")
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.place}"


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
