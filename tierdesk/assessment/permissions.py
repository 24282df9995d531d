"""Who may read and who may review the quarterly assessment: the one place these rules live.

Table 1 names the after-sales service supervisor as the inspector: only a supervisor comments
and signs off. Supervisors and administrators read it.
"""

from tierdesk.organization import permissions
from tierdesk.organization.models import RoleCode, User


def may_read_assessment(user: User) -> bool:
    return user.is_authenticated and user.is_active and permissions.sees_everything(user)


def may_review_assessment(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(RoleCode.SUPERVISOR)
