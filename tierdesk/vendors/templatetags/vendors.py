"""The case page's panel of the vendor coordination; the case view stays unaware of it."""

from django import template
from django.utils import timezone

from tierdesk.vendors import access, services
from tierdesk.vendors.models import VendorCoordination

register = template.Library()


@register.inclusion_tag("vendors/_case_panel_body.html")
def vendor_case_panel(case, user):
    """`{% vendor_case_panel case request.user %}`: the ticket, targets and latest entries."""
    if not access.is_line3_case(case):
        return {"shown": False}
    now = timezone.now()
    record = VendorCoordination.objects.filter(case=case).select_related("vendor").first()
    entries = list(services.entries_visible_to(record, user).reverse()[:3]) if record else []
    return {
        "shown": True,
        "case": case,
        "record": record,
        "response_state": record.response_state(now) if record else None,
        "fix_state": record.fix_state(now) if record else None,
        "latest_entries": entries,
    }
