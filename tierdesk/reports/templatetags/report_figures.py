from django import template

from tierdesk.reports import formatting

register = template.Library()

register.filter("hours_minutes", formatting.hours_minutes)
register.filter("percent", formatting.percent)
register.filter("score", formatting.score)
register.filter("figure", formatting.figure)
