"""The `tierdesk` command: Django's management commands with tierdesk's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.config.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A bad setting is the operator's to fix: one line, no traceback.
        sys.exit(f"tierdesk: {error}")


if __name__ == "__main__":
    main()
