"""`tierdesk run_jobs_once`: run every periodic job once, here and now (for cron or by hand)."""

import json

from django.core.management.base import BaseCommand

from tierdesk.jobs.scheduler import run_all_once


class Command(BaseCommand):
    help = "Run every periodic job once, synchronously, without a worker or a scheduler."

    def handle(self, *args, **options):
        for name, outcome in run_all_once().items():
            self.stdout.write(f"{name}: {json.dumps(outcome, default=str)}")
