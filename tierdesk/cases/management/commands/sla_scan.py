from django.core.management.base import BaseCommand
from django.utils import timezone

from tierdesk.cases.sla_scan import scan


class Command(BaseCommand):
    help = "Mark SLA warnings and breaches that are due (safe to run as often as you like)."

    def handle(self, *args, **options):
        counts = scan(now=timezone.now())
        self.stdout.write(f"warned={counts['warned']} breached={counts['breached']}")
