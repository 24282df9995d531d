"""`{% knowledge_case_panel case %}`: the case page's link to the knowledge base."""

from django import template

from tierdesk.cases import panels
from tierdesk.cases.enums import Status
from tierdesk.knowledge import access

register = template.Library()


@register.inclusion_tag("knowledge/case_panel_body.html", takes_context=True)
def knowledge_case_panel(context, case) -> dict:
    user = context["request"].user
    if not access.may_read_knowledge(user):
        return {"show": False}
    solved_by = written = ()
    if panels.has_records(case, "knowledge_reuse"):
        visible = access.articles_visible_to(user)
        solved_by = case.article_reuses.filter(article__in=visible).select_related("article")
    if panels.has_records(case, "knowledge_source"):
        written = access.articles_visible_to(user).filter(source_cases=case)
    may_write = access.may_write_articles(user) and case.status in (
        Status.RESOLVED,
        Status.CLOSED,
    )
    return {
        "show": bool(may_write or solved_by or written),
        "case": case,
        "solved_by": list(solved_by),
        "written": list(written),
        "may_write": may_write,
    }
