"""Actions on the organization that other packages call."""

from django.db import transaction

from tierdesk.organization.models import User


@transaction.atomic
def service_account(username: str, *, name: str) -> User:
    """The user a background job acts as, created the first time it is needed."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": name, "is_service_account": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
