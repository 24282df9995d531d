"""Who may see and do what: the one place the rules about roles live.

Later capabilities (cases, forms, knowledge, reports) add their rules here, so the web views,
the API, the admin and the jobs all ask the same questions.
"""

from tierdesk.organization.models import RoleCode, User

LINE1_ROLES = frozenset({RoleCode.FIELD_ENGINEER, RoleCode.REGIONAL_SUPPORT})
LINE2_ROLES = frozenset({RoleCode.LINE2_ENGINEER, RoleCode.SERVICE_MANAGER})
SPECIALIST_ROLES = frozenset(
    {
        RoleCode.RD_ENGINEER,
        RoleCode.PRESALES_ENGINEER,
        RoleCode.PRODUCT_MANAGER,
        RoleCode.INTEGRATION_PRODUCT_MANAGER,
    }
)
# Regulation 6.3.2: partner vendors are reached only through pre-sales or an integration PM.
COORDINATOR_ROLES = frozenset({RoleCode.PRESALES_ENGINEER, RoleCode.INTEGRATION_PRODUCT_MANAGER})
OVERSIGHT_ROLES = frozenset({RoleCode.SUPERVISOR, RoleCode.ADMINISTRATOR})


def is_line1(user: User) -> bool:
    return user.has_role(*LINE1_ROLES)


def is_line2(user: User) -> bool:
    return user.has_role(*LINE2_ROLES)


def is_specialist(user: User) -> bool:
    return user.has_role(*SPECIALIST_ROLES)


def is_vendor_contact(user: User) -> bool:
    return user.has_role(RoleCode.VENDOR_CONTACT) and user.vendor_id is not None


def sees_everything(user: User) -> bool:
    # Service accounts cannot sign in; they act for jobs that must reach any case.
    return user.is_superuser or user.is_service_account or user.has_role(*OVERSIGHT_ROLES)


def can_coordinate_vendors(user: User) -> bool:
    return user.has_role(*COORDINATOR_ROLES)


def can_manage_organization(user: User) -> bool:
    """Administrators keep regions, departments, people, customers and products."""
    return user.is_superuser or user.has_role(RoleCode.ADMINISTRATOR)


def primary_role(user: User) -> str | None:
    """The role whose home page a person with several roles lands on."""
    for code in RoleCode.values:
        if code in user.role_codes:
            return code
    return None
