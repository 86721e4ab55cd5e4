"""Right of access: a person downloads everything held about them as a ZIP of JSON and
CSV, prepared by a Celery task, with progress on the page; only they can download it."""

from __future__ import annotations

import csv
import datetime
import io
import json
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from privacy import registry, services
from privacy.models import AuditEvent, DataExport, ExportStatus
from tests.conftest import World, client_for
from tests.services import Worker, missing, wait_until


@pytest.fixture
def cleanup_exports() -> Iterator[None]:
    yield
    for export in DataExport.objects.exclude(file=""):
        export.file.delete(save=False)


def read_zip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


@pytest.mark.services
def test_person_downloads_their_data_prepared_by_a_real_worker(
    celery_worker: Worker, world: World, cleanup_exports: None
) -> None:
    client = client_for(world.member_a)

    response = client.post(reverse("privacy:export_request"))
    export = wait_until(
        lambda: DataExport.objects.filter(user=world.member_a, status="ready").first(), timeout=30
    )
    page = client.get(reverse("privacy:data")).content.decode()
    download = client.get(reverse("privacy:export_download", args=[export.pk]))

    assert response.status_code == 302
    assert "Your copy is ready" in page
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "no-store" in download["Cache-Control"]
    assert download["Content-Disposition"].startswith('attachment; filename="hls-forum-your-data-')
    files = read_zip(b"".join(download.streaming_content))
    for section in registry.export_sections():
        assert f"{section.name}.json" in files
        assert f"{section.name}.csv" in files
    assert json.loads(files["profile.json"])[0]["email"] == world.member_a.email
    memberships = list(csv.DictReader(io.StringIO(files["organisation_memberships.csv"])))
    assert memberships[0]["organisation"] == "Org A"
    assert "README.txt" in files
    assert "privacy.build_export" in celery_worker.log()
    events = set(
        AuditEvent.objects.filter(actor_id=world.member_a.pk).values_list("event", flat=True)
    )
    assert {"export_requested", "export_downloaded"} <= events


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["member_b", "lead_a", "staff", "commissioner"])
def test_nobody_else_can_download_a_persons_copy(
    world: World, persona: str, cleanup_exports: None
) -> None:
    export = DataExport.objects.create(user=world.member_a)
    services.export_build(export_id=export.pk)

    response = client_for(world.user(persona)).get(
        reverse("privacy:export_download", args=[export.pk])
    )

    assert response.status_code == 404


@pytest.mark.django_db
def test_visitor_is_asked_to_sign_in_for_data_pages(db: None) -> None:
    for url in (reverse("privacy:data"), reverse("privacy:export_download", args=[1])):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_expired_copy_cannot_be_downloaded(world: World, cleanup_exports: None) -> None:
    export = DataExport.objects.create(user=world.member_a)
    services.export_build(export_id=export.pk)
    DataExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = client_for(world.member_a).get(reverse("privacy:export_download", args=[export.pk]))

    assert response.status_code == 410
    assert "has expired" in response.content.decode()


@pytest.mark.django_db
def test_page_shows_progress_and_polls_while_the_copy_is_prepared(world: World) -> None:
    DataExport.objects.create(
        user=world.member_a, status=ExportStatus.RUNNING, progress=40, step="forum memberships"
    )
    client = client_for(world.member_a)

    page = client.get(reverse("privacy:data")).content.decode()
    fragment = client.get(reverse("privacy:data"), headers={"HX-Request": "true"})

    assert 'data-hx-trigger="every 2s"' in page
    assert '<progress max="100" value="40"' in page
    assert "refresh this page" in page  # works without JavaScript
    assert "Prepare a copy of my data" not in page  # one at a time
    assert "<html" not in fragment.content.decode()
    assert 'value="40"' in fragment.content.decode()


@pytest.mark.django_db
def test_polling_stops_once_the_copy_is_ready(world: World, cleanup_exports: None) -> None:
    export = DataExport.objects.create(user=world.member_a)
    services.export_build(export_id=export.pk)

    fragment = client_for(world.member_a).get(
        reverse("privacy:data"), headers={"HX-Request": "true"}
    )

    html = fragment.content.decode()
    assert "data-hx-trigger" not in html
    assert reverse("privacy:export_download", args=[export.pk]) in html


@pytest.mark.django_db
def test_asking_twice_keeps_one_copy_in_progress(world: World) -> None:
    client = client_for(world.member_a)

    client.post(reverse("privacy:export_request"))
    client.post(reverse("privacy:export_request"))

    assert DataExport.objects.filter(user=world.member_a).count() == 1


@pytest.mark.django_db
def test_fourth_copy_in_a_day_is_refused_politely(world: World) -> None:
    for _ in range(3):
        DataExport.objects.create(user=world.member_a, status=ExportStatus.FAILED)

    response = client_for(world.member_a).post(reverse("privacy:export_request"), follow=True)

    assert "3 copies a day" in response.content.decode()
    assert DataExport.objects.filter(user=world.member_a).count() == 3


