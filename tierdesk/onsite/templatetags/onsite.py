"""The case page's panel of on-site applications; the case view stays unaware of them."""

from django import template

from tierdesk.cases import panels
from tierdesk.onsite import access

register = template.Library()


@register.inclusion_tag("onsite/_case_panel_body.html")
def onsite_case_panel(case, user):
    """`{% onsite_case_panel case request.user %}`: the case's applications this person sees."""
    if not access.may_use_onsite(user):
        return {"shown": False}
    applications = ()
    if panels.has_records(case, "onsite"):
        applications = access.applications_of_seen_case(case, user).order_by("-id")
    return {
        "shown": True,
        "case": case,
        "onsite_applications": list(applications),
        "may_apply": access.may_apply(case, user),
    }
