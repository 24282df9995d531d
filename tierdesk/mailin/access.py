"""Who may work the mail triage queue, and the getter that checks it before handing out a mail."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from tierdesk.mailin.models import InboundMessage
from tierdesk.organization import permissions
from tierdesk.organization.models import RoleCode, User


def may_triage(user: User) -> bool:
    """Regional support and line 2 turn mail into cases; oversight may step in."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.has_role(RoleCode.REGIONAL_SUPPORT)
        or permissions.is_line2(user)
        or permissions.sees_everything(user)
    )


def triage_messages_for(user: User):
    if not may_triage(user):
        raise PermissionDenied
    return InboundMessage.objects.in_triage().select_related(
        "sender_contact", "sender_user", "customer", "site", "product"
    )


def access_message(user: User, pk: int) -> InboundMessage:
    """A received mail, for the people who may triage; 403 for anyone else."""
    if not may_triage(user):
        raise PermissionDenied
    return get_object_or_404(
        InboundMessage.objects.select_related(
            "case", "sender_contact", "sender_user", "customer", "site", "product", "handled_by"
        ),
        pk=pk,
    )