@pytest.mark.django_db
def test_task_claims_the_copy_so_a_second_run_does_nothing(
    world: World, cleanup_exports: None
) -> None:
    export = DataExport.objects.create(user=world.member_a)

    first = services.export_build(export_id=export.pk)
    second = services.export_build(export_id=export.pk)

    assert first is not None
    assert first.status == "ready"
    assert second is None


@pytest.mark.django_db
def test_copy_includes_sections_other_apps_register_and_defuses_formulas(
    world: World, cleanup_exports: None, monkeypatch: Any
) -> None:
    monkeypatch.setattr(registry, "_export_sections", dict(registry._export_sections))
    registry.register_export_section(
        "learning_entries",
        lambda user: [{"title": '=HYPERLINK("http://evil")', "tags": ["a", "b"]}],
        description="Entries you wrote.",
    )
    export = DataExport.objects.create(user=world.member_a)

    services.export_build(export_id=export.pk)

    export.refresh_from_db()
    files = read_zip(export.file.read())
    row = next(csv.DictReader(io.StringIO(files["learning_entries.csv"])))
    assert row["title"] == '\'=HYPERLINK("http://evil")'
    assert row["tags"] == '["a", "b"]'
    assert json.loads(files["learning_entries.json"])[0]["title"].startswith("=HYPERLINK")


@pytest.mark.django_db
def test_security_events_in_a_copy_hide_other_peoples_addresses(
    world: World, cleanup_exports: None
) -> None:
    from privacy import audit
    from privacy.models import AuditEventType

    audit.record(AuditEventType.ROLE_CHANGED, actor=world.staff, subject=world.member_a)
    export = DataExport.objects.create(user=world.member_a)

    services.export_build(export_id=export.pk)

    export.refresh_from_db()
    rows = json.loads(read_zip(export.file.read())["security_events.json"])
    role_change = next(r for r in rows if r["event"] == "Role changed")
    assert role_change["by"] == "someone else"
    assert role_change["ip_address"] == ""


@pytest.mark.django_db
def test_failed_section_marks_the_copy_failed_and_the_page_says_so(
    world: World, monkeypatch: Any
) -> None:
    def broken(user: Any) -> list[dict[str, Any]]:
        raise RuntimeError("boom")

    monkeypatch.setattr(
        registry, "_export_sections", {"broken": registry.ExportSection("broken", broken, "")}
    )
    export = DataExport.objects.create(user=world.member_a)

    services.export_build(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == "failed"
    page = client_for(world.member_a).get(reverse("privacy:data")).content.decode()
    assert "could not prepare your copy" in page


@pytest.fixture
def full_export_disk(tmp_path: Path, monkeypatch: Any) -> Iterator[Path]:
    """Prepared copies go to a real, tiny file system (a 64 KiB tmpfs) that is full but
    for one page, so writing a copy starts and then runs out of space."""
    mount = tmp_path / "exports"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True
    )
    if mounted.returncode != 0:
        missing("a small file system to fill (mounting a tmpfs needs root)")
    try:
        with (mount / "filler").open("wb") as filler:
            try:
                filler.write(b"x" * 60 * 1024)
                filler.flush()
            except OSError:
                pass
        field = DataExport._meta.get_field("file")
        monkeypatch.setattr(field, "storage", FileSystemStorage(location=str(mount)))
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.django_db
def test_copy_on_a_full_disk_fails_clearly_and_leaves_no_partial_file(
    world: World, full_export_disk: Path
) -> None:
    export = DataExport.objects.create(user=world.member_a)

    services.export_build(export_id=export.pk)

    export.refresh_from_db()
    files = sorted(str(p.relative_to(full_export_disk)) for p in full_export_disk.rglob("*.*"))
    page = client_for(world.member_a).get(reverse("privacy:data")).content.decode()
    assert export.status == "failed"
    assert export.file.name == ""
    assert files == []
    assert "We ran out of storage space while preparing your copy" in page
    assert "kept nothing" in page


@pytest.mark.django_db
def test_a_copy_whose_task_was_lost_is_prepared_by_the_catch_up(
    world: World, cleanup_exports: None
) -> None:
    # Asked for while the broker was unreachable: the row exists, its task never did.
    asked = timezone.now() - datetime.timedelta(minutes=1)
    lost = DataExport.objects.create(user=world.member_a, requested_at=asked)
    just_asked = DataExport.objects.create(user=world.member_b)

    tried = services.exports_catch_up()

    lost.refresh_from_db()
    just_asked.refresh_from_db()
    assert tried == 1
    assert lost.status == "ready"
    assert just_asked.status == "pending"
