"""The follow-up jobs, as `django.tasks` tasks: the overdue pass and the answer-link mail."""

from django.tasks import task
from django.utils import timezone

from tierdesk.followups import services


@task
def mark_overdue_follow_ups() -> dict[str, int]:
    """Note in each case's history the follow-ups past their due time (once each)."""
    return {"marked_overdue": services.mark_overdue(now=timezone.now())}


@task
def send_answer_link(follow_up_id: int, url: str) -> None:
    """Mail a customer their answer link, outside the request that asked for it."""
    services.send_answer_link_now(follow_up_id, url=url)
