"""Demo learning: entries of every kind and visibility across the three places, with
consent for stories, connections, sharing history and commissioners' responses.

Rows are created once, keyed on natural keys, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from partnerships.models import Organisation, Place, User

from .models import (
    LearningEntry,
    LearningLink,
    Review,
    ReviewRead,
    StoryConsent,
    Tag,
    Visibility,
    VisibilityChange,
)

WORKER = "worker@demo.hls-forum.localhost"
LEAD = "lead@demo.hls-forum.localhost"
VOLUNTEER = "volunteer@demo.hls-forum.localhost"
FACILITATOR = "facilitator@demo.hls-forum.localhost"
SAM = "commissioner@demo.hls-forum.localhost"
HELEN = "helen.reid@demo.hls-forum.localhost"
PRIYA = "priya.shah@demo.hls-forum.localhost"
TOM = "tom.baxter@demo.hls-forum.localhost"
AISHA = "aisha.khan@demo.hls-forum.localhost"

# Each: place, organisation, author email (or None), kind, title, fields, visibility,
# tags, days ago.
ENTRIES: list[dict[str, Any]] = [
    {
        "place": "Plymouth",
        "org": "Harbour Recovery Project",
        "author": WORKER,
        "kind": "experiment",
        "title": "Evening drop-in run by peer mentors",
        "tried": "We opened the drop-in on **Thursday evenings**, run entirely by peer mentors.",
        "happened": "Twelve people came in the first month, most of whom had never used our "
        "daytime service. Two mentors burned out by week three.",
        "learned": "Evenings reach people in work or caring in the day. Mentors need a rota "
        "and someone to debrief with.",
        "next_steps": "Run it for three more months with a rota of six mentors and a weekly "
        "debrief.",
        "experiment_status": "running",
        "review_date": 60,
        "visibility": "commissioners",
        "tags": ["peer support", "evenings"],
        "days": 3,
    },
    {
        "place": "Plymouth",
        "org": "Harbour Recovery Project",
        "author": LEAD,
        "kind": "disappointment",
        "title": "Our referral form put people off",
        "body": "We asked for eleven pieces of information before we had even met someone. "
        "Half of the people referred never came.\n\n*Life can get in the way* – and so can "
        "our paperwork.",
        "visibility": "place",
        "tags": ["referrals"],
        "days": 20,
    },
    {
        "place": "Plymouth",
        "org": "Harbour Recovery Project",
        "author": LEAD,
        "kind": "breakthrough",
        "title": "Shared caseload with the hostel",
        "body": "Support now sits with the alliance, not one provider. When someone moves "
        "into the hostel, our mentor keeps seeing them. No one is left holding the baby.",
        "visibility": "public",
        "tags": ["alliance", "housing"],
        "days": 10,
    },
    {
        "place": "Plymouth",
        "org": "Harbour Recovery Project",
        "author": WORKER,
        "kind": "story",
        "title": "D.'s year back at the allotment",
        "body": "D. came to us after leaving hospital. A mentor went with him to the "
        "allotment every week. A year on, he runs the Tuesday group there.",
        "visibility": "place",
        "tags": ["stories"],
        "days": 14,
        "consent": {
            "given_by": "D. (pseudonym)",
            "method": "written",
            "days_ago": 16,
            "obtained_by": "Alex Green",
            "widest_visibility": "place",
        },
    },
    {
        "place": "Plymouth",
        "org": "Harbour Recovery Project",
        "author": WORKER,
        "kind": "story",
        "title": "M.'s story (consent withdrawn)",
        "body": "M. asked us not to share her story any more. It stays with us.",
        "visibility": "organisation",
        "tags": ["stories"],
        "days": 40,
        "consent": {
            "given_by": "M.",
            "method": "verbal",
            "days_ago": 45,
            "obtained_by": "Jo Mitchell",
            "widest_visibility": "public",
            "withdrawn": True,
        },
    },
    {
        "place": "Plymouth",
        "org": "Harbour Recovery Project",
        "author": LEAD,
        "kind": "reflection",
        "title": "What trust from our commissioner changed",
        "body": "Without the old monitoring form we spend Monday mornings with people, not "
        "spreadsheets.",
        "visibility": "organisation",
        "tags": ["trust"],
        "days": 1,
    },
    {
        "place": "Plymouth",
        "org": "Plymouth Street Outreach",
        "author": VOLUNTEER,
        "kind": "breakthrough",
        "title": "Breakfast on the van opened conversations",
        "body": "Bacon rolls at 6am started more conversations than any leaflet.",
        "visibility": "commissioners",
        "tags": ["outreach"],
        "days": 6,
    },
    {
        "place": "Plymouth",
        "org": "Devon Families Together",
        "author": FACILITATOR,
        "kind": "reflection",
        "title": "Children notice when services change",
        "body": "Every handover between workers is felt by the children first.",
        "visibility": "public",
        "tags": ["families"],
        "days": 30,
    },
    {
        "place": "Preston",
        "org": "Preston Community Kitchen",
        "author": None,
        "kind": "experiment",
        "title": "Pay-what-you-can lunch",
        "tried": "A pay-what-you-can lunch on Fridays.",
        "happened": "More people came; the money balanced out over a month.",
        "learned": "Dignity matters more than the price.",
        "next_steps": "Add a second day.",
        "experiment_status": "finished",
        "review_date": -10,
        "visibility": "public",
        "tags": ["food", "dignity"],
        "days": 25,
    },
    {
        "place": "Preston",
        "org": "Lancashire Young People's Network",
        "author": None,
        "kind": "disappointment",
        "title": "Youth panel fizzled out",
        "body": "We set up a youth panel but met in school hours. Nobody could come.",
        "visibility": "commissioners",
        "tags": ["young people"],
        "days": 12,
    },
    {
        "place": "Preston",
        "org": "Preston Advice Hub",
        "author": None,
        "kind": "story",
        "title": "From debt to a plan",
        "body": "A. came in with eight letters she had not opened. We opened them together.",
        "visibility": "commissioners",
        "tags": ["money", "stories"],
        "days": 8,
        "consent": {
            "given_by": "A.",
            "method": "verbal",
            "days_ago": 9,
            "obtained_by": "Advice Hub caseworker",
            "widest_visibility": "commissioners",
        },
    },
    {
        "place": "Preston",
        "org": "Preston Advice Hub",
        "author": None,
        "kind": "breakthrough",
        "title": "One shared referral system",
        "body": "Five organisations now use one referral record, so people tell their story once.",
        "visibility": "place",
        "tags": ["referrals"],
        "days": 18,
    },
    {
        "place": "Scarborough",
        "org": "Scarborough Coastal Connect",
        "author": None,
        "kind": "reflection",
        "title": "Learning circles need a neutral host",
        "body": "People spoke more freely at the library than in our own building.",
        "visibility": "public",
        "tags": ["learning circles"],
        "days": 5,
    },
    {
        "place": "Scarborough",
        "org": "Scarborough Men's Shed",
        "author": None,
        "kind": "experiment",
        "title": "Repair café for the whole town",
        "tried": "Opening the shed to anyone with something broken, once a month.",
        "happened": "Planned for next month.",
        "learned": "",
        "next_steps": "Ask Coastal Connect's volunteers to help on the day.",
        "experiment_status": "planned",
        "review_date": 45,
        "visibility": "place",
        "tags": ["repair"],
        "days": 2,
    },
    {
        "place": "Scarborough",
        "org": "Scarborough Coastal Connect",
        "author": None,
        "kind": "disappointment",
        "title": "The winter bus route was cut",
        "body": "Two villages can no longer reach the hub. We are still working out what to do.",
        "visibility": "commissioners",
        "tags": ["transport"],
        "days": 9,
    },
    {
        "place": "Scarborough",
        "org": "Scarborough Men's Shed",
        "author": None,
        "kind": "breakthrough",
        "title": "GP surgery now refers to the shed",
        "body": "The social prescriber sends two or three men a week.",
        "visibility": "organisation",
        "tags": ["social prescribing"],
        "days": 15,
    },
]

# (entry title, author email, kind, text, replies: [(author email or None for the
# entry's author, text)])
REVIEWS: list[tuple[str, str, str, str, list[tuple[str, str]]]] = [
    (
        "Evening drop-in run by peer mentors",
        SAM,
        "question",
        "Thank you for sharing this early. What would help the mentors most – paid debrief time?",
        [(WORKER, "Yes – an hour a week with a counsellor would make the difference.")],
    ),
    (
        "Our referral form put people off",
        SAM,
        "support",
        "Let's rewrite it together with the alliance. I can bring the council's form too.",
        [],
    ),
    ("Breakfast on the van opened conversations", HELEN, "acknowledge", "", []),
    (
        "Youth panel fizzled out",
        PRIYA,
        "support",
        "This is useful to know. We can fund evening sessions and transport.",
        [],
    ),
    (
        "The winter bus route was cut",
        AISHA,
        "question",
        "Could the community transport scheme cover the two villages this winter?",
        [],
    ),
    ("From debt to a plan", TOM, "acknowledge", "A powerful story. Thank you.", []),
]

# (from title, relation, to title)
LINKS = [
    ("Evening drop-in run by peer mentors", "came_from", "Our referral form put people off"),
    ("Shared caseload with the hostel", "relates_to", "D.'s year back at the allotment"),
]


def _user(email: str | None) -> User | None:
    return User.objects.filter(email=email).first() if email else None


def load() -> None:
    now = timezone.now()
    today = timezone.localdate()
    places = {p.name: p for p in Place.objects.all()}
    organisations = {o.name: o for o in Organisation.objects.all()}
    entries: dict[str, LearningEntry] = {}
    for data in ENTRIES:
        org = organisations[data["org"]]
        author = _user(data["author"])
        review_days = data.get("review_date")
        entry, created = LearningEntry.objects.get_or_create(
            organisation=org,
            title=data["title"],
            defaults={
                "place": places[data["place"]],
                "author": author,
                "kind": data["kind"],
                "body": data.get("body", ""),
                "tried": data.get("tried", ""),
                "happened": data.get("happened", ""),
                "learned": data.get("learned", ""),
                "next_steps": data.get("next_steps", ""),
                "experiment_status": data.get("experiment_status", ""),
                "review_date": (
                    today + datetime.timedelta(days=review_days) if review_days else None
                ),
                "visibility": data["visibility"],
                "created_at": now - datetime.timedelta(days=data["days"]),
            },
        )
        entries[entry.title] = entry
        if not created:
            continue
        entry.tags.set(
            [
                Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
                for name in data["tags"]
            ]
        )
        consent = data.get("consent")
        if consent:
            StoryConsent.objects.create(
                entry=entry,
                given_by=consent["given_by"],
                method=consent["method"],
                given_on=today - datetime.timedelta(days=consent["days_ago"]),
                obtained_by=consent["obtained_by"],
                widest_visibility=consent["widest_visibility"],
                recorded_by=author,
                withdrawn_at=now - datetime.timedelta(days=2) if consent.get("withdrawn") else None,
                withdrawn_recorded_by=author if consent.get("withdrawn") else None,
            )
            if consent.get("withdrawn"):
                VisibilityChange.objects.create(
                    entry=entry,
                    changed_by=author,
                    changed_at=entry.created_at,
                    from_visibility=Visibility.ORGANISATION,
                    to_visibility=Visibility.PUBLIC,
                )
                VisibilityChange.objects.create(
                    entry=entry,
                    changed_by=author,
                    changed_at=now - datetime.timedelta(days=2),
                    from_visibility=Visibility.PUBLIC,
                    to_visibility=Visibility.ORGANISATION,
                    reason="Consent withdrawn",
                )
        if data["visibility"] != Visibility.ORGANISATION:
            VisibilityChange.objects.create(
                entry=entry,
                changed_by=author,
                changed_at=entry.created_at,
                from_visibility=Visibility.ORGANISATION,
                to_visibility=data["visibility"],
            )

    for title, author_email, kind, text, replies in REVIEWS:
        entry = entries[title]
        commissioner = _user(author_email)
        review, created = Review.objects.get_or_create(
            entry=entry,
            author=commissioner,
            kind=kind,
            in_reply_to=None,
            defaults={"text": text, "notified_at": now, "created_at": entry.created_at},
        )
        if commissioner is not None:
            ReviewRead.objects.get_or_create(entry=entry, user=commissioner)
        if not created:
            continue
        for reply_author, reply_text in replies:
            Review.objects.create(
                entry=entry,
                in_reply_to=review,
                author=_user(reply_author),
                kind="reply",
                text=reply_text,
                notified_at=now,
            )

    for from_title, relation, to_title in LINKS:
        LearningLink.objects.get_or_create(
            entry=entries[from_title],
            other_entry=entries[to_title],
            defaults={"relation": relation},
        )
