"""Who may read the audit trail: the people who answer for the organization's settings."""

from tierdesk.organization.models import RoleCode, User


def may_read_audit(user: User) -> bool:
    return user.is_authenticated and (
        user.is_superuser or user.has_role(RoleCode.ADMINISTRATOR, RoleCode.SUPERVISOR)
    )
