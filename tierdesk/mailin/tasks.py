"""The periodic job: fetch the support mailbox."""

from django.tasks import task
from django.utils import timezone

from tierdesk.mailin.fetching import fetch_configured


@task
def fetch_mail() -> dict[str, int]:
    """Fetch new mail; safe to re-run, as a mail already received is not received twice."""
    return fetch_configured(now=timezone.now()).as_dict()
