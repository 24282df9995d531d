"""Knowledge-base jobs, as `django.tasks` tasks."""

from django.tasks import task

from tierdesk.knowledge.case_index import refresh_case_index


@task
def index_changed_cases() -> dict[str, int]:
    """Index the cases whose index state is behind their version: written around `save()`
    (a QuerySet update, raw SQL), since every save indexes its own case."""
    return {"indexed_cases": refresh_case_index(limit=5000)}
