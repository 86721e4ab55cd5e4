"""The generator: every table in load order, and the people the benchmark signs in as."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.text import slugify

from bench.national_data.counts import PASSWORD
from bench.national_data.deliveries import Deliveries
from bench.national_data.loader import Table, fields
from bench.national_data.wording import SPECIALISMS


class NationalData(Deliveries):
    """Plans and streams every table. Call ``tables()`` once, in order."""

    def tables(self) -> Iterator[Table]:
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator

        from partnerships import models as p
        from reminders.models import Delivery, DigestPreference
        from talking_points import models as t

        self._plan_people_and_places()
        c = self.counts
        yield Table(
            p.Place,
            ("id", "name", "slug", "county", "engagement_level", "current_practice", "time_zone"),
            self._places,
            c["places"],
        )
        yield Table(
            p.Organisation,
            ("id", "name", "slug", "sector", "distinctive_contribution", "local_assets", "website"),
            self._organisations,
            c["organisations"],
        )
        yield Table(
            p.Organisation.places.through,
            ("id", "organisation_id", "place_id"),
            self._organisation_places,
            sum(map(len, self.org_places)),
        )
        yield Table(
            p.User,
            fields(
                "id password last_login is_superuser email full_name is_staff is_active date_joined"
            ),
            self._users,
            c["people"],
        )
        yield Table(
            EmailAddress,
            ("id", "user_id", "email", "verified", "primary"),
            self._email_addresses,
            c["people"],
        )
        yield Table(
            Authenticator,
            ("id", "user_id", "type", "data", "created_at", "last_used_at"),
            self._authenticators,
            len(self.commissioner_users) + 1,
        )
        yield Table(
            p.Membership,
            ("id", "user_id", "organisation_id", "role", "is_admin", "joined_at"),
            self._memberships,
            len(self.memberships),
        )
        yield Table(p.Specialism, ("id", "name", "slug"), self._specialisms, len(SPECIALISMS))
        yield Table(
            p.CommissionerProfile,
            fields(
                "id user_id organisation_id job_title public_email public_phone availability about"
            ),
            self._commissioners,
            len(self.commissioner_users),
        )
        yield Table(
            p.CommissionerProfile.places.through,
            ("id", "commissionerprofile_id", "place_id"),
            self._commissioner_places,
            len(self.commissioner_users),
        )
        yield Table(
            p.CommissionerProfile.specialisms.through,
            ("id", "commissionerprofile_id", "specialism_id"),
            self._commissioner_specialisms,
            2 * len(self.commissioner_users),
        )
        yield Table(
            p.Forum,
            fields(
                "id place_id name slug purpose weekday start_time "
                "duration_minutes venue online_link access "
                "reminder_days_before reminder_hour created_at"
            ),
            self._forums,
            len(self.forums),
        )
        yield Table(
            p.ForumMembership,
            ("id", "forum_id", "user_id", "role", "reminders_enabled", "joined_at"),
            self._forum_memberships,
            len(self.forum_membership_rows),
        )
        yield Table(
            p.Champion,
            ("id", "place_id", "user_id", "can_help_with", "created_at"),
            self._champions,
            2 * c["places"],
        )
        yield Table(
            p.Commission,
            fields(
                "id place_id commissioner_id title why budget starts_on "
                "ends_on outcomes_agreed designed_with_people_using_services "
                "designed_with_vcs design_participants is_public created_at "
                "updated_at"
            ),
            self._commissions,
            len(self.commissioner_users),
        )
        yield Table(
            p.Commission.providers.through,
            ("id", "commission_id", "organisation_id"),
            lambda: iter(self.commission_providers),
            len(self.commissioner_users) * 2,
        )

        yield Table(t.Tag, ("id", "name", "slug"), self._tags, 300)
        yield Table(
            t.LearningEntry,
            fields(
                "id place_id organisation_id author_id kind title body tried "
                "happened learned next_steps experiment_status review_date "
                "visibility created_at updated_at"
            ),
            self._learning_entries,
            c["learning_entries"],
        )
        yield Table(
            t.LearningEntry.tags.through,
            ("id", "learningentry_id", "tag_id"),
            self._entry_tags,
            round(c["learning_entries"] * 1.45),
        )
        yield Table(
            t.StoryConsent,
            fields(
                "id entry_id given_by method given_on obtained_by "
                "widest_visibility recorded_by_id recorded_at withdrawn_at "
                "withdrawn_recorded_by_id"
            ),
            self._story_consents,
            len(self.consents),
        )
        yield Table(
            t.VisibilityChange,
            fields("id entry_id changed_by_id changed_at from_visibility to_visibility reason"),
            self._visibility_changes,
            len(self.visibility_changes),
        )
        yield Table(
            t.Review,
            fields("id entry_id in_reply_to_id author_id kind text created_at notified_at"),
            self._reviews,
            round(len(self.reviewed) * 1.25),
        )
        yield Table(
            t.ReviewRead,
            ("id", "entry_id", "user_id", "read_at"),
            self._review_reads,
            len(self.reviewed),
        )

        self._plan_sessions()
        yield Table(
            t.Session,
            fields(
                "id forum_id starts_at status venue online_link created_at "
                "created_by_id opened_at closed_at current_item_id version "
                "round_robin round_robin_turn_id summary_visibility "
                "summary_published_at"
            ),
            lambda: iter(self.sessions),
            len(self.sessions),
        )
        yield Table(
            t.AgendaItem,
            fields(
                "id session_id talking_point_id position time_box_minutes "
                "status started_at ended_at carried_from_id"
            ),
            lambda: iter(self.agenda),
            len(self.agenda),
        )
        yield Table(
            t.Attendance,
            fields(
                "id session_id user_id name organisation_id organisation_name "
                "sector joined_at late summary_sent_at"
            ),
            lambda: iter(self.attendance),
            len(self.attendance),
        )
        yield Table(
            t.Contribution,
            fields(
                "id session_id agenda_item_id text is_anonymous author_id "
                "author_name organisation_id organisation_name sector "
                "created_at hidden_at hidden_reason hidden_by_id"
            ),
            self._contributions,
            c["contributions"],
        )
        yield Table(
            t.Decision,
            ("id", "session_id", "agenda_item_id", "text", "why", "created_by_id", "created_at"),
            self._decisions,
            round(len(self.held) * 1.4),
        )
        yield Table(
            t.Decision.at_the_table.through,
            ("id", "decision_id", "attendance_id"),
            lambda: ((i, d, a) for i, (d, a) in enumerate(self.decision_table, start=1)),
            len(self.decision_table),
        )
        yield Table(
            t.Decision.rests_on.through,
            ("id", "decision_id", "learningentry_id"),
            lambda: ((i, d, e) for i, (d, e) in enumerate(self.decision_entries, start=1)),
            len(self.decision_entries),
        )
        yield Table(
            t.Action,
            fields(
                "id session_id decision_id text owner_id owner_name due_on "
                "status created_by_id created_at done_at done_by_id"
            ),
            lambda: iter(self.actions),
            len(self.actions),
        )

        yield Table(
            Delivery,
            fields(
                "id kind forum_id recipient_id occasion_date occasion_at "
                "status attempts detail created_at queued_at claimed_at "
                "sent_at"
            ),
            self._deliveries,
            c["deliveries"],
        )
        yield Table(
            DigestPreference,
            ("id", "user_id", "frequency", "weekday", "updated_at"),
            self._digest_preferences,
            min(c["people"], c["deliveries"] // 5),
        )
        self._choose_personas()

    # -- who the benchmark signs in as -------------------------------------------------

    def _choose_personas(self) -> None:
        """Known people in the biggest place with a live session: the benchmark's personas."""
        live_forums = {fid for _sid, fid in self.live_sessions}
        forum_place = {fid: pid for fid, pid, _n in self.forums}
        place = min(
            (forum_place[f] for f in live_forums),
            default=1,
        )
        forum = min((f for f in live_forums if forum_place[f] == place), default=self.forums[0][0])
        session = next((sid for sid, fid in self.live_sessions if fid == forum), None)
        facilitator = self.facilitators[forum][0]
        participants = [
            u
            for u in self.forum_members[forum]
            if u not in self.facilitators[forum] and u not in self.commissioner_places
        ]
        orgs = self.orgs_by_place[place]
        member = next(
            (
                u
                for o in orgs
                for u in self.org_members[o]
                if self.user_role[u] == "staff"
                and u not in self.commissioner_places
                and u != self.staff_user
            ),
            facilitator,
        )
        lead = orgs[0]  # user n leads organisation n
        commissioner = (
            self.commissioners_by_place[place][0]
            if self.commissioners_by_place[place]
            else self.commissioner_users[0]
        )
        outsider_place = self.place_ids[-1]
        outsider = next(
            (
                u
                for o in self.orgs_by_place[outsider_place]
                for u in self.org_members[o]
                if place not in self.org_places[self.user_org[u]]
                and u not in self.commissioner_places
            ),
            member,
        )
        people = {
            "member": member,
            "lead": lead,
            "facilitator": facilitator,
            "participant": participants[0] if participants else facilitator,
            "commissioner": commissioner,
            "staff": self.staff_user,
            "outsider": outsider,
        }
        self.personas = {name: self.user_email[user] for name, user in people.items()}
        forum_slug = next(f"{slugify(n)}-{fid}" for fid, _p, n in self.forums if fid == forum)
        self.targets = {
            "place_slug": self.place_slugs[place - 1],
            "forum_slug": forum_slug,
            "live_session": session,
            "organisation_slug": f"{slugify(self.org_name[orgs[0]])}-{orgs[0]}",
            "search_words": "loneliness volunteers",
            "filter_kind": "experiment",
            "password": PASSWORD,
        }
