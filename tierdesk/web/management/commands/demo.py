from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tierdesk.cases.demo import load_demo_cases
from tierdesk.organization.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo organization and cases (safe to run again) and print who can sign in."

    def handle(self, *args, **options):
        rows = load_demo()
        case_count = load_demo_cases()
        width = max(len(username) for username, _name, _roles in rows)
        self.stdout.write(
            _("Demo data is ready. Every demo user's password is: %s") % DEMO_PASSWORD
        )
        username_heading, name_heading, roles_heading = _("Username"), _("Name"), _("Roles")
        self.stdout.write(f"{username_heading:<{width}}  {name_heading}  {roles_heading}")
        for username, name, roles in rows:
            self.stdout.write(f"{username:<{width}}  {name}  {roles}")
        self.stdout.write(_("Cases in the system: %d") % case_count)
