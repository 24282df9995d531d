"""Knowledge-base jobs, as `django.tasks` tasks."""

from django.tasks import task

from tierdesk.knowledge.case_index import refresh_case_index


@task
def index_changed_cases() -> dict[str, int]:
    """Bring the case search index up to date with the cases changed since last run."""
    return {"indexed_cases": refresh_case_index(limit=5000)}
