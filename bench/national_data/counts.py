"""How many of each row a run makes, the constants every table shares, and how counts
are spread.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo
from collections.abc import Sequence

from django.core.management.base import CommandError

NATIONAL = {
    "places": 300,
    "organisations": 10_000,
    "people": 50_000,
    "commissioners": 1_000,
    "learning_entries": 1_000_000,
    "sessions": 20_000,
    "contributions": 500_000,
    "deliveries": 200_000,
}
# At tiny scales each count is at least this, so every kind of row still exists.
MINIMUM = {
    "places": 3,
    "organisations": 12,
    "people": 60,
    "commissioners": 3,
    "learning_entries": 400,
    "sessions": 16,
    "contributions": 200,
    "deliveries": 100,
}
# Public on purpose: generated people exist only on benchmark machines.
PASSWORD = "hls-national-2026"  # noqa: S105
EMAIL_DOMAIN = "national.hls-forum.localhost"
DEFAULT_ANCHOR = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
LONDON = zoneinfo.ZoneInfo("Europe/London")
BATCH_ROWS = 100_000


def plan(scale: float) -> dict[str, int]:
    """How many of each headline row a run at ``scale`` makes (exactly)."""
    if scale <= 0:
        raise CommandError("--scale must be more than 0.")
    return {name: max(MINIMUM[name], round(count * scale)) for name, count in NATIONAL.items()}


def cumulative(weights: Sequence[float]) -> list[float]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def split_unevenly(total: int, parts: int, rng: random.Random, low: float = 0.5) -> list[int]:
    """``total`` split into ``parts`` uneven whole numbers that add up exactly."""
    if parts == 0:
        return []
    weights = [low + rng.random() for _ in range(parts)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % parts] += 1
    return counts
