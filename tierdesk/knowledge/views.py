"""The browser pages of the knowledge base: parse the input, call the service, render."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tierdesk.cases import access as case_access
from tierdesk.cases.forms import show_errors
from tierdesk.knowledge import access, search, services
from tierdesk.knowledge.case_index import search_cases
from tierdesk.knowledge.forms import ActionForm, ArticleForm, ReuseForm, SearchForm
from tierdesk.knowledge.models import ArticleAction, ArticleState

RESULTS_PER_PAGE = 20
# Ranking scores at most search.SCORED_ROWS matching rows, so no ranked result lies past this
# page; the list of the latest changed articles stops there too.
LAST_PAGE = search.SCORED_ROWS // RESULTS_PER_PAGE


def matching_articles(user, chosen: dict, *, limit: int, offset: int = 0) -> list:
    """The articles this person may read matching the search form's words and filters: best
    first when words are given, else the latest changed first; `limit` of them after the first
    `offset`."""
    articles = access.articles_visible_to(user).select_related("product", "author")
    if chosen.get("product"):
        articles = articles.filter(product=chosen["product"])
    if chosen.get("category"):
        articles = articles.filter(category=chosen["category"])
    if chosen.get("state"):
        articles = articles.filter(state=chosen["state"])
    query = chosen.get("q", "").strip()
    if query:
        return search.search(search.ARTICLES, articles, query, limit=limit, offset=offset)
    return list(articles.order_by("-updated_at", "-id")[offset : offset + limit])


@dataclass(frozen=True)
class Pager:
    """Where a page of results sits among them, for its previous and next links."""

    page: int
    has_more: bool

    @property
    def first_number(self) -> int:
        return (self.page - 1) * RESULTS_PER_PAGE + 1

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.has_more else None


def _page_of(fetched: list, page: int) -> tuple[list, Pager]:
    """The page's results among those fetched: one more than a page is fetched, to know
    whether a next page exists."""
    return fetched[:RESULTS_PER_PAGE], Pager(page, len(fetched) > RESULTS_PER_PAGE)


def _page_number(raw: str | None) -> int:
    # Like Django's Paginator.get_page: a page link that is out of range or mangled opens the
    # nearest page rather than an error.
    try:
        return min(max(int(raw or 1), 1), LAST_PAGE)
    except ValueError:
        return 1


@login_required
def search_page(request):
    """Articles (or, with scope=cases, cases) matching the words, best first, with snippets,
    a page of RESULTS_PER_PAGE at a time."""
    form = SearchForm(request.GET or None)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    scope = chosen.get("scope") or "articles"
    if not access.may_read_knowledge(request.user):
        # Partner vendors have no knowledge base; the menu's page searches their cases.
        scope = "cases"
    query = chosen.get("q", "").strip()
    page = _page_number(request.GET.get("page"))
    window = {"limit": RESULTS_PER_PAGE + 1, "offset": (page - 1) * RESULTS_PER_PAGE}
    shown_form = form if form.is_bound else SearchForm()
    if scope == "cases":
        results, pager = _page_of(
            search_cases(request.user, query, **window) if query else [], page
        )
        marker = search.Highlighter(query)
        for case in results:
            case.title_html = marker.highlight(case.title)
            case.snippet = marker.snippet([case.description, case.resolution])
        return render(
            request,
            "knowledge/search.html",
            {"form": shown_form, "scope": scope, "query": query, "cases": results, "pager": pager},
        )
    fetched = matching_articles(request.user, chosen, **window)
    # Near misses are still listed, under a warning that none of them answers the words.
    unsure = page == 1 and bool(query and fetched) and not search.is_confident(fetched)
    results, pager = _page_of(fetched, page)
    marker = search.Highlighter(query)
    shown_versions = services.shown_versions(results, request.user)
    for article in results:
        shown = shown_versions[article.pk]
        article.shown = shown
        article.title_html = marker.highlight(shown.title)
        article.snippet = marker.snippet([shown.symptom, shown.solution, shown.cause])
    return render(
        request,
        "knowledge/search.html",
        {
            "form": shown_form,
            "scope": scope,
            "query": query,
            "articles": results,
            "pager": pager,
            "unsure": unsure,
            "may_write": access.may_write_articles(request.user),
        },
    )


def _shown_version(article, user):
    return services.shown_versions([article], user)[article.pk]


@login_required
def detail(request, pk: int, bound_action=None, reuse_form=None, status=200):
    user = request.user
    article = access.access_article(user, pk)
    shown = _shown_version(article, user)
    versions = list(article.versions.select_related("author"))
    diff = None
    numbers = {v.number: v for v in versions}
    old, new = request.GET.get("from", ""), request.GET.get("to", "")
    if old.isdigit() and new.isdigit() and access.sees_working_copy(article, user):
        if int(old) not in numbers or int(new) not in numbers:
            raise Http404
        diff = {
            "old": numbers[int(old)],
            "new": numbers[int(new)],
            "fields": services.diff_versions(numbers[int(old)], numbers[int(new)]),
        }
    actions = [
        (
            action,
            bound_action
            if bound_action and bound_action.data.get("action") == action
            else ActionForm(initial={"action": action}, auto_id=f"id_{action}_%s"),
        )
        for action in services.available_actions(article, user)
    ]
    context = {
        "article": article,
        "shown": shown,
        "shown_state": article.shown_state,
        "versions": versions if access.sees_working_copy(article, user) else [],
        "diff": diff,
        "actions": actions,
        "may_edit": access.may_edit(article, user),
        "reuse_count": article.reuses.count(),
        "vote_count": article.votes.count(),
        "voted": article.votes.filter(user=user).exists(),
        "reuses": article.reuses.filter(case__in=case_access.cases_visible_to(user)).select_related(
            "case", "user"
        ),
        "reuse_form": reuse_form or ReuseForm(),
        "source_cases": article.source_cases.filter(
            pk__in=case_access.cases_visible_to(user).values("pk")
        ),
    }
    return render(request, "knowledge/detail.html", context, status=status)


@login_required
def new_article(request, case_pk: int | None = None):
    user = request.user
    if not access.may_write_articles(user):
        raise PermissionDenied
    case = case_access.access_case(user, case_pk) if case_pk else None
    initial = services.draft_from_case(case) if case else {}
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        note = data.pop("note", "")
        try:
            article = services.create_article(
                by=user, now=timezone.now(), source_cases=[case] if case else [], note=note, **data
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request, _("Draft %(reference)s saved.") % {"reference": article.reference}
            )
            return redirect("knowledge:detail", pk=article.pk)
    return render(request, "knowledge/edit.html", {"form": form, "case": case, "article": None})


@login_required
def edit(request, pk: int):
    user = request.user
    article = access.access_article(user, pk)
    if not access.may_edit(article, user):
        raise PermissionDenied
    form = ArticleForm(request.POST or None, instance=_shown_version(article, user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        note = data.pop("note", "")
        try:
            services.update_article(article, by=user, now=timezone.now(), note=note, **data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("New version saved."))
            return redirect("knowledge:detail", pk=article.pk)
    return render(request, "knowledge/edit.html", {"form": form, "case": None, "article": article})


@login_required
@require_POST
def act(request, pk: int):
    user = request.user
    article = access.access_article(user, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return detail(request, pk, bound_action=form, status=400)
    action = form.cleaned_data["action"]
    try:
        services.act(
            article, action=action, by=user, now=timezone.now(), note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        show_errors(form, error)
        return detail(request, pk, bound_action=form, status=400)
    messages.success(request, _("%(action)s: done.") % {"action": ArticleAction(action).label})
    return redirect("knowledge:detail", pk=pk)


@login_required
@require_POST
def reuse(request, pk: int):
    user = request.user
    article = access.access_article(user, pk)
    form = ReuseForm(request.POST)
    if form.is_valid():
        case = case_access.cases_visible_to(user).filter(pk=form.cleaned_data["case"]).first()
        if case is None:
            form.add_error("case", _("No case with this number that you may see."))
        else:
            try:
                services.record_reuse(article, case=case, by=user, now=timezone.now())
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(
                    request, _("Recorded: this article solved %(case)s.") % {"case": case.reference}
                )
                return redirect("knowledge:detail", pk=pk)
    return detail(request, pk, reuse_form=form, status=400)


@login_required
@require_POST
def vote(request, pk: int):
    user = request.user
    article = access.access_article(user, pk)
    try:
        services.vote_helpful(article, by=user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: your vote is counted."))
    return redirect("knowledge:detail", pk=pk)


@login_required
def review_queue(request):
    if not access.is_reviewer(request.user):
        raise PermissionDenied
    articles = (
        access.articles_visible_to(request.user)
        .awaiting_review()
        .select_related("author", "author__region", "product")
        .order_by("updated_at", "id")
    )
    return render(request, "knowledge/review.html", {"articles": articles, "state": ArticleState})
