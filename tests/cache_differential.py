"""The world, the writes and the reads of the differential cache test
(tests/test_cache_differential.py).

A scenario: the conftest personas' place with a live forum session, two people asking to join
the forum, and learning at every visibility (a story of change with consent among it). Writes
are small frozen dataclasses, so a failing sequence prints as plain steps; each makes one
change as the app or its admins make it: through a service, through a model's ``save()`` as
the admin does, or through ``QuerySet.update()``/``delete()`` as data fixes and bulk jobs do.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import strategies as st

from partnerships import services as partnership_services
from partnerships.models import ForumJoinRequest, Membership, Organisation, RequestStatus, User
from talking_points import services
from talking_points.models import LearningEntry, Session, SessionStatus
from tests import factories
from tests.conftest import PERSONAS, World, client_for, empty_the_cache
from tests.page_comparison import caches_off, comparable, difference

# Every entry of the scenario mentions it, so search finds them.
SEARCH_WORD = "tenants"

PAGES = (
    "learning log",
    "search",
    "review queue",
    "place picture",
    "forum",
    "live session",
    "entry",
)

VISIBILITIES = ("organisation", "commissioners", "place", "public")

# Writes the app refuses (a consent that does not allow the sharing, a request already
# answered, the last lead): nothing changes, and the pages must still agree.
REFUSED = (
    PermissionDenied,
    ValidationError,
    services.SessionError,
    partnership_services.ForumError,
    partnership_services.MembershipError,
)


# --- The scenario ---------------------------------------------------------------------


class Scenario:
    """The conftest world, with a live session, people asking to join the forum and
    learning at every visibility; one signed-in client per persona."""

    def __init__(
        self,
        *,
        world: World,
        session: Session,
        story: LearningEntry,
        entry_ids: list[int],
        editors: dict[int, User],
        askers: dict[str, User],
    ) -> None:
        self.world = world
        self.session = session
        self.story = story
        self.entry_ids = entry_ids
        self.editors = editors  # a lead of each organisation, never removed by a step
        self.askers = askers
        self.clients = {persona: client_for(world.user(persona)) for persona in PERSONAS}

    def organisation(self, name: str) -> Organisation:
        return self.world.org_a if name == "A" else self.world.org_b

    def __repr__(self) -> str:  # Hypothesis prints it with every failing example
        return "scenario"


@pytest.fixture
def scenario(world: World) -> Scenario:
    editors = {
        org.pk: factories.MembershipFactory(organisation=org, role="lead", is_admin=True).user
        for org in (world.org_a, world.org_b)
    }
    # member_a takes part in the forum and sits at the live session's table; member_b has
    # asked to join it, as has someone with no other part in the scenario.
    factories.ForumMembershipFactory(forum=world.forum, user=world.member_a)
    outsider = factories.UserFactory(email="asking@example.org", full_name="Asha Asking")
    askers = {"member_b": world.member_b, "outsider": outsider}
    for asker in askers.values():
        partnership_services.forum_join_request_create(
            forum=world.forum, user=asker, message="May I join?"
        )

    def entry(org: Organisation, kind: str, visibility: str, title: str) -> Any:
        return factories.LearningEntryFactory(
            place=world.place,
            organisation=org,
            author=editors[org.pk],
            kind=kind,
            visibility=visibility,
            title=title,
            body=f"What {SEARCH_WORD} told us, and what we did next.",
        )

    entries = [
        entry(world.org_a, "breakthrough", "organisation", "Evening drop-ins for tenants"),
        entry(world.org_a, "disappointment", "commissioners", "Few tenants came in August"),
        entry(world.org_b, "breakthrough", "place", "Tenants run the food bank rota"),
        entry(world.org_b, "reflection", "public", "What tenants taught us about trust"),
        entry(world.org_a, "story", "place", "Maya's story: a home again"),
    ]
    story = entries[-1]
    factories.StoryConsentFactory(entry=story, widest_visibility="public")

    # A closed session whose summary the place's partnership may read, and a live one.
    closed = factories.SessionFactory(
        forum=world.forum,
        status=SessionStatus.CLOSED,
        starts_at=timezone.now() - datetime.timedelta(days=7),
        summary_visibility="place",
    )
    factories.DecisionFactory(session=closed, text="Meet at the library from now on.")
    session = services.session_plan(
        forum=world.forum,
        by=world.facilitator,
        starts_at=timezone.now(),
        venue="Community hall",
        talking_points=[factories.report_point(n) for n in ("6", "4", "16")],
        time_box_minutes=15,
    )
    services.session_open(session=session, by=world.facilitator, present=[world.member_a])
    services.decision_record(
        session=session,
        by=world.facilitator,
        text="Ask the tenants' panel before the next meeting.",
        rests_on=[entries[2], entries[3]],
    )
    session.refresh_from_db()
    return Scenario(
        world=world,
        session=session,
        story=story,
        entry_ids=[e.pk for e in entries],
        editors=editors,
        askers=askers,
    )


@dataclass
class State:
    """What one example has changed: the entries it wrote, names it gave."""

    entry_ids: list[int]
    renamed: int = 0
    written: int = 0
    history: list[str] = field(default_factory=list)

    def entry(self, index: int) -> LearningEntry:
        return LearningEntry.objects.get(pk=self.entry_ids[index % len(self.entry_ids)])


def page_url(scenario: Scenario, state: State, page: str, entry: int = 0) -> str:
    place = scenario.world.place
    if page == "learning log":
        return reverse("talking_points:learning_log", kwargs={"slug": place.slug})
    if page == "search":
        return f"{reverse('talking_points:learning_search')}?q={SEARCH_WORD}"
    if page == "review queue":
        return reverse("talking_points:review_queue")
    if page == "place picture":
        return reverse("talking_points:place_picture", kwargs={"slug": place.slug})
    if page == "forum":
        return reverse("talking_points:forum_detail", kwargs={"slug": scenario.world.forum.slug})
    if page == "live session":
        return reverse("talking_points:session_detail", kwargs={"pk": scenario.session.pk})
    if page == "entry":
        pk = state.entry_ids[entry % len(state.entry_ids)]
        return reverse("talking_points:entry_detail", kwargs={"pk": pk})
    raise ValueError(page)


# --- Writes ---------------------------------------------------------------------------
# Each is a small frozen dataclass, so a failing sequence prints as plain steps.


def editor_of(scenario: Scenario, entry: LearningEntry) -> User:
    return scenario.editors[entry.organisation_id]


@dataclass(frozen=True)
class NewEntry:
    organisation: str
    kind: str
    visibility: str

    def apply(self, scenario: Scenario, state: State) -> None:
        org = scenario.organisation(self.organisation)
        state.written += 1
        entry = services.entry_create(
            author=scenario.editors[org.pk],
            place=scenario.world.place,
            organisation=org,
            fields={
                "kind": self.kind,
                "title": f"New learning {state.written} with {SEARCH_WORD}",
                "body": f"Written with {SEARCH_WORD} in the room.",
            },
            visibility=self.visibility,
            tag_names=["housing"],
        )
        state.entry_ids.append(entry.pk)


@dataclass(frozen=True)
class EditEntry:
    entry: int
    via: str  # service, save (as the admin), update

    def apply(self, scenario: Scenario, state: State) -> None:
        entry = state.entry(self.entry)
        state.written += 1
        title = f"Edited learning {state.written} with {SEARCH_WORD}"
        if self.via == "service":
            services.entry_update(
                entry=entry,
                by=editor_of(scenario, entry),
                fields={"title": title},
                visibility=entry.visibility,
                tag_names=list(entry.tags.values_list("name", flat=True)),
            )
        elif self.via == "save":
            entry.title = title
            entry.save()
        else:
            LearningEntry.objects.filter(pk=entry.pk).update(title=title)


@dataclass(frozen=True)
class ChangeVisibility:
    entry: int
    visibility: str
    via: str  # service, save (as the admin), update

    def apply(self, scenario: Scenario, state: State) -> None:
        entry = state.entry(self.entry)
        if self.via == "service":
            services.entry_share(
                entry=entry, by=editor_of(scenario, entry), visibility=self.visibility
            )
        elif self.via == "save":
            entry.visibility = self.visibility
            entry.save()
        else:
            LearningEntry.objects.filter(pk=entry.pk).update(visibility=self.visibility)


@dataclass(frozen=True)
class WithdrawConsent:
    def apply(self, scenario: Scenario, state: State) -> None:
        story = LearningEntry.objects.get(pk=scenario.story.pk)
        services.story_consent_withdraw(entry=story, by=editor_of(scenario, story))


@dataclass(frozen=True)
class RemoveFromOrganisation:
    persona: str  # member_a, lead_a, member_b
    via: str  # service, delete (as the admin)

    def apply(self, scenario: Scenario, state: State) -> None:
        user = scenario.world.user(self.persona)
        membership = Membership.objects.filter(user=user).first()
        if membership is None:
            return
        if self.via == "service":
            partnership_services.membership_remove(
                membership=membership, removed_by=scenario.editors[membership.organisation_id]
            )
        else:
            Membership.objects.filter(pk=membership.pk).delete()


@dataclass(frozen=True)
class AnswerJoinRequest:
    asker: str  # member_b, outsider
    accept: bool

    def apply(self, scenario: Scenario, state: State) -> None:
        join_request = ForumJoinRequest.objects.filter(
            user=scenario.askers[self.asker], status=RequestStatus.PENDING
        ).first()
        if join_request is None:
            return
        partnership_services.forum_join_request_decide(
            join_request=join_request, decided_by=scenario.world.facilitator, accept=self.accept
        )


@dataclass(frozen=True)
class Rename:
    what: str  # forum, place, organisation A, organisation B
    via: str  # save (as the admin), update

    def apply(self, scenario: Scenario, state: State) -> None:
        state.renamed += 1
        world = scenario.world
        row: Any = {
            "forum": world.forum,
            "place": world.place,
            "organisation A": world.org_a,
            "organisation B": world.org_b,
        }[self.what]
        name = f"{type(row).__name__} renamed {state.renamed}"
        if self.via == "save":
            row = type(row).objects.get(pk=row.pk)
            row.name = name
            row.save()
        else:
            type(row).objects.filter(pk=row.pk).update(name=name)


@dataclass(frozen=True)
class AdvanceSession:
    def apply(self, scenario: Scenario, state: State) -> None:
        session = Session.objects.get(pk=scenario.session.pk)
        services.agenda_advance(session=session, expected_item_id=session.current_item_id)


@dataclass(frozen=True)
class AddContribution:
    persona: str  # member_a, facilitator
    anonymous: bool

    def apply(self, scenario: Scenario, state: State) -> None:
        session = Session.objects.get(pk=scenario.session.pk)
        item = (
            session.current_item_id
            or (
                session.agenda_items.filter(status="done")
                .order_by("-position")
                .values_list("pk", flat=True)
            ).first()
        )
        state.written += 1
        services.contribution_add(
            session=session,
            agenda_item_id=item,
            user=scenario.world.user(self.persona),
            text=f"Voice {state.written}: ask the {SEARCH_WORD} first.",
            anonymous=self.anonymous,
        )


@dataclass(frozen=True)
class MarkRead:
    entry: int

    def apply(self, scenario: Scenario, state: State) -> None:
        services.review_mark_read(
            entry=state.entry(self.entry), user=scenario.world.commissioner, read=True
        )


def _via(*ways: str) -> st.SearchStrategy[str]:
    return st.sampled_from(ways)


entry_index = st.integers(min_value=0, max_value=9)

writes: st.SearchStrategy[Any] = st.one_of(
    st.builds(
        NewEntry,
        organisation=st.sampled_from(["A", "B"]),
        kind=st.sampled_from(["breakthrough", "disappointment", "reflection"]),
        visibility=st.sampled_from(VISIBILITIES),
    ),
    st.builds(EditEntry, entry=entry_index, via=_via("service", "save", "update")),
    st.builds(
        ChangeVisibility,
        entry=entry_index,
        visibility=st.sampled_from(VISIBILITIES),
        via=_via("service", "save", "update"),
    ),
    st.just(WithdrawConsent()),
    st.builds(
        RemoveFromOrganisation,
        persona=st.sampled_from(["member_a", "lead_a", "member_b"]),
        via=_via("service", "delete"),
    ),
    st.builds(
        AnswerJoinRequest, asker=st.sampled_from(["member_b", "outsider"]), accept=st.booleans()
    ),
    st.builds(
        Rename,
        what=st.sampled_from(["forum", "place", "organisation A", "organisation B"]),
        via=_via("save", "update"),
    ),
    st.just(AdvanceSession()),
    st.builds(
        AddContribution,
        persona=st.sampled_from(["member_a", "facilitator"]),
        anonymous=st.booleans(),
    ),
    st.builds(MarkRead, entry=entry_index),
)


@dataclass(frozen=True)
class Step:
    """One write, then one page read by every persona."""

    write: Any
    page: str
    entry: int = 0


steps = st.lists(
    st.builds(Step, write=writes, page=st.sampled_from(PAGES), entry=entry_index),
    min_size=1,
    max_size=10,
)


# --- Reading and comparing ------------------------------------------------------------


def write(change: Any, scenario: Scenario, state: State, capture: Callable[..., Any]) -> None:
    """Make the write as production would: its transaction commits, then its after-commit
    work (cache renewals included) runs. ``capture`` is pytest-django's
    ``django_capture_on_commit_callbacks``."""
    with capture(execute=True), contextlib.suppress(REFUSED):
        change.apply(scenario, state)


def read_everyone(scenario: Scenario, url: str) -> dict[str, str]:
    return {persona: comparable(scenario.clients[persona].get(url)) for persona in PERSONAS}


def assert_served_as_computed(scenario: Scenario, state: State, page: str, entry: int) -> None:
    url = page_url(scenario, state, page, entry)
    served = read_everyone(scenario, url)
    with caches_off():
        computed = read_everyone(scenario, url)
    for persona in PERSONAS:
        if served[persona] != computed[persona]:
            raise AssertionError(
                f"The {page} page ({url}) as {persona} was served from the cache unlike the "
                f"page computed from the database, after these writes:\n  "
                + "\n  ".join(state.history)
                + "\n"
                + difference(served[persona], computed[persona])
            )


def cached_pages() -> list[str]:
    """The pages read by everyone before the first write and after the last. (An entry's
    own page is read only by the steps: reading every entry's page as well would double the
    test's time.)"""
    return [page for page in PAGES if page != "entry"]


def run_sequence(
    scenario: Scenario,
    sequence: list[Step],
    capture: Callable[..., Any],
    *,
    then_every_page: bool = True,
) -> None:
    """Everyone reads every cached page (as on a busy site, the cache holds a copy of each);
    then each step's write, and its page read by everyone with caches on and off; then,
    with ``then_every_page``, every cached page read so by everyone.

    Starts from the scenario as built, with an empty cache, and leaves it so: the writes are
    rolled back, and nothing cached here is met by the next run."""
    empty_the_cache()
    with transaction.atomic():
        state = State(entry_ids=list(scenario.entry_ids))
        for page in cached_pages():
            read_everyone(scenario, page_url(scenario, state, page))
        for step in sequence:
            state.history.append(repr(step.write))
            write(step.write, scenario, state, capture)
            assert_served_as_computed(scenario, state, step.page, step.entry)
        if then_every_page:
            state.history.append("(then every page read by every persona)")
            for page in cached_pages():
                assert_served_as_computed(scenario, state, page, entry=0)
        transaction.set_rollback(True)
