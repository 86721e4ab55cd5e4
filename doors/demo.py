"""Demo office hours and visits: the Plymouth commissioner's times next week (one booked by
the demo worker), and visits by commissioners and funders in each of the three places.
Idempotent: a commissioner who already has times, or a visit that exists, is left alone.
No emails: demo rows are made directly, not through the services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from partnerships.models import CommissionerProfile, Organisation, Place, User

from .models import Booking, Mode, OfficeHourSlot, Visit, VisitStatus

# (organisation slug, place slug, guest email, days from today, learned)
VISITS = [
    (
        "harbour-recovery-project",
        "plymouth",
        "commissioner@demo.hls-forum.localhost",
        -120,
        "Seeing the drop-in showed why people need a second chance at the door.",
    ),
    ("harbour-recovery-project", "plymouth", "helen.reid@demo.hls-forum.localhost", -20, ""),
    ("preston-community-kitchen", "preston", "tom.baxter@demo.hls-forum.localhost", -45, ""),
    ("scarborough-coastal-connect", "scarborough", "aisha.khan@demo.hls-forum.localhost", 14, ""),
]


def load() -> None:
    today = timezone.localdate()
    commissioner = CommissionerProfile.objects.filter(
        user__email="commissioner@demo.hls-forum.localhost"
    ).first()
    if commissioner is not None and not commissioner.office_hour_slots.exists():
        monday = today + datetime.timedelta(days=7 - today.weekday())
        tz = timezone.get_current_timezone()
        for days, hour, mode in [
            (1, 10, Mode.IN_PERSON),
            (1, 14, Mode.ONLINE),
            (3, 10, Mode.ONLINE),
        ]:
            day = monday + datetime.timedelta(days=days)
            OfficeHourSlot.objects.create(
                commissioner=commissioner,
                starts_at=datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz),
                length_minutes=30,
                mode=mode,
                address="Plymouth Guildhall, Armada Way" if mode == Mode.IN_PERSON else "",
                online_link="https://meet.example.org/sam-okafor" if mode == Mode.ONLINE else "",
                note="Bring a question about treatment or housing.",
            )
        worker = User.objects.filter(email="worker@demo.hls-forum.localhost").first()
        first = commissioner.office_hour_slots.order_by("starts_at").first()
        if worker is not None and first is not None:
            Booking.objects.create(
                slot=first, partner=worker, topic="Moving from spot purchase to a grant."
            )
    for org_slug, place_slug, email, days, learned in VISITS:
        organisation = Organisation.objects.filter(slug=org_slug).first()
        place = Place.objects.filter(slug=place_slug).first()
        guest = CommissionerProfile.objects.filter(user__email=email).first()
        if organisation is None or place is None or guest is None:
            continue
        if Visit.objects.filter(organisation=organisation, guest=guest).exists():
            continue
        when = today + datetime.timedelta(days=days)
        inviter = organisation.memberships.select_related("user").order_by("pk").first()
        Visit.objects.create(
            organisation=organisation,
            place=place,
            guest=guest,
            invited_by=inviter.user if inviter else None,
            proposed_dates="Any weekday morning",
            note="Come to the morning drop-in and meet the team.",
            status=VisitStatus.ACCEPTED,
            visit_date=when,
            answer="Happy to come.",
            answered_at=timezone.now(),
            learned=learned,
        )
