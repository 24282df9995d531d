"""Every change to an article: writing, revising, the review workflow, reuse and votes.

Web pages and the API call these functions. Each saves a version when the text changes and
rewrites the article's search index row in the same transaction, so the index never shows an
article as it was not.
"""

import difflib
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tierdesk.cases import access as case_access
from tierdesk.cases.models import Case
from tierdesk.knowledge import access, search
from tierdesk.knowledge.models import (
    VERSIONED_FIELDS,
    Article,
    ArticleAction,
    ArticleReuse,
    ArticleState,
    ArticleVersion,
    ArticleVote,
)
from tierdesk.organization.models import User

# The review workflow as data: (state, action) -> new state.
TRANSITIONS = {
    (ArticleState.DRAFT, ArticleAction.SUBMIT): ArticleState.IN_REVIEW,
    (ArticleState.IN_REVIEW, ArticleAction.APPROVE): ArticleState.PUBLISHED,
    (ArticleState.IN_REVIEW, ArticleAction.REQUEST_CHANGES): ArticleState.DRAFT,
    (ArticleState.PUBLISHED, ArticleAction.ARCHIVE): ArticleState.ARCHIVED,
    (ArticleState.DRAFT, ArticleAction.ARCHIVE): ArticleState.ARCHIVED,
}
# Who takes each action: the author's side or the reviewers (line 2).
ACTION_ROLES = {
    ArticleAction.SUBMIT: "author",
    ArticleAction.APPROVE: "reviewer",
    ArticleAction.REQUEST_CHANGES: "reviewer",
    ArticleAction.ARCHIVE: "reviewer",
}
# Actions that need a note: the author must know what to change.
NOTE_REQUIRED = {ArticleAction.REQUEST_CHANGES}


def available_actions(article: Article, user: User) -> list[ArticleAction]:
    return [
        ArticleAction(action)
        for (state, action) in TRANSITIONS
        if state == article.state and access.may_take(article, action, user)
    ]


# --- index -----------------------------------------------------------------------------------


def readers_version(article: Article) -> ArticleVersion:
    """The version most people read: the published one, else the latest."""
    number = article.published_version or article.current_version
    return article.versions.select_related("product", "author").get(number=number)


SHOWN_VERSIONS_PER_QUERY = 200


def shown_versions(articles: list[Article], user: User) -> dict[int, ArticleVersion]:
    """Per article id, the version this person reads; the author and reviewers read the latest
    version, everyone else the published text. Each article gets `shown_state`, the state of
    the version shown (a reader of a published article under revision reads a published text).

    An article's own fields are its latest version (the services write both at once), so the
    latest version is given without a query: an unsaved version holding the article's content
    and number (not who saved it, nor when). Only the published text of an article under
    revision is read, in one query per few hundred articles."""
    wanted: dict[int, int] = {}
    shown = {}
    for article in articles:
        if access.sees_working_copy(article, user):
            article.shown_state = ArticleState(article.state)
            wanted[article.pk] = article.current_version
        else:
            article.shown_state = ArticleState.PUBLISHED
            wanted[article.pk] = article.published_version or article.current_version
        if wanted[article.pk] == article.current_version:
            shown[article.pk] = _latest_version(article)
    ids = [pk for pk in wanted if pk not in shown]
    for start in range(0, len(ids), SHOWN_VERSIONS_PER_QUERY):
        chunk = ids[start : start + SHOWN_VERSIONS_PER_QUERY]
        # A plain IN on both columns asks for a few versions too many (another article's
        # number), dropped here: far cheaper to plan than one condition per article.
        versions = ArticleVersion.objects.filter(
            article_id__in=chunk, number__in={wanted[pk] for pk in chunk}
        ).select_related("product", "author")
        for version in versions:
            if wanted[version.article_id] == version.number:
                shown[version.article_id] = version
    return shown


def _latest_version(article: Article) -> ArticleVersion:
    content = {name: getattr(article, name) for name in VERSIONED_FIELDS if name != "product"}
    version = ArticleVersion(
        article=article, number=article.current_version, product_id=article.product_id, **content
    )
    if Article.product.is_cached(article):
        ArticleVersion.product.field.set_cached_value(version, article.product)
    return version


def index_article(article: Article) -> None:
    """Index the text readers see: a revision in progress is not findable before approval."""
    shown = readers_version(article)
    body = "\n".join(
        [shown.cause, shown.solution, shown.tags, shown.product_versions, str(shown.product or "")]
    )
    search.put_document(
        search.ARTICLES, pk=article.pk, title=shown.title, symptom=shown.symptom, body=body
    )


# --- writing ---------------------------------------------------------------------------------


