"""A busy place for bench/web.py --busy: one new learning entry a second, written through
the same service the "new entry" form uses, until stopped (SIGTERM). Prints how many it
wrote when it stops.

    .venv/bin/python bench/busy.py --place <slug> --author <email> [--every 1.0]
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write_entries(place_slug: str, author_email: str, every: float) -> int:
    from bench.national_data import SUBJECTS, TOPICS
    from partnerships.models import Membership, Place, User
    from talking_points import services

    place = Place.objects.get(slug=place_slug)
    author = User.objects.get(email=author_email)
    organisation = (
        Membership.objects.filter(user=author, organisation__places=place)
        .select_related("organisation")
        .order_by("organisation_id")
        .first()
    )
    if organisation is None:
        raise SystemExit(f"{author_email} belongs to no organisation working in {place_slug}")

    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    written = 0
    next_at = time.monotonic()
    while not stopping:
        topic = TOPICS[written % len(TOPICS)]
        subject = SUBJECTS[written % len(SUBJECTS)]
        services.entry_create(
            author=author,
            place=place,
            organisation=organisation.organisation,
            fields={
                "kind": "reflection",
                "title": f"This week: {subject} and {topic}",
                "body": f"A note written while the place is busy: {subject}, {topic}.",
            },
            visibility="place",
            tag_names=[],
        )
        written += 1
        next_at += every
        time.sleep(max(0.0, next_at - time.monotonic()))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--place", required=True, help="the place's slug")
    parser.add_argument("--author", required=True, help="email of a member of an organisation")
    parser.add_argument("--every", type=float, default=1.0, help="seconds between writes")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hls_forum.settings")
    import django

    django.setup()
    print(write_entries(args.place, args.author, args.every), flush=True)


if __name__ == "__main__":
    main()
