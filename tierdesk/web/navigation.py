"""The menu each person sees, built from their roles."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tierdesk.organization import permissions


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
    items.append(MenuItem(_("Process chart"), reverse("process_chart"), "process_chart"))
    if user.is_staff and permissions.can_manage_organization(user):
        items.append(MenuItem(_("Administration"), reverse("admin:index"), "admin"))
    return items