def _save_version(article: Article, *, by: User, now: datetime, note: str) -> ArticleVersion:
    version = ArticleVersion(
        article=article,
        number=article.current_version,
        author=by,
        created_at=now,
        note=note,
        **{name: getattr(article, name) for name in VERSIONED_FIELDS},
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def create_article(
    *,
    by: User,
    now: datetime,
    title: str,
    symptom: str,
    solution: str,
    cause: str = "",
    product=None,
    product_versions: str = "",
    tags: str = "",
    category: str = "other",
    language: str = "zh-hans",
    source_cases: list[Case] | tuple = (),
    note: str = "",
) -> Article:
    if not access.may_write_articles(by):
        raise PermissionDenied(_("You may not write knowledge-base articles."))
    for case in source_cases:
        if not case_access.may_see(case, by):
            raise PermissionDenied(_("You may not see this case."))
    article = Article(
        title=title,
        symptom=symptom,
        cause=cause,
        solution=solution,
        product=product,
        product_versions=product_versions,
        tags=tags,
        category=category,
        language=language,
        author=by,
        state=ArticleState.DRAFT,
        current_version=1,
        created_at=now,
        updated_at=now,
    )
    article.full_clean()
    article.save()
    article.source_cases.set(source_cases)
    _save_version(article, by=by, now=now, note=note)
    index_article(article)
    return article


@transaction.atomic
def update_article(article: Article, *, by: User, now: datetime, note: str = "", **changes):
    """Save a new version. Revising a published article starts a draft beside it: readers
    keep the published text until the revision is approved."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not access.may_edit(article, by):
        raise PermissionDenied(_("You may not edit this article now."))
    unknown = set(changes) - set(VERSIONED_FIELDS)
    if unknown:
        raise ValueError(f"not article fields: {sorted(unknown)}")
    changed = [name for name, value in changes.items() if getattr(article, name) != value]
    if not changed:
        return article
    for name in changed:
        setattr(article, name, changes[name])
    article.current_version += 1
    article.state = ArticleState.DRAFT
    article.updated_at = now
    article.full_clean()
    article.save()
    _save_version(article, by=by, now=now, note=note)
    index_article(article)
    return article


@transaction.atomic
def act(article: Article, *, action: str, by: User, now: datetime, note: str = "") -> Article:
    """Take one step of the review workflow."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    target = TRANSITIONS.get((article.state, action))
    if target is None:
        raise ValidationError(
            {
                "action": _("“%(action)s” is not possible while the article is “%(state)s”.")
                % {"action": ArticleAction(action).label, "state": article.get_state_display()}
            }
        )
    if not access.may_take(article, action, by):
        raise PermissionDenied(_("You may not do this on this article."))
    if action in NOTE_REQUIRED and not note.strip():
        raise ValidationError({"note": _("Say what should change.")})
    article.state = target
    article.updated_at = now
    if action == ArticleAction.SUBMIT:
        article.review_note = ""
    elif action in (ArticleAction.APPROVE, ArticleAction.REQUEST_CHANGES):
        article.reviewer = by
        article.review_note = note
    if action == ArticleAction.APPROVE:
        article.published_version = article.current_version
        article.published_at = now
    article.save()
    index_article(article)
    return article


def draft_from_case(case: Case) -> dict:
    """The fields of a new article prefilled from a resolved case."""
    return {
        "title": case.title,
        "product": case.product,
        "product_versions": case.product_version.version if case.product_version else "",
        "symptom": case.description,
        "solution": case.resolution,
        "category": "other",
    }


# --- reuse and votes -------------------------------------------------------------------------


@transaction.atomic
def record_reuse(article: Article, *, case: Case, by: User, now: datetime) -> ArticleReuse:
    """“This solved my case”; saying it twice for the same case counts once."""
    if not article.is_public:
        raise ValidationError(_("Only a published article can be marked as having solved a case."))
    if not access.may_reuse(by) or not case_access.may_see(case, by):
        raise PermissionDenied(_("You may not see this case."))
    reuse, _created = ArticleReuse.objects.get_or_create(
        article=article, case=case, defaults={"user": by, "at": now}
    )
    return reuse


@transaction.atomic
def vote_helpful(article: Article, *, by: User, now: datetime) -> ArticleVote:
    """One helpful vote per person; voting again changes nothing."""
    if not article.is_public:
        raise ValidationError(_("Only a published article can be voted helpful."))
    if not access.may_read_knowledge(by):
        raise PermissionDenied(_("You may not vote on this article."))
    vote, _created = ArticleVote.objects.get_or_create(
        article=article, user=by, defaults={"at": now}
    )
    return vote


# --- versions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    lines: list[tuple[str, str]]  # ("+" added, "-" removed, " " kept, "@" position), text


def diff_versions(old: ArticleVersion, new: ArticleVersion) -> list[FieldDiff]:
    """What changed between two versions, field by field, as lines; the template escapes."""
    result = []
    for name in VERSIONED_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if name in ("category", "language"):
            before = getattr(old, f"get_{name}_display")()
            after = getattr(new, f"get_{name}_display")()
        before, after = str(before or ""), str(after or "")
        if before == after:
            continue
        lines = []
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=2):
            if line.startswith(("---", "+++")):
                continue
            kind = "@" if line.startswith("@@") else line[:1]
            lines.append((kind, "…" if kind == "@" else line[1:]))
        label = ArticleVersion._meta.get_field(name).verbose_name
        result.append(FieldDiff(name=name, label=str(label), lines=lines))
    return result
