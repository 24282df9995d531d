"""Parts of the case pages that are built in Python because they repeat on every row.

The queue shows up to fifty rows on the page people reload most; per row the template engine
spent more on `{% url %}`, `|date` and attribute lookups than the database spent on the query.
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from tierdesk.cases.enums import Status
from tierdesk.cases.models import case_reference, is_overdue
from tierdesk.organization.models import bilingual_name, person_name

register = template.Library()

NO_VALUE = "—"
MINUTES = "%Y-%m-%d %H:%M"


def local_minutes(moment) -> str:
    """A moment as the `|date:"Y-m-d H:i"` filter shows it: in the current time zone."""
    if moment is None:
        return NO_VALUE
    return timezone.localtime(moment).strftime(MINUTES)


def detail_url_maker():
    """A function pk -> the case page's URL, reversing the pattern once instead of per row."""
    head, tail = reverse("cases:detail", args=[0]).rsplit("0", 1)
    return lambda pk: f"{head}{pk}{tail}"


@register.simple_tag
def queue_rows(cases, now) -> SafeString:
    """The queue table's rows: reference link, title, status, priority, region, owner,
    resolution due (marked when overdue) and last update, in local time.

    `cases` are plain values (cases.views.QUEUE_ROW_VALUES), named as the models name them."""
    if not cases:
        return format_html(
            '<tr><td colspan="8" class="text-body-secondary">{}</td></tr>',
            gettext("No cases here."),
        )
    detail_url = detail_url_maker()
    status_labels = {value: str(label) for value, label in Status.choices}
    region_names = {}
    rows = []
    for case in cases:
        region = region_names.get(case["region_id"])
        if region is None:
            name = bilingual_name(case["region__name"], case["region__name_en"])
            region = region_names[case["region_id"]] = escape(name)
        late = is_overdue(case["status"], case["resolve_due_at"], now)
        overdue = ' class="text-danger fw-bold" data-overdue' if late else ""
        owner = NO_VALUE
        if case["owner_id"]:
            owner = escape(
                person_name(
                    case["owner__username"], case["owner__first_name"], case["owner__last_name"]
                )
            )
        updated = local_minutes(case["updated_at"]) if case["updated_at"] else ""
        pk, status = case["id"], case["status"]
        # Plain f-strings with the values escaped one by one: format_html per cell cost more
        # than the rest of the row.
        rows.append(
            f'<tr data-case="{pk}">'
            f'<td><a href="{detail_url(pk)}">{case_reference(pk)}</a></td>'
            f"<td>{escape(case['title'])}</td>"
            f"<td>{escape(status_labels.get(status, status))}</td>"
            f"<td>{escape(case['priority'])}</td><td>{region}</td><td>{owner}</td>"
            f"<td{overdue}>{local_minutes(case['resolve_due_at'])}</td><td>{updated}</td></tr>"
        )
    return mark_safe("\n".join(rows))
