"""Search over cases, with the same segmentation as articles, for the people who may see them.

Cases change in many places (workflow, mail-in, follow-ups), so rather than hook each of them
this module compares each case's `version` (bumped by every recorded change) with the version
its index row holds. A periodic job indexes the stale ones, and a search first brings any still
stale up to date, so results are never older than the case itself.
"""

from django.db import transaction
from django.db.models import F, Q

from tierdesk.cases.access import cases_visible_to
from tierdesk.cases.models import Case
from tierdesk.knowledge import search
from tierdesk.knowledge.models import CaseIndexState
from tierdesk.organization.models import User

BATCH = 500


def stale_cases():
    return Case.objects.filter(
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


def refresh_case_index(*, limit: int | None = None) -> int:
    """Index the cases changed since they were last indexed; safe to re-run."""
    done = 0
    while limit is None or done < limit:
        size = BATCH if limit is None else min(BATCH, limit - done)
        batch = list(stale_cases().select_related("product").order_by("pk")[:size])
        if not batch:
            break
        for case in batch:
            index_case(case)
        done += len(batch)
    return done


def search_cases(user: User, query: str, *, limit: int = 50) -> list[Case]:
    refresh_case_index()
    visible = cases_visible_to(user).select_related("region", "product")
    return search.search(search.CASES, visible, query, limit=limit)
