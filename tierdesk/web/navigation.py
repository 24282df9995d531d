"""The menu each person sees, built from their roles."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from tierdesk.assessment.permissions import may_read_assessment
from tierdesk.audit.access import may_read_audit
from tierdesk.followups.permissions import may_use_follow_ups
from tierdesk.mailin.access import may_triage
from tierdesk.onsite import access as onsite_access
from tierdesk.organization import permissions
from tierdesk.quality import access as quality_access
from tierdesk.reports.access import may_read_reports
from tierdesk.transfer.access import may_import
from tierdesk.vendors import access as vendor_access
from tierdesk.webhooks.permissions import may_manage_webhooks


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    name: str


# The menu's URLs never change while the process runs, except with the script prefix or the
# urlconf (per request, or overridden in tests); reversing ~15 names on every page showed in the
# profile.
_reversed: dict[tuple, str] = {}


def _url(name: str) -> str:
    key = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, name)
    url = _reversed.get(key)
    if url is None:
        url = _reversed[key] = reverse(name)
    return url


def menu_for(user) -> list[MenuItem]:
    if not user.is_authenticated:
        return []
    items = [MenuItem(_("Home"), _url("home"), "home")]
    items.append(MenuItem(_("Cases"), _url("cases:queue"), "queue"))
    if permissions.is_line1(user):
        items.append(MenuItem(_("New case"), _url("cases:new"), "new"))
    if permissions.is_line2(user) or permissions.sees_everything(user):
        items.append(MenuItem(_("Problems"), _url("cases:problems"), "problems"))
    if onsite_access.may_use_onsite(user):
        items.append(MenuItem(_("On-site support"), _url("onsite:applications"), "applications"))
    if quality_access.may_use_quality(user):
        items.append(MenuItem(_("Quality feedback"), _url("quality:feedbacks"), "feedbacks"))
    if vendor_access.may_use_vendor_records(user):
        items.append(MenuItem(_("Vendor coordination"), _url("vendors:records"), "records"))
    if may_use_follow_ups(user):
        items.append(MenuItem(_("Follow-ups"), _url("followups:follow_ups"), "follow_ups"))
    if may_triage(user):
        items.append(MenuItem(_("Mail triage"), _url("mailin:triage"), "mail_triage"))
    items.append(MenuItem(_("Knowledge base"), _url("knowledge:articles"), "articles"))
    if not permissions.is_vendor_contact(user):
        items.append(MenuItem(_("Trainings"), _url("trainings:sessions"), "sessions"))
    if may_read_reports(user):
        items.append(MenuItem(_("Reports"), _url("reports:index"), "region"))
    if may_read_assessment(user):
        items.append(MenuItem(_("Quarterly assessment"), _url("assessment:list"), "list"))
    items.append(MenuItem(_("Process chart"), _url("process_chart"), "process_chart"))
    items.append(MenuItem(_("Notifications"), _url("notifications:preferences"), "preferences"))
    if may_manage_webhooks(user):
        items.append(MenuItem(_("Webhooks"), _url("webhooks:subscriptions"), "subscriptions"))
    if may_import(user):
        items.append(MenuItem(_("Import"), _url("transfer:imports"), "imports"))
    if may_read_audit(user):
        items.append(MenuItem(_("Audit log"), _url("audit:changes"), "changes"))
    if user.is_staff and permissions.can_manage_organization(user):
        items.append(MenuItem(_("Administration"), _url("admin:index"), "admin"))
    return items


def render_menu(items: list[MenuItem], active_name: str | None):
    """The menu's list items; the entry of the page being shown is marked active."""
    return format_html_join(
        "\n",
        '<li class="nav-item"><a class="nav-link{}" href="{}"{}>{}</a></li>',
        (
            (
                " active" if item.name == active_name else "",
                item.url,
                mark_safe(' aria-current="page"') if item.name == active_name else "",
                item.label,
            )
            for item in items
        ),
    )
