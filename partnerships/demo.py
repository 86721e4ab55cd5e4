"""Demo data for local use: the report's three sample areas (Figure 1) and their partners.

Every write is an update-or-create keyed on a natural key, so loading twice changes nothing.
The demo password is for local use only; ``load_demo`` refuses to run with DEBUG off
unless told to.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.utils.text import slugify

from .models import (
    CommissionerProfile,
    Forum,
    ForumMembership,
    Membership,
    Organisation,
    Place,
    Specialism,
    User,
)

DEMO_PASSWORD = "hls-forum-demo-2026"  # noqa: S105 - local demo only, printed by make run

PLACES = [
    {
        "name": "Plymouth",
        "county": "Devon",
        "engagement_level": "high",
        "current_practice": (
            "Fully engaged and implementing this way of working purposefully and with a "
            "vehicle in place for Drug and Alcohol Treatment (DAT) commissioning and delivery."
        ),
    },
    {
        "name": "Preston",
        "county": "Lancashire",
        "engagement_level": "medium",
        "current_practice": (
            "'On the cusp' of engagement – the energy is there, and HLS conversations are "
            "happening. Many are already working in this way but there is a need for further "
            "impetus to help make the shift."
        ),
    },
    {
        "name": "Scarborough",
        "county": "North Yorkshire",
        "engagement_level": "low",
        "current_practice": (
            "A focus on one organisation that is working in this way and that is keen to play "
            "a role in supporting others and instigate HLS thinking locally. A VCS sector that "
            "is interested and in need of more 'enablers' to make change happen."
        ),
    },
]

# (name, sector, places, distinctive contribution, local assets)
ORGANISATIONS = [
    (
        "Harbour Recovery Project",
        "vcs",
        ["Plymouth"],
        "Peer-led recovery support for people affected by drugs and alcohol.",
        "A drop-in centre by the Barbican and forty trained peer mentors.",
    ),
    (
        "Plymouth Street Outreach",
        "vcs",
        ["Plymouth"],
        "Meets people sleeping rough where they are, day and night.",
        "An outreach van and long-standing trust with people on the streets.",
    ),
    (
        "Devon Families Together",
        "vcs",
        ["Plymouth"],
        "Whole-family support when a parent is in treatment.",
        "Family rooms in three community centres.",
    ),
    (
        "Plymouth City Council",
        "statutory",
        ["Plymouth"],
        "Commissions drug and alcohol treatment, housing and community services.",
        "Council buildings and data about local need.",
    ),
    (
        "NHS Devon",
        "health",
        ["Plymouth"],
        "Funds and plans health services across Devon.",
        "Primary care networks and community health teams.",
    ),
    (
        "Preston Community Kitchen",
        "vcs",
        ["Preston"],
        "Cooks and eats together with people facing food poverty.",
        "A community kitchen and a network of local growers.",
    ),
    (
        "Lancashire Young People's Network",
        "vcs",
        ["Preston"],
        "Youth work led by young people themselves.",
        "Youth clubs in six neighbourhoods.",
    ),
    (
        "Preston Advice Hub",
        "vcs",
        ["Preston"],
        "Free advice on money, housing and benefits.",
        "Trained advisers and a shared referral system.",
    ),
    (
        "Lancashire County Council",
        "statutory",
        ["Preston"],
        "Commissions early help, adult social care and public health.",
        "Family hubs and public health data.",
    ),
    (
        "Northern Lights Trust",
        "funder",
        ["Preston", "Scarborough"],
        "An independent trust giving unrestricted, long-term grants.",
        "Flexible funding and a learning programme for grant holders.",
    ),
    (
        "Scarborough Coastal Connect",
        "vcs",
        ["Scarborough"],
        "Already works in a Human Learning Systems way and helps others to start.",
        "A volunteer network along the coast and a shared learning space.",
    ),
    (
        "Scarborough Men's Shed",
        "vcs",
        ["Scarborough"],
        "A place for men to make, mend and talk.",
        "A workshop and tools open to the whole community.",
    ),
    (
        "North Yorkshire Council",
        "statutory",
        ["Scarborough"],
        "Commissions community support and social care for the coast.",
        "Libraries and community hubs used as neutral venues.",
    ),
    (
        "Humber and North Yorkshire Health Partnership",
        "health",
        ["Scarborough"],
        "Plans health and care services across the region.",
        "Community health teams and social prescribers.",
    ),
]

SPECIALISMS = [
    "Drug and alcohol treatment",
    "Homelessness and housing",
    "Children and families",
    "Young people",
    "Food poverty",
    "Mental health",
    "Community wellbeing",
]

# (email, full name, org, job title, specialisms, places, phone, availability, about)
COMMISSIONERS = [
    (
        "commissioner@demo.hls-forum.localhost",
        "Sam Okafor",
        "Plymouth City Council",
        "Drug and Alcohol Treatment Commissioner",
        ["Drug and alcohol treatment", "Homelessness and housing"],
        ["Plymouth"],
        "01752 000 101",
        "Tuesdays and Thursdays, 9am to 4pm",
        "I hold an integrated budget for drug and alcohol treatment, pooled with housing and "
        "health. We fund an alliance of providers who share risk and reward, because people "
        "should not be bounced between services.",
    ),
    (
        "helen.reid@demo.hls-forum.localhost",
        "Helen Reid",
        "NHS Devon",
        "Mental Health Commissioning Manager",
        ["Mental health"],
        ["Plymouth"],
        "01752 000 202",
        "Weekdays, 10am to 3pm",
        "I fund community mental health support and want to hear what is and is not working.",
    ),
    (
        "priya.shah@demo.hls-forum.localhost",
        "Priya Shah",
        "Lancashire County Council",
        "Early Help Commissioner",
        ["Children and families", "Young people"],
        ["Preston"],
        "01772 000 303",
        "Mondays and Wednesdays",
        "I commission early help for families and am moving towards longer, more flexible grants.",
    ),
    (
        "tom.baxter@demo.hls-forum.localhost",
        "Tom Baxter",
        "Northern Lights Trust",
        "Grants and Learning Lead",
        ["Community wellbeing", "Food poverty"],
        ["Preston", "Scarborough"],
        "",
        "Any weekday by email",
        "We give unrestricted, long-term grants and ask grant holders to tell us what they learn.",
    ),
    (
        "aisha.khan@demo.hls-forum.localhost",
        "Aisha Khan",
        "North Yorkshire Council",
        "Community Support Commissioner",
        ["Community wellbeing"],
        ["Scarborough"],
        "01723 000 404",
        "Thursdays",
        "I fund community support on the coast and want to help local groups lead.",
    ),
]

# (place, name, purpose, weekday, start, venue, online, access)
FORUMS = [
    (
        "Plymouth",
        "Plymouth Alliance Forum",
        "Providers and commissioners of the drug and alcohol alliance meet to share what they are "
        "learning and decide together.",
        1,
        datetime.time(10, 0),
        "The Council House community room, Armada Way",
        "https://meet.example.org/plymouth",
        "open",
    ),
    (
        "Preston",
        "Preston Partners' Conversation",
        "A weekly conversation between community groups, the council and funders about how we "
        "work together.",
        2,
        datetime.time(14, 0),
        "Preston Community Kitchen, back room",
        "",
        "open",
    ),
    (
        "Scarborough",
        "Scarborough Coast Learning Circle",
        "Local groups learn from Coastal Connect's way of working and try it for themselves.",
        3,
        datetime.time(11, 0),
        "",
        "https://meet.example.org/scarborough",
        "invite",
    ),
]


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    role: str


DEMO_PEOPLE = [
    DemoPerson("lead@demo.hls-forum.localhost", "Jo Mitchell", "Lead of Harbour Recovery Project"),
    DemoPerson(
        "worker@demo.hls-forum.localhost", "Alex Green", "Staff at Harbour Recovery Project"
    ),
    DemoPerson(
        "volunteer@demo.hls-forum.localhost", "Chris Lee", "Volunteer at Plymouth Street Outreach"
    ),
    DemoPerson(
        "facilitator@demo.hls-forum.localhost",
        "Ruth Adeyemi",
        "Facilitator of Plymouth Alliance Forum",
    ),
    DemoPerson(
        "commissioner@demo.hls-forum.localhost",
        "Sam Okafor",
        "Drug and Alcohol Treatment Commissioner, Plymouth",
    ),
    DemoPerson("staff@demo.hls-forum.localhost", "Morgan Price", "Site staff (Django admin)"),
]


def demo_user(email: str, full_name: str, *, is_staff: bool = False) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "is_staff": is_staff}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def load() -> None:
    places = {}
    for data in PLACES:
        place, _ = Place.objects.update_or_create(slug=slugify(data["name"]), defaults=data)
        places[place.name] = place

    organisations = {}
    for name, sector, place_names, contribution, assets in ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "sector": sector,
                "distinctive_contribution": contribution,
                "local_assets": assets,
            },
        )
        organisation.places.set([places[p] for p in place_names])
        organisations[name] = organisation

    specialisms = {}
    for name in SPECIALISMS:
        specialism, _ = Specialism.objects.get_or_create(
            slug=slugify(name), defaults={"name": name}
        )
        specialisms[name] = specialism

    for (
        email,
        full_name,
        org,
        title,
        specs,
        place_names,
        phone,
        availability,
        about,
    ) in COMMISSIONERS:
        user = demo_user(email, full_name)
        profile, _ = CommissionerProfile.objects.update_or_create(
            user=user,
            defaults={
                "organisation": organisations[org],
                "job_title": title,
                "public_email": email,
                "public_phone": phone,
                "availability": availability,
                "about": about,
            },
        )
        profile.specialisms.set([specialisms[s] for s in specs])
        profile.places.set([places[p] for p in place_names])

    forums = {}
    for place_name, name, purpose, weekday, start, venue, online, access in FORUMS:
        forum, _ = Forum.objects.update_or_create(
            slug=slugify(name),
            defaults={
                "place": places[place_name],
                "name": name,
                "purpose": purpose,
                "weekday": weekday,
                "start_time": start,
                "venue": venue,
                "online_link": online,
                "access": access,
            },
        )
        forums[name] = forum

    lead = demo_user("lead@demo.hls-forum.localhost", "Jo Mitchell")
    worker = demo_user("worker@demo.hls-forum.localhost", "Alex Green")
    volunteer = demo_user("volunteer@demo.hls-forum.localhost", "Chris Lee")
    facilitator = demo_user("facilitator@demo.hls-forum.localhost", "Ruth Adeyemi")
    demo_user("staff@demo.hls-forum.localhost", "Morgan Price", is_staff=True)

    harbour = organisations["Harbour Recovery Project"]
    memberships = [
        (lead, harbour, "lead", True),
        (worker, harbour, "staff", False),
        (volunteer, organisations["Plymouth Street Outreach"], "volunteer", False),
        (facilitator, organisations["Devon Families Together"], "staff", False),
    ]
    for user, organisation, role, is_admin in memberships:
        Membership.objects.update_or_create(
            user=user, organisation=organisation, defaults={"role": role, "is_admin": is_admin}
        )

    plymouth_forum = forums["Plymouth Alliance Forum"]
    forum_members = [
        (facilitator, plymouth_forum, "facilitator"),
        (lead, plymouth_forum, "participant"),
        (worker, plymouth_forum, "participant"),
        (volunteer, plymouth_forum, "participant"),
        (
            User.objects.get(email="commissioner@demo.hls-forum.localhost"),
            plymouth_forum,
            "participant",
        ),
        (facilitator, forums["Scarborough Coast Learning Circle"], "facilitator"),
    ]
    for user, forum, role in forum_members:
        ForumMembership.objects.update_or_create(user=user, forum=forum, defaults={"role": role})
