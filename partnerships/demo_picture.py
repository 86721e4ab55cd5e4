"""Demo data for the place picture: commissions, system maps, glossaries, champions,
and proposition ratings over past quarters, for all three places (the wellbeing check-ins
are ``talking_points.demo_wellbeing``'s).

Runs after ``partnerships.demo``. Every write is keyed on a natural key, so loading twice
changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from .demo import demo_user
from .models import (
    Champion,
    Commission,
    CommissionerProfile,
    Forum,
    ForumMembership,
    GlossaryTerm,
    Membership,
    Organisation,
    Place,
    Proposition,
    PropositionRating,
    Relationship,
    Specialism,
    User,
    add_quarters,
    quarter_start,
)

# (email, full name, organisation, forum)
EXTRA_PEOPLE = [
    ("nadia@demo.hls-forum.localhost", "Nadia Hussain", "Preston Community Kitchen", "Preston"),
    ("owen@demo.hls-forum.localhost", "Owen Price", "Preston Advice Hub", "Preston"),
    (
        "grace@demo.hls-forum.localhost",
        "Grace Taylor",
        "Lancashire Young People's Network",
        "Preston",
    ),
    ("ben@demo.hls-forum.localhost", "Ben Walker", "Scarborough Coastal Connect", "Scarborough"),
    ("lucy@demo.hls-forum.localhost", "Lucy Fraser", "Scarborough Men's Shed", "Scarborough"),
    ("dev@demo.hls-forum.localhost", "Dev Patel", "Scarborough Coastal Connect", "Scarborough"),
]

FORUM_OF_PLACE = {
    "Plymouth": "plymouth-alliance-forum",
    "Preston": "preston-partners-conversation",
    "Scarborough": "scarborough-coast-learning-circle",
}

# (commissioner email, place, title, why, budget, start, years, providers, specialisms,
#  outcomes agreed, with people using services, with VCS, design participants)
COMMISSIONS = [
    (
        "commissioner@demo.hls-forum.localhost",
        "Plymouth",
        "Drug and alcohol treatment alliance",
        "People were bounced between services. One alliance of providers, sharing one budget "
        "and one set of risks, can change its support as people's lives change.",
        Decimal("8400000"),
        datetime.date(2023, 4, 1),
        7,
        ["Harbour Recovery Project", "Plymouth Street Outreach", "Devon Families Together"],
        ["Drug and alcohol treatment", "Homelessness and housing"],
        "Agreed with providers and people in recovery over six workshops; reviewed together "
        "every six months instead of with fixed targets.",
        True,
        True,
        "Twelve people in recovery and their families, and the three providers.",
    ),
    (
        "commissioner@demo.hls-forum.localhost",
        "Plymouth",
        "Peer mentors in the emergency department",
        "People in crisis trust someone who has been there. We want them met by a peer mentor "
        "on the day they ask for help.",
        Decimal("240000"),
        datetime.date(2025, 1, 1),
        2,
        ["Harbour Recovery Project"],
        ["Drug and alcohol treatment"],
        "Agreed with the hospital team and mentors: we will learn from the stories of the "
        "first hundred people.",
        True,
        True,
        "Peer mentors, emergency nurses.",
    ),
    (
        "helen.reid@demo.hls-forum.localhost",
        "Plymouth",
        "Community mental health drop-ins",
        "People told us they wanted somewhere to go before things get bad, close to home.",
        Decimal("560000"),
        datetime.date(2024, 10, 1),
        3,
        ["Devon Families Together"],
        ["Mental health"],
        "Set by the commissioner, to be reviewed with the provider in the second year.",
        False,
        True,
        "",
    ),
    (
        "priya.shah@demo.hls-forum.localhost",
        "Preston",
        "Early help for families, through community groups",
        "Families go to people they already trust. We fund local groups to offer early help "
        "where families already are.",
        Decimal("1200000"),
        datetime.date(2024, 4, 1),
        3,
        ["Preston Community Kitchen", "Lancashire Young People's Network"],
        ["Children and families", "Young people"],
        "Agreed with the groups at the Partners' Conversation; we ask what they learn, not how "
        "many sessions they ran.",
        False,
        True,
        "Eight community groups.",
    ),
    (
        "tom.baxter@demo.hls-forum.localhost",
        "Preston",
        "Unrestricted grants for advice and food",
        "Money that groups can spend on what matters most right now, for five years.",
        Decimal("450000"),
        datetime.date(2023, 9, 1),
        5,
        ["Preston Advice Hub", "Preston Community Kitchen"],
        ["Food poverty", "Community wellbeing"],
        "Grant holders set their own aims and tell us each year what they learned.",
        True,
        True,
        "A panel of people who have used food banks helped choose the grants.",
    ),
    (
        "aisha.khan@demo.hls-forum.localhost",
        "Scarborough",
        "Coastal community connectors",
        "Isolated people on the coast need a person, not a leaflet. Connectors get to know "
        "them and what is around them.",
        Decimal("320000"),
        datetime.date(2025, 4, 1),
        3,
        ["Scarborough Coastal Connect", "Scarborough Men's Shed"],
        ["Community wellbeing"],
        "Agreed with Coastal Connect, which already works this way, after a term of learning "
        "sessions.",
        False,
        True,
        "Coastal Connect volunteers.",
    ),
    (
        "tom.baxter@demo.hls-forum.localhost",
        "Scarborough",
        "Learning fund for coastal groups",
        "Small groups rarely have time to reflect. This pays for that time.",
        Decimal("60000"),
        datetime.date(2025, 9, 1),
        2,
        ["Scarborough Men's Shed"],
        ["Community wellbeing"],
        "",
        False,
        False,
        "",
    ),
]

# (place, source, kind, target, note)
RELATIONSHIPS = [
    ("Plymouth", "Plymouth City Council", "commissions", "Harbour Recovery Project", "Alliance"),
    ("Plymouth", "Plymouth City Council", "commissions", "Plymouth Street Outreach", "Alliance"),
    ("Plymouth", "Plymouth City Council", "commissions", "Devon Families Together", "Alliance"),
    ("Plymouth", "NHS Devon", "funds", "Devon Families Together", "Mental health drop-ins"),
    ("Plymouth", "NHS Devon", "partners_with", "Plymouth City Council", "Pooled budget"),
    ("Plymouth", "Plymouth Street Outreach", "refers_to", "Harbour Recovery Project", ""),
    ("Plymouth", "Harbour Recovery Project", "refers_to", "Devon Families Together", ""),
    ("Plymouth", "Harbour Recovery Project", "partners_with", "Plymouth Street Outreach", ""),
    ("Preston", "Lancashire County Council", "commissions", "Preston Community Kitchen", ""),
    (
        "Preston",
        "Lancashire County Council",
        "commissions",
        "Lancashire Young People's Network",
        "",
    ),
    ("Preston", "Northern Lights Trust", "funds", "Preston Advice Hub", "Five-year grant"),
    ("Preston", "Northern Lights Trust", "funds", "Preston Community Kitchen", ""),
    ("Preston", "Preston Advice Hub", "refers_to", "Preston Community Kitchen", "Food parcels"),
    (
        "Preston",
        "Preston Community Kitchen",
        "partners_with",
        "Lancashire Young People's Network",
        "",
    ),
    ("Scarborough", "North Yorkshire Council", "commissions", "Scarborough Coastal Connect", ""),
    ("Scarborough", "North Yorkshire Council", "commissions", "Scarborough Men's Shed", ""),
    ("Scarborough", "Northern Lights Trust", "funds", "Scarborough Men's Shed", "Learning fund"),
    (
        "Scarborough",
        "Humber and North Yorkshire Health Partnership",
        "refers_to",
        "Scarborough Coastal Connect",
        "Social prescribing",
    ),
    ("Scarborough", "Scarborough Coastal Connect", "partners_with", "Scarborough Men's Shed", ""),
]

GLOSSARY = {
    "Plymouth": [
        (
            "alliance",
            "Providers and the council working as one team, sharing one budget and agreeing "
            "together how to spend it.",
        ),
        ("DAT", "Drug and Alcohol Treatment: services that help people with drink or drugs."),
        ("pooled budget", "Money from several funders put in one pot, spent together."),
    ],
    "Preston": [
        ("early help", "Support for a family before problems become a crisis."),
        (
            "unrestricted grant",
            "Money a group can spend on whatever it needs most, not only on one project.",
        ),
        ("outcomes framework", "The list of results the council hopes our work will lead to."),
    ],
    "Scarborough": [
        ("connector", "A person who gets to know someone and links them with what is nearby."),
        ("enabler", "Someone who helps change happen, by opening doors or giving time."),
        ("learning circle", "Our weekly meeting, where we share what worked and what did not."),
    ],
}

# (email, place, what they can help with)
CHAMPIONS = [
    (
        "lead@demo.hls-forum.localhost",
        "Plymouth",
        "How our alliance shares risk and budget, and what it took to build trust with the "
        "council. Happy to talk it through over a cup of tea.",
    ),
    (
        "commissioner@demo.hls-forum.localhost",
        "Plymouth",
        "What changed for me as a commissioner when we stopped using fixed targets.",
    ),
    (
        "nadia@demo.hls-forum.localhost",
        "Preston",
        "Starting a learning conversation with your funder, and keeping it honest.",
    ),
    (
        "ben@demo.hls-forum.localhost",
        "Scarborough",
        "Running your first learning session, and what to do when it goes quiet.",
    ),
]

# Average rating per place in the oldest demo quarter; it rises a little each quarter.
BASE = {"Plymouth": 3.4, "Preston": 2.8, "Scarborough": 2.2}
# A fixed spread, so each person rates a little differently.
SPREAD = [0, 1, -1, 0, 1, -1, 0]
PROPOSITION_TILT = {"A1": 0.4, "A2": -0.2, "A3": 0.5, "B1": 0.0, "B2": 0.3, "B3": -0.4, "B4": -0.3}
COMMENTS = {
    "B3": "We talk about learning but rarely make time for it.",
    "A1": "Families notice when we work together.",
    "B4": "People who use services are still mostly asked, not involved.",
}


def _score(place: str, person: int, code: str, quarter: int) -> int:
    value = BASE[place] + 0.3 * quarter + PROPOSITION_TILT[code] + SPREAD[(person + quarter) % 7]
    return max(1, min(5, round(value)))


def _people(place: Place) -> list[User]:
    return list(
        User.objects.filter(forum_memberships__forum__place=place).order_by("email").distinct()
    )


def load() -> None:
    places = {p.name: p for p in Place.objects.all()}
    organisations = {o.name: o for o in Organisation.objects.all()}
    forums = {name: Forum.objects.get(slug=slug) for name, slug in FORUM_OF_PLACE.items()}

    for email, full_name, org, place_name in EXTRA_PEOPLE:
        user = demo_user(email, full_name)
        Membership.objects.get_or_create(
            user=user, organisation=organisations[org], defaults={"role": "staff"}
        )
        ForumMembership.objects.get_or_create(user=user, forum=forums[place_name])
    for email, place_name in [
        ("priya.shah@demo.hls-forum.localhost", "Preston"),
        ("helen.reid@demo.hls-forum.localhost", "Plymouth"),
    ]:
        ForumMembership.objects.get_or_create(
            user=User.objects.get(email=email), forum=forums[place_name]
        )

    _commissions(places, organisations)
    _relationships(places, organisations)
    for place_name, terms in GLOSSARY.items():
        for term, meaning in terms:
            GlossaryTerm.objects.update_or_create(
                place=places[place_name], term=term, defaults={"meaning": meaning}
            )
    for email, place_name, offer in CHAMPIONS:
        Champion.objects.update_or_create(
            place=places[place_name],
            user=User.objects.get(email=email),
            defaults={"can_help_with": offer},
        )
    today = timezone.localdate()
    for place_name, place in places.items():
        if place_name in BASE:
            _ratings(place, today)


def _commissions(places: dict[str, Place], organisations: dict[str, Organisation]) -> None:
    for (
        email,
        place_name,
        title,
        why,
        budget,
        start,
        years,
        providers,
        specialisms,
        outcomes,
        with_people,
        with_vcs,
        participants,
    ) in COMMISSIONS:
        profile = CommissionerProfile.objects.get(user__email=email)
        commission, _ = Commission.objects.update_or_create(
            commissioner=profile,
            title=title,
            defaults={
                "place": places[place_name],
                "why": why,
                "budget": budget,
                "starts_on": start,
                "ends_on": start.replace(year=start.year + years) - datetime.timedelta(days=1),
                "outcomes_agreed": outcomes,
                "designed_with_people_using_services": with_people,
                "designed_with_vcs": with_vcs,
                "design_participants": participants,
                "is_public": True,
            },
        )
        commission.providers.set([organisations[p] for p in providers])
        commission.specialisms.set(Specialism.objects.filter(name__in=specialisms))


def _relationships(places: dict[str, Place], organisations: dict[str, Organisation]) -> None:
    for place_name, source, kind, target, note in RELATIONSHIPS:
        Relationship.objects.update_or_create(
            place=places[place_name],
            source=organisations[source],
            target=organisations[target],
            kind=kind,
            defaults={"note": note},
        )


def _ratings(place: Place, today: datetime.date) -> None:
    """Four ended quarters of ratings, and a few for the current quarter (which stay hidden
    until it ends). The first person in each place is left to rate this quarter themselves."""
    people = _people(place)
    current = quarter_start(today)
    for q in range(4):
        quarter = add_quarters(current, q - 4)
        for person_index, person in enumerate(people):
            for code in Proposition.values:
                PropositionRating.objects.update_or_create(
                    place=place,
                    user=person,
                    proposition=code,
                    quarter=quarter,
                    defaults={
                        "score": _score(place.name, person_index, code, q),
                        "comment": COMMENTS.get(code, "") if person_index == 1 else "",
                    },
                )
    for person_index, person in enumerate(people[1:3], start=1):
        for code in Proposition.values:
            PropositionRating.objects.update_or_create(
                place=place,
                user=person,
                proposition=code,
                quarter=current,
                defaults={"score": _score(place.name, person_index, code, 4)},
            )
