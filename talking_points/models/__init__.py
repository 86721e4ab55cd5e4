"""What is said and learned. Split by feature: talking points, sessions, learning."""

from .learning import LearningEntry, LearningEntryQuerySet, LearningKind, Visibility
from .sessions import Decision, Session, SessionStatus
from .talking_points import TalkingPoint
from .wellbeing import WellbeingCheckIn, WellbeingCheckInMark

__all__ = [
    "Decision",
    "LearningEntry",
    "LearningEntryQuerySet",
    "LearningKind",
    "Session",
    "SessionStatus",
    "TalkingPoint",
    "Visibility",
    "WellbeingCheckIn",
    "WellbeingCheckInMark",
]
