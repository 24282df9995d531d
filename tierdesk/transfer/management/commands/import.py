"""`tierdesk import <kind> <file>`: check a spreadsheet and import it, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from tierdesk.organization.models import User
from tierdesk.transfer.models import ImportKind
from tierdesk.transfer.reading import ENCODING_CHOICES, UnreadableFile
from tierdesk.transfer.services import ImportRejected, check_file, import_content


class Command(BaseCommand):
    help = "Import customers, sites, products or historical cases from a CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and save nothing."
        )
        parser.add_argument("--encoding", choices=ENCODING_CHOICES, default="auto")
        parser.add_argument("--source", default="", help="The system historical cases come from.")
        parser.add_argument(
            "--by",
            default="",
            help="User name the import is recorded under (default: the first administrator).",
        )

    def handle(self, *args, kind, file, dry_run, encoding, source, by, **options):
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from None
        now = timezone.now()
        if dry_run:
            try:
                plan, _encoding = check_file(
                    kind=kind,
                    content=content,
                    filename=path.name,
                    encoding=encoding,
                    source=source,
                    now=now,
                )
            except UnreadableFile as error:
                raise CommandError(str(error)) from None
            errors = plan.errors
        else:
            try:
                plan = import_content(
                    kind=kind,
                    content=content,
                    filename=path.name,
                    encoding=encoding,
                    source=source,
                    by=self._importer(by),
                    now=now,
                )
                errors = []
            except ImportRejected as rejected:
                errors = rejected.errors
        for error in errors:
            self.stderr.write(error.line())
        if errors:
            raise CommandError(
                _("%(count)s errors; nothing was imported.") % {"count": len(errors)},
                returncode=1,
            )
        summary = _("%(rows)s rows: %(new)s new, %(unchanged)s already present.") % plan.counts
        if dry_run:
            summary = _("No errors. %(summary)s Nothing saved (dry run).") % {"summary": summary}
        self.stdout.write(summary)

    def _importer(self, username: str) -> User:
        users = User.objects.filter(is_active=True, is_service_account=False)
        if username:
            user = users.filter(username=username).first()
        else:
            user = users.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise CommandError(_("No active user to record the import under; give --by."))
        return user
