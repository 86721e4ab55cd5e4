"""The report's talking points (IVAR 2020, Appendix Three) as data the app can restore.

The data migration ships them; ``ensure_report_talking_points`` puts them back if a
database lost them (a test database flushed between transactional tests, or a demo
database wiped by hand). Idempotent.
"""

from __future__ import annotations

from importlib import import_module

from .models import TalkingPoint


def report_talking_points() -> list[dict[str, str | None]]:
    data = import_module("talking_points.migrations.0002_report_talking_points").TALKING_POINTS
    fixed = []
    for point in data:
        if point["number"] == "ab":  # 0002's typo for 7b, corrected by migration 0004
            point = {**point, "number": "7b", "parent": "7"}
        fixed.append(point)
    return fixed


def ensure_report_talking_points() -> None:
    points = report_talking_points()
    if TalkingPoint.objects.filter(forum__isnull=True).count() >= len(points):
        return
    by_number: dict[str, TalkingPoint] = {}
    for order, point in enumerate(points, start=1):
        number = str(point["number"])
        obj, _ = TalkingPoint.objects.update_or_create(
            number=number,
            forum=None,
            defaults={
                "text": point["text"],
                "sort_order": order,
                "parent": by_number.get(str(point["parent"])),
            },
        )
        by_number[number] = obj
