"""One-file backups of a running installation (database and uploads), and their restore.

The database goes into the archive as Django's JSON serialization, not as a database file: it
restores onto SQLite or PostgreSQL alike, and it is read inside one snapshot so the rows agree
with each other while people keep working:

- PostgreSQL: a READ ONLY, REPEATABLE READ transaction sees the database as it was when it began.
- SQLite (WAL journal): a deferred read transaction sees the last commit before its first read
  and does not block writers, unlike copying the file (or the backup API, which restarts its copy
  whenever someone writes).

Uploads are copied after the database: a file uploaded meanwhile is carried along unused, and
attachments are never deleted, so every file the dump refers to is there.
"""

import io
import json
import shutil
import tarfile
import tempfile
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.cache import caches
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings

FORMAT = "tierdesk-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Registered under its own name so loaddata picks it by the file's extension.
SERIALIZATION_FORMAT = "tdjson"
DATABASE = f"database.{SERIALIZATION_FORMAT}"
UPLOADS = "uploads"
# Rebuilt by `migrate` on every install; sessions are sign-ins, not data worth restoring.
NOT_DUMPED = ["contenttypes", "auth.permission", "sessions"]


serializers.register_serializer(SERIALIZATION_FORMAT, "tierdesk.audit.serializer")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is one line for the operator."""


@contextmanager
def _snapshot(connection):
    """Every query inside sees one consistent state of the database."""
    if connection.in_atomic_block:
        # Already inside a transaction (a caller's, or a test's): its view is the snapshot.
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        # Not transaction.atomic(): tierdesk's SQLite transactions BEGIN IMMEDIATE, which takes
        # the write lock and would hold up everyone for the length of the dump.
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        return
    raise BackupError(f"backups of {connection.vendor} databases are not supported")


def _applied_migrations(connection) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tierdesk")
    except PackageNotFoundError:
        return "unknown"


def write_backup(*, path: Path, now: datetime, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write the archive at `path` (a .tar.gz) and return its manifest."""
    connection = connections[using]
    path = Path(path)
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a directory")
    dump = io.StringIO()
    with _snapshot(connection):
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "tierdesk_version": _version(),
            "created_at": now.isoformat(),
            "database_vendor": connection.vendor,
            "migrations": _applied_migrations(connection),
        }
        call_command(
            "dumpdata",
            exclude=NOT_DUMPED,
            natural_foreign=True,
            format=SERIALIZATION_FORMAT,
            database=using,
            stdout=dump,
            verbosity=0,
        )
    data = dump.getvalue().encode()
    upload_dir = Path(settings.MEDIA_ROOT)
    # Written beside the target and renamed at the end: a failed backup never leaves half an
    # archive under the name an operator would restore from.
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".partial", delete=False) as partial:
        try:
            with tarfile.open(fileobj=partial, mode="w:gz") as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode(), now)
                _add_bytes(archive, DATABASE, data, now)
                if upload_dir.is_dir():
                    archive.add(upload_dir, arcname=UPLOADS)
        except BaseException:
            Path(partial.name).unlink(missing_ok=True)
            raise
    Path(partial.name).replace(path)
    return manifest


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes, now: datetime) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(now.timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, AttributeError, ValueError):
        raise BackupError("not a tierdesk backup: it has no readable manifest.json") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("not a tierdesk backup: the manifest names another format")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"backup format version {manifest.get('format_version')!r} is not supported "
            f"(this tierdesk reads version {FORMAT_VERSION})"
        )
    return manifest


def _open(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        return tarfile.open(path, mode="r:gz")
    except (tarfile.TarError, OSError, EOFError):
        raise BackupError(f"{path}: not a tierdesk backup (not a .tar.gz archive)") from None


def install_has_data(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether anyone has used this installation: people or cases exist, or uploads do."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    for model in [apps.get_model("organization", "User"), apps.get_model("cases", "Case")]:
        if model._meta.db_table in tables and model._default_manager.using(using).exists():
            return True
    upload_dir = Path(settings.MEDIA_ROOT)
    return upload_dir.is_dir() and any(upload_dir.iterdir())


def restore_backup(*, path: Path, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Bring the archive back: schema as it was, its rows, its uploads, then migrate to now."""
    path = Path(path)
    with _open(path) as archive:
        manifest = read_manifest(archive)
        if install_has_data(using) and not force:
            raise BackupError(
                "this installation already has data; restore replaces all of it: add --force"
            )
        targets = _migration_targets(manifest["migrations"], using)
        try:
            dump = archive.extractfile(DATABASE)
        except KeyError:
            dump = None
        if dump is None:
            raise BackupError(f"not a tierdesk backup: it has no {DATABASE}")
        with tempfile.TemporaryDirectory() as scratch:
            dump_path = Path(scratch) / DATABASE
            dump_path.write_bytes(dump.read())
            _load_database(dump_path, targets, using)
            _restore_uploads(archive)
    return manifest


def _migration_targets(archived: dict[str, list[str]], using: str) -> list[tuple[str, str]]:
    """The newest migration of each app in the backup, all of which this code must know."""
    executor = MigrationExecutor(connections[using])
    known = set(executor.loader.graph.nodes)
    unknown = [f"{app}.{name}" for app, names in archived.items() for name in names]
    unknown = [key for key in unknown if tuple(key.split(".", 1)) not in known]
    if unknown:
        raise BackupError(
            f"the backup was made by a newer tierdesk (unknown migrations: {', '.join(unknown[:3])})"
        )
    graph = executor.loader.graph
    targets = []
    for app_label, names in archived.items():
        applied = {(app_label, name) for name in names}
        # The archived migration of this app that no other archived one builds on.
        targets.extend(
            node
            for node in sorted(applied)
            if not any(node in graph.node_map[other].parents for other in applied - {node})
        )
    return targets


def _load_database(dump_path: Path, targets: list[tuple[str, str]], using: str) -> None:
    connection = connections[using]
    # The rows were dumped from the schema of the backup's day: load them into that schema,
    # then let today's migrations carry them forward like any upgrade would.
    executor = MigrationExecutor(connection)
    executor.loader.check_consistent_history(connection)
    executor.migrate(targets)
    # Empty every table (including rows data migrations made, e.g. the default SLA targets):
    # the backup has its own, with its own primary keys.
    call_command("flush", database=using, interactive=False, verbosity=0)
    # History is what the backup recorded; loading it is not a change anyone made.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        call_command("loaddata", str(dump_path), database=using, verbosity=0)
    call_command("migrate", database=using, interactive=False, verbosity=0)
    # Reports kept from the replaced data would be shown until they expire; flush leaves them,
    # since their table belongs to no model.
    caches["reports"].clear()


def _restore_uploads(archive: tarfile.TarFile) -> None:
    upload_dir = Path(settings.MEDIA_ROOT)
    if upload_dir.is_dir():
        for child in upload_dir.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    upload_dir.mkdir(parents=True, exist_ok=True)
    prefix = UPLOADS + "/"
    members = []
    for member in archive.getmembers():
        if member.name.startswith(prefix) and (member.isfile() or member.isdir()):
            member.name = member.name.removeprefix(prefix)
            members.append(member)
    # The "data" filter refuses absolute paths, "..", links and device files in the archive.
    archive.extractall(upload_dir, members=members, filter="data")
