"""Load the demo places, organisations, people and forums. Running it twice changes nothing."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partnerships.demo import DEMO_PASSWORD, DEMO_PEOPLE
from partnerships.demo_two_step import sign_in_help

# Each feature adds its own loader here, in dependency order.
LOADERS = [
    "partnerships.demo",
    "talking_points.demo",
    "talking_points.demo_sessions",
    "partnerships.demo_picture",
    "talking_points.demo_wellbeing",
    "reminders.demo",
    "setup.demo",
    "stories.demo",
    "decisions.demo",
    "doors.demo",
    "threads.demo",
    "funding.demo",
    "guests.demo",
    "records.demo",
    "agenda.demo",
    # Last: two-step sign-in keys for every demo commissioner and staff person.
    "partnerships.demo_two_step",
]


class Command(BaseCommand):
    help = "Load demo data (three places, their partners, one person per role)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with DEBUG off (the demo password is public).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not settings.TESTING and not options["allow_production"]:
            raise CommandError(
                "Demo people have a public password. Run with DEBUG=1, or pass "
                "--allow-production if you really mean it."
            )
        with transaction.atomic():
            for loader in LOADERS:
                import_module(loader).load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for person in DEMO_PEOPLE:
            self.stdout.write(f"  {person.email:45} {person.role}")
        self.stdout.write(sign_in_help())
