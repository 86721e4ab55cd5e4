"""Who and where: people, places, organisations, commissioners and forums.

Each feature has its own module; Django finds the models, and callers find every name,
through the imports below.
"""

from partnerships.models.commissioners import (
    Commission,
    CommissionerProfile,
    CommissionQuerySet,
    Flexibility,
    FundingKind,
    Specialism,
)
from partnerships.models.forums import (
    Forum,
    ForumAccess,
    ForumJoinRequest,
    ForumMembership,
    ForumQuerySet,
    ForumRole,
    RequestStatus,
    Weekday,
)
from partnerships.models.invitations import Invitation
from partnerships.models.organisations import (
    Membership,
    MembershipQuerySet,
    MembershipRole,
    Organisation,
    Sector,
    validate_org_id,
)
from partnerships.models.people import User, UserManager
from partnerships.models.place_picture import (
    Champion,
    GlossaryTerm,
    Relationship,
    RelationshipKind,
)
from partnerships.models.places import (
    EngagementLevel,
    Place,
    PlaceQuerySet,
    covered_place_ids,
    place_partnership_q,
    validate_time_zone,
)
from partnerships.models.propositions import (
    MIN_AGGREGATE,
    PROPOSITION_SECTIONS,
    Proposition,
    PropositionRating,
    add_quarters,
    quarter_start,
)

__all__ = [
    "MIN_AGGREGATE",
    "PROPOSITION_SECTIONS",
    "Champion",
    "Commission",
    "CommissionQuerySet",
    "CommissionerProfile",
    "EngagementLevel",
    "Flexibility",
    "Forum",
    "ForumAccess",
    "ForumJoinRequest",
    "ForumMembership",
    "ForumQuerySet",
    "ForumRole",
    "FundingKind",
    "GlossaryTerm",
    "Invitation",
    "Membership",
    "MembershipQuerySet",
    "MembershipRole",
    "Organisation",
    "Place",
    "PlaceQuerySet",
    "Proposition",
    "PropositionRating",
    "Relationship",
    "RelationshipKind",
    "RequestStatus",
    "Sector",
    "Specialism",
    "User",
    "UserManager",
    "Weekday",
    "add_quarters",
    "covered_place_ids",
    "place_partnership_q",
    "quarter_start",
    "validate_org_id",
    "validate_time_zone",
]
