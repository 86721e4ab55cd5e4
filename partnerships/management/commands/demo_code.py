"""Print the current two-step code of the demo commissioners and site staff (local use)."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa import app_settings as mfa_settings
from django.core.management.base import BaseCommand

from partnerships.demo_two_step import (
    DEMO_TOTP_SECRET,
    demo_people_needing_two_step,
    demo_totp_code,
)


class Command(BaseCommand):
    help = "Print the current two-step sign-in code for the demo commissioners and site staff."

    def handle(self, *args: Any, **options: Any) -> None:
        now = time.time()
        left = mfa_settings.TOTP_PERIOD - int(now) % mfa_settings.TOTP_PERIOD
        self.stdout.write(
            f"{demo_totp_code(now)}  (changes in {left} seconds; key {DEMO_TOTP_SECRET})"
        )
        people = [person.email for person in demo_people_needing_two_step()]
        if people:
            self.stdout.write("For: " + ", ".join(people))
        else:
            self.stdout.write("No demo commissioners or staff yet: run `manage.py load_demo`.")
