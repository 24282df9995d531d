"""What to read while a case is being written: published articles and similar solved cases.

The title says what is wrong in a few words, so it weighs more than the description, of which
only the first part is used (the rest is mostly logs and history that would drown the fault).
A suggestion must come back while the engineer is still typing: one ranking query per index,
then one query for the texts of the few rows found, never one query per result.
"""

from dataclasses import dataclass, field

from django.db.models import F
from django.utils.safestring import SafeString

from tierdesk.cases.access import cases_visible_to
from tierdesk.cases.enums import Status
from tierdesk.knowledge import access, search
from tierdesk.knowledge.models import ArticleVersion
from tierdesk.organization.models import Product, User

DESCRIPTION_CHARS = 300  # the part of the description that usually names the fault
MAX_DESCRIPTION_WORDS = 12
TITLE_WEIGHT = 2.0
PRODUCT_BOOST = 1.5  # an article about the case's own product is worth half as much again
POOL_FACTOR = 4  # rank more than shown, so the description and the product can reorder them
SOLVED_STATUSES = [Status.RESOLVED, Status.CLOSED]


@dataclass(frozen=True)
class ArticleSuggestion:
    id: int
    reference: str
    title: str
    title_html: SafeString
    snippet_html: SafeString
    product: str
    score: float


@dataclass(frozen=True)
class CaseSuggestion:
    id: int
    reference: str
    title: str
    title_html: SafeString
    snippet_html: SafeString
    status: str
    score: float


@dataclass(frozen=True)
class Words:
    """The index words of what was typed: the title's, and the description's others."""

    vocab: search.Vocabulary
    title: list[str]
    description: list[str]


@dataclass(frozen=True)
class Suggestions:
    articles: list[ArticleSuggestion] = field(default_factory=list)
    cases: list[CaseSuggestion] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.articles or self.cases)


def query_text(title: str, description: str) -> str:
    """The text the suggestions answer: the title and the start of the description."""
    return f"{title.strip()}\n{description.strip()[:DESCRIPTION_CHARS]}".strip()


def _word_lists(vocab, title: str, description: str) -> tuple[list[str], list[str]]:
    title_words = search.query_words(title, vocab)
    seen = set(title_words)
    description_words = [
        word
        for word in search.query_words(description.strip()[:DESCRIPTION_CHARS], vocab)
        if word not in seen
    ][:MAX_DESCRIPTION_WORDS]
    return title_words, description_words


def _ranked(index, candidates, words: Words, *, pool: int) -> dict[int, float]:
    """The best `pool` candidates for the title's words (the description's when there is no
    title), each scored by its share of the best match's score."""
    ranked = search.ranked_ids(index, candidates, words.title or words.description, limit=pool)
    best = max((score for _pk, score in ranked), default=0.0)
    # In a tiny index every score can be zero; a match still counts.
    return {pk: (score / best if best > 0 else 1.0) for pk, score in ranked}


def _final_scores(found: dict[int, float], texts: dict[int, str], words: Words) -> dict[int, float]:
    """Reorder what the title found by how much of the description each text also says.

    The title names the fault, so its ranking weighs double; the description only decides
    between what the title found. Re-ranking a few texts here is cheaper than asking the index
    a second time, and keeps a long description from pulling in unrelated articles.
    """
    if not (words.title and words.description):
        return {pk: found[pk] for pk in texts}
    wanted = set(words.description)
    return {
        pk: TITLE_WEIGHT * found[pk] + len(wanted & set(words.vocab.words(text))) / len(wanted)
        for pk, text in texts.items()
    }


def suggest(
    *,
    user: User,
    title: str,
    description: str,
    product: Product | int | None = None,
    limit: int = 5,
) -> Suggestions:
    """Up to `limit` published articles and `limit` resolved or closed cases this person may
    read, best first, for a case being written with this title, description and product."""
    title, description = title or "", description or ""
    vocab = search.vocabulary()
    words = Words(vocab, *_word_lists(vocab, title, description))
    if not (words.title or words.description):
        return Suggestions()
    product_id = product.pk if isinstance(product, Product) else product
    marker = search.Highlighter(query_text(title, description))
    return Suggestions(
        articles=_articles(user, words, product_id=product_id, limit=limit, marker=marker),
        cases=_cases(user, words, limit=limit, marker=marker),
    )


def _articles(user, words: Words, *, product_id, limit, marker) -> list[ArticleSuggestion]:
    if not access.may_read_knowledge(user):
        return []
    candidates = access.articles_visible_to(user).public()
    found = _ranked(search.ARTICLES, candidates, words, pool=limit * POOL_FACTOR)
    if not found:
        return []
    # The text everyone reads is the published version, even while a revision is drafted.
    versions = {
        version.article_id: version
        for version in ArticleVersion.objects.filter(
            article_id__in=list(found), number=F("article__published_version")
        )
        .select_related("product")
        .only(
            "article_id",
            "title",
            "symptom",
            "solution",
            "cause",
            "product_id",
            "product__name",
        )
    }
    scores = _final_scores(
        found,
        {pk: f"{v.title}\n{v.symptom}\n{v.solution}\n{v.cause}" for pk, v in versions.items()},
        words,
    )
    for pk, version in versions.items():
        if product_id and version.product_id == product_id:
            scores[pk] *= PRODUCT_BOOST
    ranked = sorted(scores, key=lambda pk: (-scores[pk], -pk))[:limit]
    return [
        ArticleSuggestion(
            id=pk,
            reference=f"KB{pk:05d}",
            title=versions[pk].title,
            title_html=marker.highlight(versions[pk].title),
            snippet_html=marker.snippet(
                [versions[pk].symptom, versions[pk].solution, versions[pk].cause]
            ),
            product=versions[pk].product.name if versions[pk].product else "",
            score=round(scores[pk], 6),
        )
        for pk in ranked
    ]


def _cases(user, words: Words, *, limit, marker) -> list[CaseSuggestion]:
    candidates = cases_visible_to(user).filter(status__in=SOLVED_STATUSES)
    found = _ranked(search.CASES, candidates, words, pool=limit * POOL_FACTOR)
    if not found:
        return []
    cases = candidates.only("pk", "title", "description", "resolution", "status").in_bulk(
        list(found)
    )
    scores = _final_scores(
        found,
        {pk: f"{c.title}\n{c.description}\n{c.resolution}" for pk, c in cases.items()},
        words,
    )
    ranked = sorted(scores, key=lambda pk: (-scores[pk], -pk))[:limit]
    return [
        CaseSuggestion(
            id=pk,
            reference=cases[pk].reference,
            title=cases[pk].title,
            title_html=marker.highlight(cases[pk].title),
            snippet_html=marker.snippet([cases[pk].resolution, cases[pk].description]),
            status=cases[pk].get_status_display(),
            score=round(scores[pk], 6),
        )
        for pk in ranked
    ]
