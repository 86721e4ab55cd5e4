"""Office hours (slots a commissioner publishes, bookings partners make) and visits (an
organisation invites a commissioner or funder to come and see its practice)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from partnerships.models import (
    CommissionerProfile,
    Membership,
    Organisation,
    Place,
    Sector,
    place_partnership_q,
)


def _profiles_seen_by(user: Any) -> models.QuerySet[Any]:
    """Commissioners covering a place in ``user``'s partnership, as a subquery of ids."""
    return CommissionerProfile.objects.filter(place_partnership_q(user, "places")).values("pk")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"


class SlotQuerySet(models.QuerySet["OfficeHourSlot"]):
    def visible_to(self, user: Any) -> SlotQuerySet:
        """A commissioner's own slots, and the slots of commissioners who cover a place in
        the reader's partnership. Nobody else, and no one signed out. One query."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(Q(commissioner__user=user) | Q(commissioner__in=_profiles_seen_by(user)))

    def upcoming(self, now: datetime.datetime | None = None) -> SlotQuerySet:
        return self.filter(starts_at__gt=now or timezone.now())


class OfficeHourSlot(models.Model):
    """A time a commissioner is free to talk to a partner: in person somewhere, or online."""

    commissioner = models.ForeignKey(
        CommissionerProfile, on_delete=models.CASCADE, related_name="office_hour_slots"
    )
    starts_at = models.DateTimeField("starts at")
    length_minutes = models.PositiveSmallIntegerField("how long (minutes)", default=30)
    mode = models.CharField("how you meet", max_length=10, choices=Mode.choices)
    address = models.CharField("where (for in person)", max_length=300, blank=True)
    online_link = models.URLField("meeting link (for online)", max_length=500, blank=True)
    note = models.CharField("a note for whoever books", max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["commissioner", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(length_minutes__gte=10, length_minutes__lte=240),
                name="slot_length_10_to_240_minutes",
            ),
            models.CheckConstraint(
                condition=(Q(mode="in_person") & ~Q(address=""))
                | (Q(mode="online") & ~Q(online_link="")),
                name="slot_says_where_or_how",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commissioner.user} at {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("doors:slot_book", kwargs={"pk": self.pk})

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.length_minutes)

    @property
    def where(self) -> str:
        return self.address if self.mode == Mode.IN_PERSON else "Online"


def may_book(user: Any, commissioner: CommissionerProfile) -> bool:
    """A partner from a voluntary or community organisation working in a place the
    commissioner covers may book their office hours; never the commissioner themself."""
    if not user.is_authenticated or commissioner.user_id == user.pk:
        return False
    return Membership.objects.filter(
        user=user,
        organisation__sector=Sector.VCS,
        organisation__places__in=commissioner.places.values("pk"),
    ).exists()


class BookingQuerySet(models.QuerySet["Booking"]):
    def visible_to(self, user: Any) -> BookingQuerySet:
        """A booking is seen by the two people in it: the partner and the commissioner."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(Q(partner=user) | Q(slot__commissioner__user=user))

    def live(self) -> BookingQuerySet:
        return self.filter(cancelled_at__isnull=True)


class Booking(models.Model):
    """A partner's booking of a slot. One live booking per slot, held by the database."""

    slot = models.ForeignKey(OfficeHourSlot, on_delete=models.CASCADE, related_name="bookings")
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_hour_bookings"
    )
    topic = models.CharField("what you want to talk about", max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(cancelled_at__isnull=True),
                name="one_live_booking_per_slot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} with {self.slot}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class VisitStatus(models.TextChoices):
    INVITED = "invited", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class VisitQuerySet(models.QuerySet["Visit"]):
    def visible_to(self, user: Any) -> VisitQuerySet:
        """A visit is seen by the inviting organisation's members and by the guest."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(organisation__in=Membership.objects.filter(user=user).values("organisation"))
            | Q(guest__user=user)
        )


class Visit(models.Model):
    """An organisation's invitation to a commissioner or funder to come and see its
    practice, the answer, and afterwards what was learned."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="visits")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="visits")
    guest = models.ForeignKey(CommissionerProfile, on_delete=models.CASCADE, related_name="visits")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_dates = models.CharField("dates that suit you", max_length=300)
    note = models.TextField("what they would see", max_length=2000, blank=True)
    status = models.CharField(
        max_length=10, choices=VisitStatus.choices, default=VisitStatus.INVITED
    )
    visit_date = models.DateField("date of the visit", null=True, blank=True)
    answer = models.CharField("a line with the answer", max_length=300, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    learned = models.TextField("what was learned", max_length=4000, blank=True)
    learning_entry = models.ForeignKey(
        "talking_points.LearningEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["place", "status", "visit_date"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(visit_date__isnull=False),
                name="accepted_visit_has_a_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.guest.user} visiting {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("doors:visit_detail", kwargs={"pk": self.pk})
