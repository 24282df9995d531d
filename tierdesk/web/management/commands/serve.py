"""`tierdesk serve`: the production web server (gunicorn) with tierdesk's settings."""

import os

from django.core.management.base import BaseCommand, CommandError
from gunicorn.app.base import BaseApplication


def default_workers() -> int:
    # Requests mostly wait on the database, so a few processes per core keep both cores busy.
    return 2 * (os.cpu_count() or 1) + 1


class TierdeskServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from tierdesk.config.wsgi import application

        return application


class Command(BaseCommand):
    help = (
        "Serve tierdesk with gunicorn: several worker processes, restarted when one dies. "
        "Run `tierdesk worker` and `tierdesk scheduler` beside it for background jobs."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--bind", action="append", help="address:port or unix:path")
        parser.add_argument("--workers", type=int, default=None)
        parser.add_argument("--threads", type=int, default=1)
        parser.add_argument(
            "--timeout", type=int, default=60, help="seconds before a stuck worker is restarted"
        )
        parser.add_argument(
            "--max-requests",
            type=int,
            default=0,
            help="recycle a worker after this many requests (0: never)",
        )
        parser.add_argument(
            "--access-log", default=None, help="file for the access log ('-' for stdout)"
        )
        parser.add_argument("--pid", default=None, help="file to write the master's process id to")

    def handle(self, *args, **options):
        workers = options["workers"] or int(
            os.environ.get("TIERDESK_WEB_WORKERS", default_workers())
        )
        if workers < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1")
        config = {
            "bind": options["bind"] or [os.environ.get("TIERDESK_BIND", "127.0.0.1:8000")],
            "workers": workers,
            "threads": options["threads"],
            "timeout": options["timeout"],
            "graceful_timeout": 30,
            "max_requests": options["max_requests"],
            "max_requests_jitter": options["max_requests"] // 10,
            "accesslog": options["access_log"],
            "errorlog": "-",
            "pidfile": options["pid"],
            # Behind nginx on the same machine: trust the proxy headers it sets.
            "forwarded_allow_ips": "127.0.0.1,::1",
            "proc_name": "tierdesk",
        }
        TierdeskServer(config).run()
