"""`tierdesk scheduler`: enqueue the periodic jobs of tierdesk/jobs/schedule.py when due."""

import signal
import threading

from django.core.management.base import BaseCommand
from django.utils import timezone

from tierdesk.jobs.scheduler import enqueue_due


class Command(BaseCommand):
    help = (
        "Put periodic jobs (SLA scan, fan-out, mail delivery, ...) on the queue when due. "
        "Safe to run on several machines: each period is enqueued once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--tick",
            type=float,
            default=5.0,
            help="Seconds between checks for due jobs (default: %(default)s).",
        )
        parser.add_argument(
            "--once", action="store_true", help="Check once, enqueue what is due, and exit."
        )

    def handle(self, *, tick: float, once: bool, verbosity: int, **options):
        stopping = threading.Event()
        if not once:
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stopping.set())
        while True:
            for name in enqueue_due(now=timezone.now()):
                if verbosity > 1:
                    self.stdout.write(f"enqueued {name}")
            # Waiting on the event lets SIGTERM end the wait at once instead of after a tick.
            if once or stopping.wait(tick):
                return
