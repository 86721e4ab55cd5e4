"""Reads for the place picture: aggregates, charts and the system map's data.

Every aggregate here covers at least ``MIN_AGGREGATE`` people, or it is not returned at
all. Aggregates that are still filling up (the current quarter's ratings, a session not yet
closed) are not shown either: watching a number change as one more person answers would
reveal that person's answer.
"""

from partnerships.models import quarter_start
from talking_points.picture.charts import (
    Bar,
    BarChart,
    LineChart,
    Point,
    bar_chart,
    line_chart,
)
from talking_points.picture.decisions import open_actions, recent_decisions
from talking_points.picture.propositions import (
    PropositionSummary,
    QuarterResult,
    own_ratings,
    proposition_summaries,
    quarter_label,
    quarter_short,
)
from talking_points.picture.register import register_summary
from talking_points.picture.system_map import KIND_DASHES, SECTOR_COLOURS, SystemMap, system_map
from talking_points.picture.wellbeing import (
    SessionWellbeing,
    WellbeingTrend,
    wellbeing_trend,
    wellbeing_trends,
)

__all__ = [
    "KIND_DASHES",
    "SECTOR_COLOURS",
    "Bar",
    "BarChart",
    "LineChart",
    "Point",
    "PropositionSummary",
    "QuarterResult",
    "SessionWellbeing",
    "SystemMap",
    "WellbeingTrend",
    "bar_chart",
    "line_chart",
    "open_actions",
    "own_ratings",
    "proposition_summaries",
    "quarter_label",
    "quarter_short",
    "quarter_start",
    "recent_decisions",
    "register_summary",
    "system_map",
    "wellbeing_trend",
    "wellbeing_trends",
]
