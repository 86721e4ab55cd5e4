"""What is said and learned. Split by feature: talking points, sessions, learning."""

from .learning import LearningEntry, LearningEntryQuerySet, LearningKind, Visibility
from .sessions import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    Contribution,
    Decision,
    Session,
    SessionStatus,
    SummaryVisibility,
)
from .talking_points import TalkingPoint, TalkingPointRetirement

__all__ = [
    "Action",
    "ActionStatus",
    "AgendaItem",
    "AgendaItemStatus",
    "Attendance",
    "Contribution",
    "Decision",
    "LearningEntry",
    "LearningEntryQuerySet",
    "LearningKind",
    "Session",
    "SessionStatus",
    "SummaryVisibility",
    "TalkingPoint",
    "TalkingPointRetirement",
    "Visibility",
]
