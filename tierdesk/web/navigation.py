"""The menu each person sees, built from their roles."""

from dataclasses import dataclass

from django.urls import reverse
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


def menu_for(user) -> list[MenuItem]:
    if not user.is_authenticated:
        return []
    items = [MenuItem(_("Home"), reverse("home"), "home")]
    items.append(MenuItem(_("Cases"), reverse("cases:queue"), "queue"))
    if permissions.is_line1(user):
        items.append(MenuItem(_("New case"), reverse("cases:new"), "new"))
    if permissions.is_line2(user) or permissions.sees_everything(user):
        items.append(MenuItem(_("Problems"), reverse("cases:problems"), "problems"))
    if onsite_access.may_use_onsite(user):
        items.append(MenuItem(_("On-site support"), reverse("onsite:applications"), "applications"))
    if quality_access.may_use_quality(user):
        items.append(MenuItem(_("Quality feedback"), reverse("quality:feedbacks"), "feedbacks"))
    if vendor_access.may_use_vendor_records(user):
        items.append(MenuItem(_("Vendor coordination"), reverse("vendors:records"), "records"))
    if may_use_follow_ups(user):
        items.append(MenuItem(_("Follow-ups"), reverse("followups:follow_ups"), "follow_ups"))
    if may_triage(user):
        items.append(MenuItem(_("Mail triage"), reverse("mailin:triage"), "mail_triage"))
    items.append(MenuItem(_("Knowledge base"), reverse("knowledge:articles"), "articles"))
    if not permissions.is_vendor_contact(user):
        items.append(MenuItem(_("Trainings"), reverse("trainings:sessions"), "sessions"))
    if may_read_reports(user):
        items.append(MenuItem(_("Reports"), reverse("reports:index"), "region"))
    if may_read_assessment(user):
        items.append(MenuItem(_("Quarterly assessment"), reverse("assessment:list"), "list"))
    items.append(MenuItem(_("Process chart"), reverse("process_chart"), "process_chart"))
    items.append(MenuItem(_("Notifications"), reverse("notifications:preferences"), "preferences"))
    if may_manage_webhooks(user):
        items.append(MenuItem(_("Webhooks"), reverse("webhooks:subscriptions"), "subscriptions"))
    if may_import(user):
        items.append(MenuItem(_("Import"), reverse("transfer:imports"), "imports"))
    if may_read_audit(user):
        items.append(MenuItem(_("Audit log"), reverse("audit:changes"), "changes"))
    if user.is_staff and permissions.can_manage_organization(user):
        items.append(MenuItem(_("Administration"), reverse("admin:index"), "admin"))
    return items
