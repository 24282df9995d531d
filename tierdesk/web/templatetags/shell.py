"""`{% main_menu %}`: the navigation bar's entries, written in Python (it is on every page)."""

from django import template

from tierdesk.web.navigation import render_menu

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return render_menu(context.get("menu") or [], match.url_name if match else None)
