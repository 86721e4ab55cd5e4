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

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:place_detail", kwargs={"slug": self.slug})

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
        return reverse("partnerships:forum_detail", kwargs={"slug": self.slug})

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

    def set_reminders(self, *, enabled: bool) -> None:
        self.reminders_enabled = enabled
        self.save(update_fields=["reminders_enabled"])


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
