"""Who may read, write, review and reuse knowledge-base articles: the one place these rules live.

Published articles are shared with every region and every internal user. Drafts, articles in
review and archived articles are seen by their author and by the reviewers (Engineering
Service, line 2) and the supervisors. Partner vendor contacts do not read the knowledge base:
articles carry internal cause analysis and the company's dealings with other vendors, and a
vendor already reads the customer-safe part of its own cases.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from tierdesk.knowledge.models import Article, ArticleState
from tierdesk.organization import permissions
from tierdesk.organization.models import User


def may_read_knowledge(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return permissions.sees_everything(user) or not permissions.is_vendor_contact(user)


def is_reviewer(user: User) -> bool:
    """Line 2 reviews the articles the regions write (6.2.1: Engineering Service shares them)."""
    return permissions.is_line2(user) or permissions.sees_everything(user)


def may_write_articles(user: User) -> bool:
    """Regional support, line 2 and the specialist groups record what they solved."""
    return may_read_knowledge(user) and (
        user.has_role(*permissions.LINE1_ROLES - {"field_engineer"})
        or permissions.is_line2(user)
        or permissions.is_specialist(user)
        or permissions.sees_everything(user)
    )


def articles_visible_to(user: User) -> QuerySet[Article]:
    if not may_read_knowledge(user):
        return Article.objects.none()
    if is_reviewer(user):
        return Article.objects.all()
    return Article.objects.filter(
        Q(author=user) | (Q(published_version__isnull=False) & ~Q(state=ArticleState.ARCHIVED))
    )


def access_article(user: User, pk: int) -> Article:
    """The article, if this person may see it; otherwise 404, never a hint that it exists."""
    article = (
        articles_visible_to(user)
        .select_related("author", "reviewer", "product")
        .filter(pk=pk)
        .first()
    )
    if article is None:
        raise Http404
    return article


def sees_working_copy(article: Article, user: User) -> bool:
    """The author and the reviewers read the latest version; everyone else the published one."""
    return user.pk == article.author_id or is_reviewer(user)


def may_edit(article: Article, user: User) -> bool:
    """Drafts are edited; a published article is revised (a new draft beside the published
    text). An article in review waits for the reviewer's decision."""
    return (
        article.state in (ArticleState.DRAFT, ArticleState.PUBLISHED)
        and may_write_articles(user)
        and sees_working_copy(article, user)
    )


def may_take(article: Article, action: str, user: User) -> bool:
    from tierdesk.knowledge.services import ACTION_ROLES

    who = ACTION_ROLES.get(action)
    if who == "author":
        return sees_working_copy(article, user) and may_write_articles(user)
    if who == "reviewer":
        # Four eyes: a reviewer does not approve their own text, unless a supervisor.
        return is_reviewer(user) and (
            user.pk != article.author_id or permissions.sees_everything(user)
        )
    return False


def may_reuse(user: User) -> bool:
    return may_read_knowledge(user)
