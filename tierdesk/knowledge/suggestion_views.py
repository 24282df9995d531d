"""The side panel of the new-case page: what to read, refreshed while the case is typed."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tierdesk.knowledge.suggestions import suggest

MAX_TITLE = 200
MAX_DESCRIPTION = 2000


def _product_id(raw: str) -> int | None:
    # A half-filled form sends an empty or odd value; it only stops the product boost.
    return int(raw) if raw.isdigit() else None


@login_required
@require_GET
def suggestions_panel(request):
    """An HTML fragment: articles and solved cases for the title, description and product."""
    title = request.GET.get("title", "")[:MAX_TITLE]
    description = request.GET.get("description", "")[:MAX_DESCRIPTION]
    found = suggest(
        user=request.user,
        title=title,
        description=description,
        product=_product_id(request.GET.get("product", "")),
    )
    return render(
        request,
        "knowledge/suggestions.html",
        {"suggestions": found, "typed": bool(title.strip() or description.strip())},
    )
