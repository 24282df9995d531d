"""The knowledge figures of the reports and of the quarterly assessment.

The knowledge base answers them from its own rows (tierdesk.knowledge.figures): articles created
and reused in a region and period, and per line-2 engineer the articles authored, published and
reused by others. The trainings app answers "trainings given" (tierdesk.trainings.figures): the
held sessions the person was the trainer of in the period. A figure that cannot be computed is
NOT_AVAILABLE, which the pages and exports show as "—": a missing figure is never shown as zero.
"""

from dataclasses import dataclass

from tierdesk.knowledge import figures
from tierdesk.organization.models import Region, User
from tierdesk.reports.periods import Period
from tierdesk.trainings import figures as training_figures


class _NotAvailable:
    """A figure that cannot be computed yet; falsy and shown as an em dash."""

    def __str__(self) -> str:
        return "—"

    def __repr__(self) -> str:
        return "NOT_AVAILABLE"

    def __bool__(self) -> bool:
        return False


NOT_AVAILABLE = _NotAvailable()


@dataclass(frozen=True)
class RegionKnowledge:
    articles_created: object
    articles_reused: object


@dataclass(frozen=True)
class PersonKnowledge:
    articles_authored: object
    articles_published: object
    reused_by_others: object
    trainings_given: object


def region_knowledge(*, region: Region, period: Period) -> RegionKnowledge:
    """Articles created by the region's people and reused on the region's cases in the period."""
    counts = figures.region_counts(region=region, start=period.start, end=period.end)
    return RegionKnowledge(
        articles_created=counts["articles_created"], articles_reused=counts["articles_reused"]
    )


def people_knowledge(*, people: list[User], period: Period) -> dict[int, PersonKnowledge]:
    """Per person (by id): the knowledge they accumulated in the period."""
    counts = figures.people_counts(people=people, start=period.start, end=period.end)
    given = training_figures.trainings_given(people=people, start=period.start, end=period.end)
    return {
        pk: PersonKnowledge(
            articles_authored=row["articles_authored"],
            articles_published=row["articles_published"],
            reused_by_others=row["reused_by_others"],
            trainings_given=given[pk],
        )
        for pk, row in counts.items()
    }
