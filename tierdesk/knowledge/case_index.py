"""Search over cases, with the same segmentation as articles, for the people who may see them.

Cases change in many places (workflow, mail-in, follow-ups), so rather than hook each of them
this module compares each case's `version` (bumped by every recorded change) with the version
its index row holds. A periodic job indexes the stale ones among all cases; a search (or a
suggestion, on every pause in typing) first brings the recently changed ones up to date, found
through the index on `updated_at` (the hour before the latest change), so it never scans every
case of a large installation.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Max, Q

from tierdesk.cases.access import cases_visible_to
from tierdesk.cases.models import Case
from tierdesk.knowledge import search
from tierdesk.knowledge.models import CaseIndexState
from tierdesk.organization.models import User

BATCH = 500
# Longer than the periodic job's interval (tierdesk/jobs/schedule.py), so that between its runs
# a search still catches every change.
RECENT_CHANGES = timedelta(hours=1)


def stale_cases(*, changed_since: datetime | None = None):
    cases = Case.objects.all()
    if changed_since is not None:
        cases = cases.filter(updated_at__gte=changed_since)
    return cases.filter(
        Q(knowledge_index_state__isnull=True)
        | ~Q(knowledge_index_state__indexed_version=F("version"))
    )


@transaction.atomic
def index_case(case: Case) -> None:
    search.put_document(
        search.CASES,
        pk=case.pk,
        title=case.title,
        symptom=case.description,
        body="\n".join([case.resolution, case.product.name]),
    )
    CaseIndexState.objects.update_or_create(case=case, defaults={"indexed_version": case.version})


def refresh_case_index(*, limit: int | None = None, changed_since: datetime | None = None) -> int:
    """Index the cases changed since they were last indexed (only those updated since
    `changed_since` when given); safe to re-run."""
    done = 0
    while limit is None or done < limit:
        size = BATCH if limit is None else min(BATCH, limit - done)
        stale = stale_cases(changed_since=changed_since)
        batch = list(stale.select_related("product").order_by("pk")[:size])
        if not batch:
            break
        for case in batch:
            index_case(case)
        done += len(batch)
    return done


def refresh_recent_changes() -> int:
    latest = Case.objects.aggregate(latest=Max("updated_at"))["latest"]
    if latest is None:
        return 0
    return refresh_case_index(changed_since=latest - RECENT_CHANGES)


def search_cases(user: User, query: str, *, limit: int = 50) -> list[Case]:
    refresh_recent_changes()
    visible = cases_visible_to(user).select_related("region", "product")
    return search.search(search.CASES, visible, query, limit=limit)
