"""Who may import which data, and who may see an import's result."""

from django.http import Http404

from tierdesk.organization import permissions
from tierdesk.organization.models import RoleCode, User
from tierdesk.transfer.models import ImportBatch


def may_import(user: User, kind: str | None = None) -> bool:
    """Administrators keep the organization's data, and Engineering Service's managers move
    customers, products and past cases over from the desk they used before; both for every
    region, so no import is limited by the importer's region."""
    if not user.is_authenticated or not user.is_active or user.is_service_account:
        return False
    return permissions.can_manage_organization(user) or user.has_role(RoleCode.SERVICE_MANAGER)


def access_batch(user: User, pk: int) -> ImportBatch:
    """An import, for the person who uploaded it or an administrator; otherwise 404."""
    batch = ImportBatch.objects.select_related("created_by").filter(pk=pk).first()
    if batch is None or not may_import(user, batch.kind):
        raise Http404
    if batch.created_by_id != user.pk and not permissions.can_manage_organization(user):
        raise Http404
    return batch
