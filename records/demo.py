"""Demo rows for what Plymouth's partnership keeps: assets, a control map, signals with
evidence, an agreement with sign-ups, and fears with a review. (The VCS trend needs no rows:
it comes from the demo sessions' attendance.)

Runs after the partnerships and talking points demos. Every write is keyed on a natural key,
so loading twice changes nothing.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from partnerships.models import Organisation, Place, User
from talking_points.models import LearningEntry

from .models import (
    AgreementSignature,
    AgreementVersion,
    ControlItem,
    Fear,
    FearReview,
    PlaceAsset,
    Ring,
    Signal,
    SignalEvidence,
)

# (name, why it matters, organisation or None)
ASSETS = [
    (
        "The Barbican drop-in",
        "Somewhere people come back to, without an appointment.",
        "Harbour Recovery Project",
    ),
    ("The outreach van", "It reaches people the buildings never see.", "Plymouth Street Outreach"),
    ("Peer mentors", "Forty people whose own recovery makes them believed.", None),
    ("The Wednesday forum itself", "Partners who know each other by name.", None),
]
CONTROL = [
    ("How we share referrals between us", Ring.CONTROL),
    ("Where the forum meets and who chairs", Ring.CONTROL),
    ("How the next treatment contract is written", Ring.INFLUENCE),
    ("What the council asks us to report", Ring.INFLUENCE),
    ("National drug policy", Ring.CONCERN),
    ("Housing benefit rates", Ring.CONCERN),
]
# (signal, how we look for it, watcher email or None, organisation or None)
SIGNALS = [
    (
        "People tell their story once, not five times",
        "Ask at each first meeting how many times they have told it.",
        "worker@demo.hls-forum.localhost",
        None,
    ),
    (
        "Commissioners come to the forum without being asked",
        "Count who comes, each quarter.",
        None,
        "Plymouth City Council",
    ),
]
WILL_DO = (
    "Share what we learn, failures included, with the whole partnership.\n"
    "Refer people warmly: a named person, not a leaflet.\n"
    "Bring decisions that affect people who use services to the forum first."
)
WONT_DO = "Bid against each other for the same people without talking first."
# (fear, how we meet it, owner email)
FEARS = [
    (
        "Sharing a failure will cost us our funding",
        "Commissioners say, in the forum, what they do with what we share.",
        "commissioner@demo.hls-forum.localhost",
    ),
    (
        "The big organisations will set the agenda",
        "Take turns to facilitate; anyone can propose a talking point.",
        "facilitator@demo.hls-forum.localhost",
    ),
]


def _person(email: str | None) -> User | None:
    return User.objects.filter(email=email).first() if email else None


def load() -> None:
    place = Place.objects.filter(slug="plymouth").first()
    if place is None:
        return
    by = _person("facilitator@demo.hls-forum.localhost")
    organisations = {o.name: o for o in Organisation.objects.filter(places=place)}
    for name, why, organisation in ASSETS:
        PlaceAsset.objects.get_or_create(
            place=place,
            name=name,
            defaults={
                "description": why,
                "organisation": organisations.get(organisation or ""),
                "added_by": by,
            },
        )
    for text, ring in CONTROL:
        ControlItem.objects.get_or_create(
            place=place, text=text, defaults={"ring": ring, "added_by": by}
        )
    evidence = list(
        LearningEntry.objects.filter(place=place, visibility__in=["place", "public"])
        .exclude(kind="story")
        .order_by("pk")[:2]
    )
    for text, how, watcher, organisation in SIGNALS:
        signal, created = Signal.objects.get_or_create(
            place=place,
            text=text,
            defaults={
                "how": how,
                "watcher": _person(watcher),
                "watcher_organisation": organisations.get(organisation or ""),
                "added_by": by,
            },
        )
        if created and evidence:
            SignalEvidence.objects.get_or_create(
                signal=signal, entry=evidence.pop(0), defaults={"linked_by": by}
            )
    version, _ = AgreementVersion.objects.get_or_create(
        place=place,
        number=1,
        defaults={"will_do": WILL_DO, "wont_do": WONT_DO, "added_by": by},
    )
    harbour = organisations.get("Harbour Recovery Project")
    if harbour is not None:
        AgreementSignature.objects.get_or_create(
            version=version,
            organisation=harbour,
            defaults={"signed_by": _person("lead@demo.hls-forum.localhost")},
        )
    for text, mitigation, owner in FEARS:
        fear, created = Fear.objects.get_or_create(
            place=place,
            text=text,
            defaults={"mitigation": mitigation, "owner": _person(owner), "added_by": by},
        )
        if created and owner.startswith("commissioner"):
            FearReview.objects.create(
                fear=fear,
                reviewed_on=timezone.localdate() - datetime.timedelta(days=14),
                note="Still felt, less strongly: the council thanked two partners for honesty.",
                reviewed_by=by,
            )
