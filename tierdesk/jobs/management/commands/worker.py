"""`tierdesk worker`: run queued jobs (django-tasks-db's worker under tierdesk's name)."""

from django_tasks_db.management.commands import db_worker


class Command(db_worker.Command):
    help = (
        "Run queued background jobs. Start any number, on any machine sharing the database; "
        "each job is claimed by one worker. Options are those of django-tasks-db's db_worker."
    )
