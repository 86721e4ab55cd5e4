"""The drill's data and its checks, through the app's own models and services. Runs in the
drill's process once Django is set up on the drill's database."""

from __future__ import annotations

import datetime
import http.client
import io
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from bench.drill.load import Credentials

PERSON = "worker@demo.hls-forum.localhost"
FACILITATOR = "facilitator@demo.hls-forum.localhost"
FORUM = "plymouth-alliance-forum"


def fresh_connection() -> None:
    """The drill breaks the database under this process too: never reuse a connection
    across a fault."""
    connection.close()


def prepare() -> Credentials:
    """Migrate, collect the static files, load the demo data, open the forum's next session
    live with the person present, and sign them in (a real session and a CSRF token)."""
    from django.core.management import call_command

    from bench.web import session_cookie_for
    from partnerships.models import Forum, Membership, User
    from talking_points import services
    from talking_points.models import Session

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    # A throwaway database on loopback: the demo people's public password harms nothing.
    call_command("load_demo", allow_production=True, verbosity=0, stdout=io.StringIO())
    forum = Forum.objects.select_related("place").get(slug=FORUM)
    person = User.objects.get(email=PERSON)
    facilitator = User.objects.get(email=FACILITATOR)
    session = Session.objects.filter(forum=forum).order_by("-starts_at").first()
    assert session is not None, "the demo data has no upcoming session"
    if not session.is_live:
        services.session_open(session=session, by=facilitator, present=[person])
        session.refresh_from_db()
    item = session.agenda_items.order_by("position").first()
    assert item is not None
    membership = Membership.objects.filter(user=person, organisation__places=forum.place).first()
    assert membership is not None
    from django.middleware.csrf import _get_new_csrf_string

    csrf = _get_new_csrf_string()
    cookie = f"{session_cookie_for(PERSON)}; {settings.CSRF_COOKIE_NAME}={csrf}"
    return Credentials(
        cookie=cookie,
        csrf=csrf,
        place=forum.place.slug,
        organisation=membership.organisation_id,
        session=session.pk,
        agenda_item=getattr(session, "current_item_id", None) or item.pk,
    )


# --- Writes: what the load generator believes it wrote, against what the database holds ---


def writes_found(believed: list[tuple[str, str]]) -> set[str]:
    from talking_points.models import Contribution, LearningEntry

    fresh_connection()
    entries = [f"Drill entry {token}" for kind, token in believed if kind == "entry"]
    said = [f"Drill contribution {token}" for kind, token in believed if kind == "contribution"]
    found = {
        title.removeprefix("Drill entry ")
        for title in LearningEntry.objects.filter(title__in=entries).values_list("title", flat=True)
    }
    found |= {
        text.removeprefix("Drill contribution ")
        for text in Contribution.objects.filter(text__in=said).values_list("text", flat=True)
    }
    return found


def duplicate_writes(label: str) -> int:
    """Writes stored twice for one request (a retried POST)."""
    from talking_points.models import Contribution, LearningEntry

    fresh_connection()
    titles = Counter(
        LearningEntry.objects.filter(title__startswith=f"Drill entry {label}-").values_list(
            "title", flat=True
        )
    )
    texts = Counter(
        Contribution.objects.filter(text__startswith=f"Drill contribution {label}-").values_list(
            "text", flat=True
        )
    )
    return sum(n - 1 for n in (titles + texts).values() if n > 1)


# --- Email: a batch of due reminders, and how each ended ----------------------------------


