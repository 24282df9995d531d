"""Knowledge-accumulation counts for reports and the quarterly assessment (table 1, item 2).

Reports pass a time range; the knowledge base answers from its own rows, so reports never need
to know how articles, versions and reuses are stored.
"""

from datetime import datetime

from django.db.models import Count, F

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
    articles recorded by someone else in the range. One grouped query per figure, however many
    people the table has."""
    ids = [person.pk for person in people]
    authored = _per_author(
        Article.objects.filter(author_id__in=ids, created_at__gte=start, created_at__lt=end),
        "author_id",
    )
    published = _per_author(
        Article.objects.filter(author_id__in=ids, published_at__gte=start, published_at__lt=end),
        "author_id",
    )
    reused = _per_author(
        ArticleReuse.objects.filter(article__author_id__in=ids, at__gte=start, at__lt=end).exclude(
            user_id=F("article__author_id")
        ),
        "article__author_id",
    )
    return {
        pk: {
            "articles_authored": authored.get(pk, 0),
            "articles_published": published.get(pk, 0),
            "reused_by_others": reused.get(pk, 0),
        }
        for pk in ids
    }


def _per_author(rows, author_field: str) -> dict[int, int]:
    return dict(
        rows.order_by().values(author_field).annotate(n=Count("pk")).values_list(author_field, "n")
    )
