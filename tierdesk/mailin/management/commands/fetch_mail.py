from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tierdesk.mailin.fetching import fetch_configured, fetch_maildir


class Command(BaseCommand):
    help = "Fetch mail to the support address (IMAP and/or Maildir from the settings) once."

    def add_arguments(self, parser):
        parser.add_argument("--maildir", help="Read this Maildir instead of the settings.")

    def handle(self, *args, maildir=None, **options):
        now = timezone.now()
        if maildir:
            summary = fetch_maildir(maildir, now=now)
        elif settings.MAILIN_IMAP_HOST or settings.MAILIN_MAILDIR:
            summary = fetch_configured(now=now)
        else:
            raise CommandError("Set MAILIN_IMAP_HOST or MAILIN_MAILDIR, or pass --maildir.")
        self.stdout.write(str(summary))
