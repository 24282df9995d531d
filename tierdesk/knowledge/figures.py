"""Knowledge-accumulation counts for reports and the quarterly assessment (table 1, item 2).

Reports pass a time range; the knowledge base answers from its own rows, so reports never need
to know how articles, versions and reuses are stored.
"""

from datetime import datetime

from tierdesk.knowledge.models import Article, ArticleReuse
from tierdesk.organization.models import Region, User


def region_counts(*, region: Region, start: datetime, end: datetime) -> dict[str, int]:
    """Articles written by the region's people, and reuses recorded on the region's cases."""
    return {
        "articles_created": Article.objects.filter(
            author__region=region, created_at__gte=start, created_at__lt=end
        ).count(),
        "articles_reused": ArticleReuse.objects.filter(
            case__region=region, at__gte=start, at__lt=end
        ).count(),
    }


def people_counts(*, people: list[User], start: datetime, end: datetime) -> dict[int, dict]:
    """Per person (by id): articles authored and published in the range, and reuses of their
    articles recorded by someone else in the range."""
    result = {}
    for person in people:
        articles = Article.objects.filter(author=person)
        result[person.pk] = {
            "articles_authored": articles.filter(created_at__gte=start, created_at__lt=end).count(),
            "articles_published": articles.filter(
                published_at__gte=start, published_at__lt=end
            ).count(),
            "reused_by_others": ArticleReuse.objects.filter(
                article__author=person, at__gte=start, at__lt=end
            )
            .exclude(user=person)
            .count(),
        }
    return result
