"""The case page's panel of quality feedback forms; the case view stays unaware of them."""

from django import template

from tierdesk.cases import panels
from tierdesk.quality import access

register = template.Library()


@register.inclusion_tag("quality/_case_panel_body.html")
def quality_case_panel(case, user):
    """`{% quality_case_panel case request.user %}`: the linked forms this person sees."""
    if not access.may_use_quality(user):
        return {"shown": False}
    feedbacks = ()
    if panels.has_records(case, "quality"):
        feedbacks = access.feedbacks_visible_to(user).filter(cases=case).order_by("-id")
    return {
        "shown": True,
        "case": case,
        "feedbacks": list(feedbacks),
        "may_raise": access.may_raise(user),
    }
