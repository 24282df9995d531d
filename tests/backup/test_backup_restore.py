"""`tierdesk backup` and `tierdesk restore`: a seeded installation comes back as it was."""

import io
import json
import os
import subprocess
import sys
import tarfile

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from tierdesk.cases import attachments
from tierdesk.cases.demo import load_demo_cases
from tierdesk.cases.models import Attachment, Case, CaseEvent, SlaTarget
from tierdesk.organization.demo import load_demo
from tierdesk.organization.models import Department, User

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"contenttypes", "auth", "sessions"}
    }


@pytest.fixture
def seeded(settings):
    """The demo organization and cases, one photo attached, and one audited rename."""
    load_demo()
    load_demo_cases()
    case = Case.objects.order_by("pk").first()
    attachment = attachments.add_attachment(
        case,
        by=case.reporter,
        upload=SimpleUploadedFile("机房照片.png", PNG),
        internal=False,
        now=timezone.now(),
    )
    department = Department.objects.order_by("pk").first()
    department.name_en = "Renamed for the audit"
    department.save()
    return attachment


def empty_the_installation(settings):
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(settings.MEDIA_ROOT.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()


def test_a_seeded_installation_round_trips(seeded, settings, tmp_path):
    archive = tmp_path / "tierdesk.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    before = row_counts()
    case = Case.objects.get(pk=seeded.case_id)
    user = User.objects.get(username="l2-1")
    roles_before = sorted(user.role_codes)
    events_before = list(case.events.values_list("kind", "at", "text"))
    history_before = User.history.count()

    empty_the_installation(settings)
    assert not User.objects.exists()
    call_command("restore", str(archive), stdout=io.StringIO())

    assert row_counts() == before
    restored_case = Case.objects.get(pk=case.pk)
    assert (restored_case.title, restored_case.status, restored_case.version) == (
        case.title,
        case.status,
        case.version,
    )
    assert list(restored_case.events.values_list("kind", "at", "text")) == events_before
    assert sorted(User.objects.get(username="l2-1").role_codes) == roles_before
    assert User.history.count() == history_before
    assert Department.history.filter(name_en="Renamed for the audit").exists()
    restored = Attachment.objects.get(pk=seeded.pk)
    assert restored.original_name == "机房照片.png"
    with restored.file.open("rb") as photo:
        assert photo.read() == PNG
    assert SlaTarget.objects.count() == before["cases.SlaTarget"]
    # The restored case history is not announced again as if it had just happened.
    assert CaseEvent.objects.count() == before["cases.CaseEvent"]


def test_the_archive_has_a_manifest_the_database_and_the_uploads(seeded, tmp_path):
    archive = tmp_path / "tierdesk.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.load(opened.extractfile("manifest.json"))
    assert "database.tdjson" in names
    assert f"uploads/{seeded.file.name}" in names
    assert manifest["format"] == "tierdesk-backup"
    assert manifest["format_version"] == 1
    assert manifest["database_vendor"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["cases"]
    assert manifest["created_at"]


def test_restore_refuses_an_installation_in_use_unless_forced(seeded, tmp_path):
    archive = tmp_path / "tierdesk.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    Case.objects.filter(pk=seeded.case_id).update(title="changed after the backup")

    with pytest.raises(CommandError, match=r"already has data.*--force"):
        call_command("restore", str(archive))
    assert Case.objects.get(pk=seeded.case_id).title == "changed after the backup"

    call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert Case.objects.get(pk=seeded.case_id).title != "changed after the backup"


def test_restore_forgets_the_reports_kept_from_the_replaced_data(seeded, tmp_path):
    archive = tmp_path / "tierdesk.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    caches["reports"].set("regional:kept", "figures of the data being replaced")

    call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert caches["reports"].get("regional:kept") is None


def _archive_with(tmp_path, manifest: dict) -> str:
    path = tmp_path / "odd.tar.gz"
    data = json.dumps(manifest).encode()
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return str(path)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: str(tmp / "missing.tar.gz"), "no such file"),
        (lambda tmp: _write(tmp / "notes.tar.gz", b"just some text"), r"not a \.tar\.gz archive"),
        (
            lambda tmp: _archive_with(tmp, {"format": "tierdesk-backup", "format_version": 99}),
            "format version 99 is not supported",
        ),
        (lambda tmp: _archive_with(tmp, {"format": "other"}), "another format"),
    ],
)
def test_bad_input_is_refused_with_one_line(tmp_path, make, message):
    with pytest.raises(CommandError, match=message) as error:
        call_command("restore", make(tmp_path))
    assert "\n" not in str(error.value)


def _write(path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def test_the_command_line_reports_one_line_and_exit_code_one(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DATABASE_")}
    env["TIERDESK_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "tierdesk", "restore", str(tmp_path / "nothing.tar.gz")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    error_lines = [line for line in result.stderr.splitlines() if not line.startswith("AXES")]
    assert error_lines == [f"CommandError: {tmp_path / 'nothing.tar.gz'}: no such file"]