def email_batch(name: str, size: int) -> set[str]:
    """A forum of ``size`` new members whose reminder is due now (it meets tomorrow at
    10:00 and reminds from midnight the day before): the next dispatcher run, from Celery
    beat, creates the rows and queues the sends. Returns the recipients."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from partnerships.models import Forum, ForumMembership, Place, User

    fresh_connection()
    place = Place.objects.get(forums__slug=FORUM)
    tomorrow = timezone.now().astimezone(place.tz).date() + datetime.timedelta(days=1)
    forum = Forum.objects.create(
        place=place,
        name=f"Drill forum {name}",
        slug=f"drill-{name}",
        purpose="The fault drill's reminders.",
        weekday=tomorrow.weekday(),
        start_time=datetime.time(10, 0),
        reminder_days_before=1,
        reminder_hour=0,
        venue="Drill hall",
    )
    password = make_password(None)
    people = User.objects.bulk_create(
        [
            User(email=f"drill-{name}-{i}@example.org", full_name=f"Drill {i}", password=password)
            for i in range(size)
        ]
    )
    ForumMembership.objects.bulk_create([ForumMembership(forum=forum, user=p) for p in people])
    return {p.email for p in people}


@dataclass
class EmailOutcome:
    statuses: Counter[str]
    stuck: int  # "sending" for longer than the sending timeout

    @property
    def unfinished(self) -> int:
        return self.statuses["pending"] + self.statuses["sending"] + self.statuses["none"]

    def describe(self) -> str:
        return ", ".join(f"{n} {s}" for s, n in sorted(self.statuses.items()) if n)


def email_outcome(recipients: set[str]) -> EmailOutcome:
    """How each recipient's email stands: the status of its row ("none" while the
    dispatcher has not made it yet)."""
    from django.utils import timezone

    from reminders.models import Delivery, DeliveryStatus

    fresh_connection()
    rows = list(
        Delivery.objects.filter(recipient__email__in=recipients).values_list(
            "recipient__email", "status", "claimed_at"
        )
    )
    statuses = Counter(status for _, status, _ in rows)
    statuses["none"] = len(recipients - {email for email, _, _ in rows})
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.REMINDERS_SENDING_TIMEOUT)
    stuck = len(
        [
            email
            for email, status, claimed in rows
            if status == DeliveryStatus.SENDING and claimed is not None and claimed < cutoff
        ]
    )
    return EmailOutcome(statuses=statuses, stuck=stuck)


def sent_to(recipients: set[str]) -> set[str]:
    from reminders.models import Delivery

    fresh_connection()
    return set(
        Delivery.objects.filter(recipient__email__in=recipients, status="sent").values_list(
            "recipient__email", flat=True
        )
    )


# --- Exports ---------------------------------------------------------------------------


def latest_export() -> Any:
    from privacy.models import DataExport

    fresh_connection()
    return DataExport.objects.filter(user__email=PERSON).order_by("-requested_at", "-pk").first()


def allow_more_exports() -> None:
    """The drill asks for several copies; a person may ask for three a day."""
    from privacy.models import DataExport

    fresh_connection()
    old = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    DataExport.objects.filter(user__email=PERSON).exclude(status__in=["pending", "running"]).update(
        requested_at=old
    )


# --- Plain HTTP as the signed-in person ---------------------------------------------------


class Browser:
    """One signed-in person's requests, for probes the drill times (not the load)."""

    def __init__(self, port: int, credentials: Credentials) -> None:
        self.port = port
        self.credentials = credentials
        self.probes = 0

    def request(self, method: str, path: str, fields: dict[str, str] | None = None) -> Any:
        c = self.credentials
        headers = {"Cookie": c.cookie, "X-CSRFToken": c.csrf}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": c.csrf})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            client.request(method, path, body=body, headers=headers)
            response = client.getresponse()
            return response.status, response.getheader("Location") or "", response.read()
        except OSError:
            return 0, "", b""
        finally:
            client.close()

    def works(self, label: str) -> tuple[bool, str | None]:
        """A signed-in page answers and a write is taken. Returns (ok, token written)."""
        c = self.credentials
        status, _, _ = self.request("GET", "/me/")
        if status != 200:
            return False, None
        self.probes += 1
        token = f"{label}-probe-{self.probes}"
        status, location, _ = self.request(
            "POST",
            f"/places/{c.place}/learning/new/",
            {
                "organisation": str(c.organisation),
                "kind": "reflection",
                "visibility": "place",
                "title": f"Drill entry {token}",
                "body": "A probe written while the drill waited for the app to recover.",
            },
        )
        ok = status == 302 and "/accounts/login" not in location
        return ok, token if ok else None
