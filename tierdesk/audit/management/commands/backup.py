from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tierdesk.audit.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "Write the database and the uploaded files into one .tar.gz archive, while running."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="where to write the archive (.tar.gz)")

    def handle(self, *args, path, **options):
        try:
            manifest = write_backup(path=path, now=timezone.now())
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{path}: {manifest['database_vendor']} database and uploads "
            f"as of {manifest['created_at']}"
        )
