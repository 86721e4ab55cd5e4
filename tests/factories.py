"""factory_boy factories for the models tests need."""

from __future__ import annotations

import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from partnerships.models import (
    CommissionerProfile,
    Forum,
    ForumMembership,
    Membership,
    Organisation,
    Place,
    Specialism,
    User,
)
from talking_points.models import (
    Action,
    AgendaItem,
    Decision,
    LearningEntry,
    Session,
    TalkingPoint,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Place {n}")
    slug = factory.Sequence(lambda n: f"place-{n}")
    county = "Somewhere"
    engagement_level = "medium"
    current_practice = "Conversations are happening."


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    sector = "vcs"
    distinctive_contribution = "We listen first."

    @factory.post_generation
    def places(self, create: bool, extracted: list[Place] | None, **kwargs: object) -> None:
        if create and extracted:
            self.places.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "staff"


class SpecialismFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialism

    name = factory.Sequence(lambda n: f"Specialism {n}")
    slug = factory.Sequence(lambda n: f"specialism-{n}")


class CommissionerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommissionerProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory, sector="statutory")
    job_title = "Commissioner"
    public_email = factory.LazyAttribute(lambda o: o.user.email)
    public_phone = "01234 567 890"
    availability = "Weekdays"

    @factory.post_generation
    def places(self, create: bool, extracted: list[Place] | None, **kwargs: object) -> None:
        if create and extracted:
            self.places.set(extracted)


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    place = factory.SubFactory(PlaceFactory)
    name = factory.Sequence(lambda n: f"Forum {n}")
    slug = factory.Sequence(lambda n: f"forum-{n}")
    purpose = "To talk, learn and decide together."
    weekday = 1
    start_time = datetime.time(10, 0)
    venue = "Community hall"
    access = "open"


class ForumMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumMembership

    forum = factory.SubFactory(ForumFactory)
    user = factory.SubFactory(UserFactory)
    role = "participant"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    forum = factory.SubFactory(ForumFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    session = factory.SubFactory(SessionFactory)
    text = "We will meet at the library from now on."


class LearningEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningEntry

    place = factory.SubFactory(PlaceFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    author = None
    kind = "breakthrough"
    title = factory.Sequence(lambda n: f"What we learned, number {n}")
    body = "We tried something and it worked."
    visibility = "organisation"


# --- Forum sessions -----------------------------------------------------------------


def report_point(number: str) -> TalkingPoint:
    """One of the report's talking points (shipped by a data migration, restored here if a
    transactional test flushed the database)."""
    from talking_points.report import ensure_report_talking_points

    ensure_report_talking_points()
    return TalkingPoint.objects.get(forum__isnull=True, number=number)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    session = factory.SubFactory(SessionFactory)
    talking_point = factory.LazyFunction(lambda: report_point("1"))
    position = factory.Sequence(lambda n: n + 1)
    time_box_minutes = 20


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    session = factory.SubFactory(SessionFactory)
    text = "Write to the board."
    owner_name = "Someone"


# --- Learning logs ------------------------------------------------------------------
from talking_points.models import Review, StoryConsent, Tag  # noqa: E402


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"tag {n}")
    slug = factory.LazyAttribute(lambda o: o.name.replace(" ", "-"))


class StoryConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoryConsent

    entry = factory.SubFactory(LearningEntryFactory, kind="story")
    given_by = "R. (pseudonym)"
    method = "written"
    given_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    obtained_by = "A caseworker"
    widest_visibility = "public"


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    entry = factory.SubFactory(LearningEntryFactory)
    author = factory.SubFactory(UserFactory)
    kind = "acknowledge"
    text = "Thank you for sharing this."
    notified_at = factory.LazyFunction(timezone.now)


# --- The place picture ----------------------------------------------------------------

from partnerships.models import (  # noqa: E402
    Champion,
    Commission,
    GlossaryTerm,
    PropositionRating,
    Relationship,
)


class CommissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commission
        skip_postgeneration_save = True

    place = factory.SubFactory(PlaceFactory)
    commissioner = factory.SubFactory(CommissionerProfileFactory)
    title = factory.Sequence(lambda n: f"Commission {n}")
    why = "Because people asked for it."
    budget = 10000
    starts_on = datetime.date(2025, 4, 1)
    ends_on = datetime.date(2027, 3, 31)

    @factory.post_generation
    def providers(self, create: bool, extracted: list[Organisation] | None, **kw: object) -> None:
        if create and extracted:
            self.providers.set(extracted)

    @factory.post_generation
    def specialisms(self, create: bool, extracted: list[Specialism] | None, **kw: object) -> None:
        if create and extracted:
            self.specialisms.set(extracted)


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    place = factory.SubFactory(PlaceFactory)
    source = factory.SubFactory(OrganisationFactory)
    target = factory.SubFactory(OrganisationFactory)
    kind = "funds"


class GlossaryTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GlossaryTerm

    place = factory.SubFactory(PlaceFactory)
    term = factory.Sequence(lambda n: f"term{n}")
    meaning = "What it means."


class ChampionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Champion

    place = factory.SubFactory(PlaceFactory)
    user = factory.SubFactory(UserFactory)
    can_help_with = "Starting out."


class PropositionRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PropositionRating

    place = factory.SubFactory(PlaceFactory)
    user = factory.SubFactory(UserFactory)
    proposition = "A1"
    quarter = datetime.date(2026, 1, 1)
    score = 3


def give_mfa(user: User) -> str:
    """Turn on TOTP two-step sign-in for ``user`` (as if they had set it up); returns the
    secret so a test can compute codes. Commissioners and staff need this to get past
    hls_forum.middleware.MFARequiredMiddleware."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret
