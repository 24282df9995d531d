"""Who may configure webhooks and read their delivery logs."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from tierdesk.organization import permissions
from tierdesk.organization.models import RoleCode, User
from tierdesk.webhooks.models import WebhookDelivery, WebhookSubscription


def may_manage_webhooks(user: User) -> bool:
    """Administrators and Engineering Service managers connect tierdesk to other systems.

    A webhook copies case data out of tierdesk, so the people who answer for line 2 and for the
    system decide where it goes; engineers, specialists and vendors do not.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    return permissions.can_manage_organization(user) or user.has_role(RoleCode.SERVICE_MANAGER)


def require_webhook_manager(user: User) -> None:
    if not may_manage_webhooks(user):
        raise PermissionDenied(_("Only administrators and Engineering Service managers do this."))


def access_subscription(user: User, pk: int) -> WebhookSubscription:
    require_webhook_manager(user)
    subscription = WebhookSubscription.objects.select_related("created_by").filter(pk=pk).first()
    if subscription is None:
        raise Http404
    return subscription


def access_delivery(subscription: WebhookSubscription, pk: int) -> WebhookDelivery:
    """A delivery of a subscription the person already reached through access_subscription."""
    delivery = WebhookDelivery.objects.filter(subscription=subscription, pk=pk).first()
    if delivery is None:
        raise Http404
    return delivery
