from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tierdesk.audit.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a `tierdesk backup` archive onto an empty installation."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the archive written by `tierdesk backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the data and uploads of an installation that is already in use",
        )

    def handle(self, *args, path, force, **options):
        try:
            manifest = restore_backup(path=path, force=force)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{path}: restored the backup of {manifest['created_at']}")
