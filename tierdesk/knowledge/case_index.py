"""Search over cases, with the same segmentation as articles, for the people who may see them.

A case's index row is written when the case is saved with new text (title, description,
resolution or product), in the same transaction, wherever the save comes from: the workflow,
mail-in, imports, the admin. A save that leaves the text alone only moves the index state on to
the case's new `version`. Writes that go around `save()` (a QuerySet update, raw SQL) leave the
state behind the case's version; the periodic job finds and indexes those. A search therefore
never does a writer's work: under many concurrent searches it only reads.
"""

from django.db import transaction
from django.db.models import F, Q

from tierdesk.cases.access import cases_visible_to
from tierdesk.cases.models import Case
from tierdesk.knowledge import search
from tierdesk.knowledge.models import CaseIndexState
from tierdesk.organization.models import User

BATCH = 500
# The fields a case's index row is made of.
INDEXED_FIELDS = frozenset({"title", "description", "resolution", "product", "product_id"})


def stale_cases():
    return Case.objects.filter(
        Q(knowledge_index_state__isnull=True)
        | ~Q(knowledge_index_state__indexed_version=F("version"))
    )


def index_case(case: Case) -> None:
    """Write the case's index row, then its state: if the second fails, the job redoes both."""
    search.put_document(
        search.CASES,
        pk=case.pk,
        title=case.title,
        symptom=case.description,
        body="\n".join([case.resolution, case.product.name]),
    )
    CaseIndexState.objects.bulk_create(
        [CaseIndexState(case_id=case.pk, indexed_version=case.version)],
        update_conflicts=True,
        unique_fields=["case"],
        update_fields=["indexed_version"],
    )


def case_saved(case: Case, *, created: bool, update_fields: frozenset[str] | None) -> None:
    """Keep the case's index row in step with a save (connected to Case's post_save)."""
    if created or update_fields is None or update_fields & INDEXED_FIELDS:
        index_case(case)
    elif "version" in update_fields:
        # The text is what it was one version ago: if that version was indexed, so is this one.
        CaseIndexState.objects.filter(case_id=case.pk, indexed_version=case.version - 1).update(
            indexed_version=case.version
        )


def refresh_case_index(*, limit: int | None = None) -> int:
    """Index the cases changed since they were last indexed; safe to re-run."""
    done = 0
    while limit is None or done < limit:
        size = BATCH if limit is None else min(BATCH, limit - done)
        stale = stale_cases()
        batch = list(stale.select_related("product").order_by("pk")[:size])
        if not batch:
            break
        for case in batch:
            with transaction.atomic():
                index_case(case)
        done += len(batch)
    return done


def search_cases(user: User, query: str, *, limit: int = 50, offset: int = 0) -> list[Case]:
    visible = cases_visible_to(user).select_related("region", "product")
    return search.search(search.CASES, visible, query, limit=limit, offset=offset)
