"""Proof of anonymity: after an anonymous contribution, nothing in the database, the
admin, the export, the summary email or the logs links it to the person who wrote it."""

from __future__ import annotations

import datetime
import logging
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from talking_points import services
from talking_points.models import Contribution
from tests.conftest import client_for
from tests.talking_points.sessions_helpers import SessionWorld, live  # noqa: F401

SECRET = "I am scared to say this with my name on it."


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def anonymous(
    live: SessionWorld,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> tuple[SessionWorld, Contribution, dict[str, int], dict[str, int]]:
    """member_a adds an anonymous contribution through the web, with every logger at DEBUG."""
    client = client_for(live.member_a)
    client.get(live.session.get_absolute_url())  # warm up: sessions, caches
    caplog.set_level(logging.DEBUG)
    before = table_counts()
    response = client.post(
        reverse("talking_points:contribution_add", kwargs={"pk": live.session.pk}),
        {"agenda_item": live.first.pk, "text": SECRET, "anonymous": "on"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    after = table_counts()
    return live, Contribution.objects.get(text=SECRET), before, after


def identifiers(sw: SessionWorld) -> list[str]:
    """Every way the author could be named."""
    user = sw.member_a
    return [user.email, user.full_name, "Org A"]


def test_the_row_has_no_author_organisation_or_sector(anonymous: Any) -> None:
    sw, contribution, _before, _after = anonymous
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM talking_points_contribution WHERE id = %s", [contribution.pk])
        columns = [c[0] for c in cursor.description]  # DB-API: works on SQLite too
        row = dict(zip(columns, cursor.fetchone(), strict=True))
    created_at = row["created_at"]
    if isinstance(created_at, str):  # SQLite hands back text
        created_at = datetime.datetime.fromisoformat(created_at)

    assert row["is_anonymous"] in (True, 1)
    assert row["author_id"] is None
    assert row["organisation_id"] is None
    assert (row["author_name"], row["organisation_name"], row["sector"]) == ("", "", "")
    assert row["hidden_by_id"] is None
    assert created_at.second == 0 and created_at.microsecond == 0
    text_values = " ".join(str(v) for v in row.values())
    for name in identifiers(sw):
        assert name not in text_values


def test_no_other_table_gains_a_row(anonymous: Any) -> None:
    _sw, _contribution, before, after = anonymous
    changed = {t: (before[t], after[t]) for t in after if after[t] != before.get(t)}

    assert changed == {"talking_points_contribution": (0, 1)}


def test_the_database_refuses_an_anonymous_row_with_an_author(
    live: SessionWorld,  # noqa: F811
) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(
            session=live.session,
            agenda_item=live.first,
            text="x",
            is_anonymous=True,
            author=live.member_a,
        )


def test_no_log_line_names_the_author(anonymous: Any, caplog: pytest.LogCaptureFixture) -> None:
    sw, _contribution, _before, _after = anonymous
    lines = "\n".join(f"{r.name} {r.getMessage()} {r.__dict__}" for r in caplog.records)

    for name in identifiers(sw):
        assert name not in lines
    assert SECRET not in lines


def test_admin_pages_show_no_author(anonymous: Any) -> None:
    sw, contribution, _before, _after = anonymous
    # Staff reach the admin only with two-step sign-in: the world fixture has set it up.
    staff = client_for(sw.world.staff)

    change_list = staff.get(reverse("admin:talking_points_contribution_changelist"))
    change = staff.get(reverse("admin:talking_points_contribution_change", args=[contribution.pk]))

    assert change_list.status_code == 200
    assert change.status_code == 200
    assert SECRET in change.content.decode()
    for page in (change_list, change):
        html = page.content.decode()
        for name in identifiers(sw):
            assert name not in html
    for field in ("Author:", "Author name:", "Organisation name:", "Sector:"):
        assert field not in change.content.decode()
    # The same page for a named contribution does show who wrote it: the check above bites.
    named = services.contribution_add(
        session=sw.session,
        agenda_item_id=sw.first.pk,
        user=sw.member_b,
        text="Named",
        anonymous=False,
    )
    named_page = staff.get(reverse("admin:talking_points_contribution_change", args=[named.pk]))
    assert "Author name:" in named_page.content.decode()
    assert sw.member_b.full_name in named_page.content.decode()


def test_facilitator_sees_anonymous_and_cannot_unmask(anonymous: Any) -> None:
    sw, contribution, _before, _after = anonymous
    page = client_for(sw.facilitator).get(sw.session.get_absolute_url()).content.decode()
    start = page.index(f'id="contribution-{contribution.pk}"')
    item = page[start : page.index("</li>", start)]

    assert "Anonymous" in item
    for name in identifiers(sw):
        assert name not in item


def test_export_says_anonymous_and_nothing_else(anonymous: Any) -> None:
    sw, _contribution, _before, _after = anonymous
    response = client_for(sw.facilitator).get(
        reverse("talking_points:session_export", kwargs={"pk": sw.session.pk})
    )
    body = response.content.decode()
    row = next(line for line in body.splitlines() if SECRET in line)

    assert response.status_code == 200
    assert row.split(",")[1:4] == ["Anonymous", "", ""]
    for name in identifiers(sw):
        assert name not in body


def test_anonymous_voice_is_counted_apart_not_for_the_authors_organisation(
    anonymous: Any,
) -> None:
    sw, _contribution, _before, _after = anonymous

    balance = services.voice_balance(sw.session)

    assert (balance.total, balance.anonymous, balance.by_organisation) == (1, 1, [])
    assert balance.not_heard == ["Org A", "Org B"]


def test_summary_and_its_email_say_anonymous(anonymous: Any) -> None:
    sw, _contribution, _before, _after = anonymous
    services.session_close(session=sw.session, by=sw.facilitator)

    services.session_summary_send(session_id=sw.session.pk)
    summary = client_for(sw.member_b).get(sw.session.get_absolute_url()).content.decode()

    assert len(mail.outbox) == 3
    for message in mail.outbox:
        text = message.body
        line = next(line for line in text.splitlines() if SECRET in line)
        assert line.strip().endswith("(Anonymous)")
    start = summary.index(SECRET)
    assert "Anonymous" in summary[start : start + 200]
    assert sw.member_a.full_name not in summary[start : start + 200]
