"""What is said and learned. Split by feature: talking points, sessions, learning."""

from .learning import (
    ConsentMethod,
    ExperimentStatus,
    LearningEntry,
    LearningEntryQuerySet,
    LearningKind,
    LearningLink,
    LinkRelation,
    Review,
    ReviewKind,
    ReviewRead,
    StoryConsent,
    Tag,
    Visibility,
    VisibilityChange,
)
from .sessions import Decision, Session, SessionStatus
from .talking_points import TalkingPoint

__all__ = [
    "ConsentMethod",
    "Decision",
    "ExperimentStatus",
    "LearningEntry",
    "LearningEntryQuerySet",
    "LearningKind",
    "LearningLink",
    "LinkRelation",
    "Review",
    "ReviewKind",
    "ReviewRead",
    "Session",
    "SessionStatus",
    "StoryConsent",
    "Tag",
    "TalkingPoint",
    "Visibility",
    "VisibilityChange",
]
