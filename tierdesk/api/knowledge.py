"""The knowledge base: article search, reading, writing, the review workflow, reuse and votes."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tierdesk.api.cases import current_user
from tierdesk.api.errors import READ_ERRORS, WRITE_ERRORS, Problem
from tierdesk.api.pagination import PageParams, page_of, paginate
from tierdesk.cases import access as case_access
from tierdesk.knowledge import access, search, services
from tierdesk.knowledge.case_index import search_cases
from tierdesk.knowledge.models import (
    Article,
    ArticleAction,
    ArticleCategory,
    ArticleLanguage,
    ArticleState,
    ArticleVersion,
)
from tierdesk.organization.models import Product

router = Router(tags=["knowledge"])

StateCode = Literal[tuple(ArticleState.values)]
CategoryCode = Literal[tuple(ArticleCategory.values)]
LanguageCode = Literal[tuple(ArticleLanguage.values)]
ActionCode = Literal[tuple(ArticleAction.values)]
MAX_RESULTS = 100


class ArticleItem(Schema):
    id: int
    reference: str
    state: StateCode
    title: str
    product: str | None
    category: CategoryCode
    author: str
    version: int = Field(description="The version this reader sees.")
    published_at: datetime | None


class SearchHit(ArticleItem):
    score: float = Field(
        description="Relevance; higher is better. Only comparable within one answer."
    )
    title_html: str = Field(description="The title, HTML-escaped, matched words in <mark>.")
    snippet_html: str = Field(description="An escaped extract with the matched words in <mark>.")
    confident: bool = Field(
        description="Whether the best hit answers the query; the same on every hit of one "
        "search. False when no article matches the query's main words: the hits are only "
        "near misses."
    )


class ArticleDetail(ArticleItem):
    symptom: str
    cause: str
    solution: str
    product_versions: str
    tags: list[str]
    language: LanguageCode
    current_version: int
    published_version: int | None
    review_note: str
    source_cases: list[int]
    reuse_count: int
    helpful_votes: int
    actions: list[ActionCode] = Field(description="Workflow actions the caller may take now.")


class ArticleIn(Schema):
    title: str = Field(max_length=200)
    symptom: str
    cause: str = ""
    solution: str
    product_id: int | None = None
    product_versions: str = Field("", max_length=200)
    tags: str = Field("", max_length=300)
    category: CategoryCode = "other"
    language: LanguageCode = "zh-hans"
    source_case_ids: list[int] = Field(default_factory=list)
    note: str = Field("", max_length=300)


class ArticlePatch(Schema):
    title: str | None = Field(None, max_length=200)
    symptom: str | None = None
    cause: str | None = None
    solution: str | None = None
    product_id: int | None = None
    product_versions: str | None = Field(None, max_length=200)
    tags: str | None = Field(None, max_length=300)
    category: CategoryCode | None = None
    language: LanguageCode | None = None
    note: str = Field("", max_length=300)


class ActionIn(Schema):
    action: ActionCode
    note: str = Field("", max_length=2000)


class ReuseIn(Schema):
    case_id: int = Field(ge=1)


class Counted(Schema):
    reuse_count: int
    helpful_votes: int


class ArticleFilters(Schema):
    q: str = Field("", max_length=200, description="Words, Chinese or English.")
    product_id: int | None = None
    category: CategoryCode | None = None
    state: StateCode | None = None


class ArticleSearchParams(ArticleFilters):
    limit: int = Field(20, ge=1, le=MAX_RESULTS)


class SearchParams(Schema):
    q: str = Field(min_length=1, max_length=200)
    limit: int = Field(20, ge=1, le=MAX_RESULTS)


class CaseHit(Schema):
    id: int
    reference: str
    title: str
    status: str
    score: float
    title_html: str
    snippet_html: str


def _item(article: Article, user, shown: ArticleVersion | None = None) -> dict:
    shown = shown or services.shown_versions([article], user)[article.pk]
    return {
        "id": article.pk,
        "reference": article.reference,
        "state": article.state,
        "title": shown.title,
        "product": shown.product.name if shown.product else None,
        "category": shown.category,
        "author": article.author.username,
        "version": shown.number,
        "published_at": article.published_at,
        "_shown": shown,
    }


def _detail(article: Article, user) -> dict:
    item = _item(article, user)
    shown = item.pop("_shown")
    visible_cases = case_access.cases_visible_to(user).values("pk")
    return {
        **item,
        "symptom": shown.symptom,
        "cause": shown.cause,
        "solution": shown.solution,
        "product_versions": shown.product_versions,
        "tags": shown.tag_list,
        "language": shown.language,
        "current_version": article.current_version,
        "published_version": article.published_version,
        "review_note": article.review_note if access.sees_working_copy(article, user) else "",
        "source_cases": list(
            article.source_cases.filter(pk__in=visible_cases).values_list("pk", flat=True)
        ),
        "reuse_count": article.reuses.count(),
        "helpful_votes": article.votes.count(),
        "actions": [str(action) for action in services.available_actions(article, user)],
    }


def _readable(request: HttpRequest, article_id: int) -> Article:
    return access.access_article(current_user(request), article_id)


@router.get("/articles", response={200: page_of(ArticleItem), 400: Problem, 401: Problem})
def list_articles(
    request: HttpRequest, filters: Query[ArticleFilters], page: Query[PageParams]
) -> dict:
    """Articles the caller may read, newest first. To rank by words, use `/articles/search`."""
    user = current_user(request)
    articles = _filtered(user, filters)
    result = paginate(articles.select_related("author", "product"), page)
    shown_versions = services.shown_versions(result["items"], user)
    result["items"] = [
        _item(article, user, shown_versions[article.pk]) for article in result["items"]
    ]
    return result


def _filtered(user, filters):
    articles = access.articles_visible_to(user)
    if filters.product_id:
        articles = articles.filter(product_id=filters.product_id)
    if filters.category:
        articles = articles.filter(category=filters.category)
    if filters.state:
        articles = articles.filter(state=filters.state)
    return articles


@router.get("/articles/search", response={200: list[SearchHit], 401: Problem})
def search_articles(request: HttpRequest, filters: Query[ArticleSearchParams]) -> list[dict]:
    """The best matches for `q`, best first, with highlighted title and snippet (at most
    `limit`; relevance order has no cursor)."""
    user = current_user(request)
    hits = []
    articles = _filtered(user, filters).select_related("author", "product")
    marker = search.Highlighter(filters.q)
    results = search.search(search.ARTICLES, articles, filters.q, limit=filters.limit)
    confident = search.is_confident(results)
    shown_versions = services.shown_versions(results, user)
    for article in results:
        item = _item(article, user, shown_versions[article.pk])
        shown = item.pop("_shown")
        hits.append(
            {
                **item,
                "score": article.score,
                "title_html": marker.highlight(shown.title),
                "snippet_html": marker.snippet([shown.symptom, shown.solution]),
                "confident": confident,
            }
        )
    return hits


@router.get("/articles/{int:article_id}", response={200: ArticleDetail, **READ_ERRORS})
def get_article(request: HttpRequest, article_id: int) -> dict:
    return _detail(_readable(request, article_id), current_user(request))


def _product(product_id: int | None) -> Product | None:
    return get_object_or_404(Product, pk=product_id) if product_id else None


@router.post("/articles", response={201: ArticleDetail, **WRITE_ERRORS})
def create_article(request: HttpRequest, payload: ArticleIn):
    """Write a draft; `source_case_ids` link the cases it came from (each must be visible)."""
    user = current_user(request)
    data = payload.dict()
    cases = [case_access.access_case(user, pk) for pk in data.pop("source_case_ids")]
    product = _product(data.pop("product_id"))
    article = services.create_article(
        by=user, now=timezone.now(), product=product, source_cases=cases, **data
    )
    return Status(201, _detail(article, user))


@router.patch("/articles/{int:article_id}", response={200: ArticleDetail, **WRITE_ERRORS})
def update_article(request: HttpRequest, article_id: int, payload: ArticlePatch):
    """Save a new version with the fields sent; a published article gets a revision draft."""
    user = current_user(request)
    article = _readable(request, article_id)
    changes = payload.dict(exclude_unset=True)
    note = changes.pop("note", "")
    if "product_id" in changes:
        changes["product"] = _product(changes.pop("product_id"))
    article = services.update_article(article, by=user, now=timezone.now(), note=note, **changes)
    return _detail(article, user)


@router.post("/articles/{int:article_id}/actions", response={200: ArticleDetail, **WRITE_ERRORS})
def take_action(request: HttpRequest, article_id: int, payload: ActionIn):
    """submit, approve, request_changes (needs `note`) or archive."""
    user = current_user(request)
    article = services.act(
        _readable(request, article_id),
        action=payload.action,
        by=user,
        now=timezone.now(),
        note=payload.note,
    )
    return _detail(article, user)


@router.post("/articles/{int:article_id}/reuses", response={201: Counted, **WRITE_ERRORS})
def record_reuse(request: HttpRequest, article_id: int, payload: ReuseIn):
    """“This solved my case”: counted once per case."""
    user = current_user(request)
    article = _readable(request, article_id)
    case = case_access.access_case(user, payload.case_id)
    services.record_reuse(article, case=case, by=user, now=timezone.now())
    return Status(201, _counts(article))


@router.post("/articles/{int:article_id}/votes", response={201: Counted, **WRITE_ERRORS})
def vote_helpful(request: HttpRequest, article_id: int):
    """One helpful vote per person."""
    user = current_user(request)
    article = _readable(request, article_id)
    services.vote_helpful(article, by=user, now=timezone.now())
    return Status(201, _counts(article))


def _counts(article: Article) -> dict:
    return {"reuse_count": article.reuses.count(), "helpful_votes": article.votes.count()}


@router.get("/cases/search", response={200: list[CaseHit], 401: Problem})
def search_case_text(request: HttpRequest, params: Query[SearchParams]) -> list[dict]:
    """Cases the caller may see, ranked by the words of `q`."""
    user = current_user(request)
    marker = search.Highlighter(params.q)
    return [
        {
            "id": case.pk,
            "reference": case.reference,
            "title": case.title,
            "status": case.status,
            "score": case.score,
            "title_html": marker.highlight(case.title),
            "snippet_html": marker.snippet([case.description, case.resolution]),
        }
        for case in search_cases(user, params.q, limit=params.limit)
    ]


# --- suggestions while a case is written ---------------------------------------------------


class SuggestionParams(Schema):
    title: str = Field("", max_length=200)
    description: str = Field("", max_length=2000, description="Only its start is used.")
    product: int | None = Field(None, description="Product id; its articles rank higher.")
    limit: int = Field(5, ge=1, le=20)


class Suggestion(Schema):
    id: int
    reference: str
    title: str
    snippet: str = Field(description="A plain-text extract around the matched words.")
    url: str
    score: float = Field(description="Relevance; higher is better. Only comparable within a list.")


class SuggestionsOut(Schema):
    articles: list[Suggestion]
    cases: list[Suggestion]


@router.get("/suggestions", response={200: SuggestionsOut, 401: Problem, 422: Problem})
def case_suggestions(request: HttpRequest, params: Query[SuggestionParams]) -> dict:
    """Published articles and resolved or closed cases the caller may read that match a case
    being written (the title weighs more than the description), best first."""
    from html import unescape

    from django.urls import reverse
    from django.utils.html import strip_tags

    from tierdesk.knowledge.suggestions import suggest

    found = suggest(
        user=current_user(request),
        title=params.title,
        description=params.description,
        product=params.product,
        limit=params.limit,
    )

    def plain(item, url: str) -> dict:
        return {
            "id": item.id,
            "reference": item.reference,
            "title": item.title,
            "snippet": unescape(strip_tags(item.snippet_html)),
            "url": request.build_absolute_uri(url),
            "score": item.score,
        }

    return {
        "articles": [
            plain(item, reverse("knowledge:detail", args=[item.id])) for item in found.articles
        ],
        "cases": [plain(item, reverse("cases:detail", args=[item.id])) for item in found.cases],
    }
