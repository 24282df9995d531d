"""`{% follow_up_panel case %}`: the case's latest follow-up, for the case page."""

from django import template
from django.utils import timezone

from tierdesk.cases import panels
from tierdesk.followups.permissions import follow_ups_visible_to

register = template.Library()


@register.inclusion_tag("followups/panel.html", takes_context=True)
def follow_up_panel(context, case) -> dict:
    user = context["request"].user
    if not panels.has_records(case, "followups"):
        return {"follow_up": None, "now": timezone.now()}
    # The panel names the assignee only: joining every relation the follow-up pages show cost
    # PostgreSQL more to plan than the case page's other queries together.
    latest = (
        follow_ups_visible_to(user)
        .select_related(None)
        .select_related("assignee")
        .filter(case=case)
        .order_by("-id")
        .first()
    )
    return {"follow_up": latest, "now": timezone.now()}
